"""Fixed lists of the member file (phiếu đảng viên 2-HSĐV) and the statistics forms (Biểu 4-TCTW)."""

from django.db import models

# The 54 ethnic groups of Viet Nam, in the order of the General Statistics Office's list.
ETHNIC_GROUPS = [
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "H'Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Stiêng",
    "Khơ mú",
    "Bru - Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ-Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "La Chí",
    "Kháng",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Lự",
    "Ngái",
    "Chứt",
    "Lô Lô",
    "Mảng",
    "Cơ Lao",
    "Bố Y",
    "Cống",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
]
OTHER_ETHNICITY = "Khác"
ETHNICITY_CHOICES = [(name, name) for name in ETHNIC_GROUPS] + [
    (OTHER_ETHNICITY, "Khác (người nước ngoài nhập quốc tịch)")
]

RELIGIONS = [
    "Không",
    "Phật giáo",
    "Công giáo",
    "Tin lành",
    "Cao Đài",
    "Phật giáo Hòa Hảo",
    "Hồi giáo",
    "Tịnh độ cư sĩ Phật hội Việt Nam",
    "Bửu Sơn Kỳ Hương",
    "Tứ Ân Hiếu Nghĩa",
    "Bà-la-môn",
    "Khác",
]
RELIGION_CHOICES = [(name, name) for name in RELIGIONS]


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class PoliticalTheory(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so_cap", "Sơ cấp"
    INTERMEDIATE = "trung_cap", "Trung cấp"
    ADVANCED = "cao_cap", "Cao cấp"
    BACHELOR = "cu_nhan", "Cử nhân"


class AcademicDegree(models.TextChoices):
    NONE = "", "Không"
    MASTER = "thac_si", "Thạc sĩ"
    DOCTOR = "tien_si", "Tiến sĩ"
    ASSOCIATE_PROFESSOR = "pho_giao_su", "Phó Giáo sư"
    PROFESSOR = "giao_su", "Giáo sư"


# Age bands of the member statistics (members by age, Biểu 3-TCTW family).
AGE_BANDS = {
    "18-30": (18, 30),
    "31-40": (31, 40),
    "41-50": (41, 50),
    "51-60": (51, 60),
    "61-70": (61, 70),
    "71+": (71, 150),
}
AGE_BAND_CHOICES = [
    (key, f"Từ {lo} đến {hi} tuổi" if hi < 150 else f"Từ {lo} tuổi trở lên") for key, (lo, hi) in AGE_BANDS.items()
]
