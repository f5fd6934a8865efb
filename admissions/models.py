"""Admission dossiers: a candidate from the source pool to official member (Điều lệ Đảng Điều 4–5, QĐ 294-QĐ/TW).

The person is a `Candidate`; the process is a `Dossier` whose `stage` moves only through the
transitions declared here and run by `admissions.services`, each leaving a `DossierEvent`.
Votes are rows (a body may vote again), so are introductions, verification items and opinions.
"""

import enum
from fractions import Fraction

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from members.choices import ETHNICITY_CHOICES, RELIGION_CHOICES, Gender
from members.rules import LATEST_REGULATION
from partyorg.lib.locking import VersionedModel
from partyorg.lib.masking import mask_identifier
from partyorg.lib.text import fraction_text, normalize_text


class ProposedBy(models.TextChoices):
    YOUTH_UNION = "youth_union", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"
    WOMENS_UNION = "womens_union", "Hội Liên hiệp Phụ nữ"
    FARMERS_UNION = "farmers_union", "Hội Nông dân"
    VETERANS_UNION = "veterans_union", "Hội Cựu chiến binh"
    TRADE_UNION = "trade_union", "Công đoàn"
    FATHERLAND_FRONT = "fatherland_front", "Mặt trận Tổ quốc"
    MEMBER = "member", "Đảng viên giới thiệu"


class CandidateCategory(models.TextChoices):
    """Categories of the admission statistics (Biểu kết nạp đảng viên)."""

    YOUTH_UNION_MEMBER = "youth_union_member", "Đoàn viên thanh niên"
    WOMAN = "woman", "Nữ"
    ETHNIC_MINORITY = "ethnic_minority", "Người dân tộc thiểu số"
    RELIGIOUS_BELIEVER = "religious_believer", "Người có đạo"
    PRIVATE_SECTOR_WORKER = "private_sector_worker", "Người lao động khu vực kinh tế tư nhân"
    PUPIL_STUDENT = "pupil_student", "Học sinh, sinh viên"
    MILITIA = "militia", "Dân quân tự vệ"
    RESIDENTIAL_GROUP_LEADER = "residential_group_leader", "Tổ trưởng tổ dân phố, trưởng thôn"
    INTELLECTUAL = "intellectual", "Trí thức"
    WORKER = "worker", "Công nhân"
    FARMER = "farmer", "Nông dân"
    ENTREPRENEUR = "entrepreneur", "Chủ doanh nghiệp tư nhân"


class GeneralEducation(models.TextChoices):
    LITERATE = "literate", "Biết đọc, biết viết chữ quốc ngữ"
    PRIMARY = "primary", "Tốt nghiệp tiểu học"
    LOWER_SECONDARY = "lower_secondary", "Tốt nghiệp trung học cơ sở"
    UPPER_SECONDARY = "upper_secondary", "Tốt nghiệp trung học phổ thông"


class EducationException(models.TextChoices):
    """The areas where the Secretariat's guidance admits a lower schooling level
    (docs/rules/admission.md "Schooling")."""

    NONE = "", "Không"
    SPECIAL_AREA = (
        "special_area",
        "Miền núi, biên giới, hải đảo, vùng đồng bào dân tộc thiểu số, vùng đặc biệt khó khăn, ngư dân bám biển",
    )
    VILLAGE_ELDER = "village_elder", "Già làng, trưởng bản, người có uy tín ở vùng đồng bào dân tộc thiểu số"


class Candidate(models.Model):
    """A person in the source pool of a branch (quần chúng ưu tú)."""

    full_name = models.CharField("họ và tên", max_length=100)
    gender = models.CharField("giới tính", max_length=6, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    personal_id = models.CharField("số CCCD / định danh cá nhân", max_length=12)
    ethnicity = models.CharField("dân tộc", max_length=40, choices=ETHNICITY_CHOICES, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=40, choices=RELIGION_CHOICES, default="Không")
    home_town = models.CharField("quê quán", max_length=255, blank=True)
    permanent_address = models.CharField("nơi thường trú", max_length=255, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=150, blank=True)
    workplace = models.CharField("nơi công tác / học tập", max_length=255, blank=True)
    general_education = models.CharField("trình độ giáo dục phổ thông", max_length=20, choices=GeneralEducation.choices)
    education_exception = models.CharField(
        "thuộc diện được áp dụng trình độ học vấn thấp hơn",
        max_length=20,
        choices=EducationException.choices,
        blank=True,
    )
    branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name="chi bộ",
    )
    proposed_by = models.CharField("đơn vị / người giới thiệu vào nguồn", max_length=20, choices=ProposedBy.choices)
    proposed_by_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đảng viên giới thiệu vào nguồn",
    )
    proposed_on = models.DateField("ngày giới thiệu vào nguồn")
    categories = models.JSONField("đối tượng", default=list, blank=True, help_text="Các giá trị CandidateCategory.")
    merits = models.TextField("thành tích nổi bật", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH = "branch__path"

    class Meta:
        verbose_name = "quần chúng ưu tú"
        verbose_name_plural = "quần chúng ưu tú"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = normalize_text(self.full_name)
        super().save(*args, **kwargs)

    @property
    def masked_personal_id(self) -> str:
        return mask_identifier(self.personal_id)

    def get_categories_display(self) -> list[str]:
        labels = dict(CandidateCategory.choices)
        return [labels.get(value, value) for value in self.categories]


class AwarenessCourse(models.Model):
    """A batch of the Party-awareness course (lớp bồi dưỡng nhận thức về Đảng)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="awareness_courses",
        verbose_name="cấp tổ chức lớp",
    )
    name = models.CharField("tên lớp", max_length=200)
    starts_on = models.DateField("ngày khai giảng")
    ends_on = models.DateField("ngày bế giảng")

    SCOPE_PATH = "organization__path"

    class Meta:
        verbose_name = "lớp bồi dưỡng nhận thức về Đảng"
        verbose_name_plural = "lớp bồi dưỡng nhận thức về Đảng"
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"


class AwarenessCertificate(models.Model):
    """The course certificate of one candidate; valid for the months set in admissions.rules."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey(
        AwarenessCourse, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField("số giấy chứng nhận", max_length=60, blank=True)
    issued_on = models.DateField("ngày cấp")

    SCOPE_PATH = "candidate__branch__path"

    class Meta:
        verbose_name = "giấy chứng nhận bồi dưỡng nhận thức về Đảng"
        verbose_name_plural = "giấy chứng nhận bồi dưỡng nhận thức về Đảng"
        ordering = ["-issued_on"]


class DossierStage(models.TextChoices):
    """The stages of a dossier, in pipeline order (the board's columns follow it)."""

    SOURCE_POOL = "source_pool", "Nguồn kết nạp"
    SYMPATHIZER = "sympathizer", "Cảm tình Đảng"
    PREPARING = "preparing", "Hoàn thiện hồ sơ"
    BRANCH_PROPOSED = "branch_proposed", "Chi bộ đề nghị kết nạp"
    BASE_PROPOSED = "base_proposed", "Đảng ủy cơ sở đề nghị kết nạp"
    ADMITTED = "admitted", "Đã có quyết định kết nạp"
    PROBATION = "probation", "Đảng viên dự bị"
    RECOGNITION_BRANCH = "recognition_branch", "Chi bộ đã xét chính thức"
    RECOGNITION_BASE = "recognition_base", "Đảng ủy cơ sở đã xét chính thức"
    OFFICIAL = "official", "Đã công nhận chính thức"
    STRUCK_OFF = "struck_off", "Xóa tên"
    CLOSED = "closed", "Dừng xem xét"


class Phase(enum.Enum):
    """What a dossier waits for, whatever the level that records it."""

    BRANCH_VOTE = "branch_vote"  # the file is being built up to the branch's vote
    ADMISSION_DECISION = "admission_decision"  # proposed: the competent committee decides (9-KNĐ)
    CEREMONY = "ceremony"
    PROBATION = "probation"
    RECOGNITION_DECISION = "recognition_decision"  # recognition proposed: the committee decides (16-KNĐ)
    NONE = "none"  # official, struck off or closed: the dossier is over


# The one declaration of where each stage stands. The board's columns, the stages each step of
# admissions.actions is open to, the deadline a stage waits on (admissions.deadlines), the overdue records,
# the plan counts and the one-open-dossier constraint below all derive from it.
PHASE_OF_STAGE = {
    DossierStage.SOURCE_POOL: Phase.BRANCH_VOTE,
    DossierStage.SYMPATHIZER: Phase.BRANCH_VOTE,
    DossierStage.PREPARING: Phase.BRANCH_VOTE,
    DossierStage.BRANCH_PROPOSED: Phase.ADMISSION_DECISION,
    DossierStage.BASE_PROPOSED: Phase.ADMISSION_DECISION,
    DossierStage.ADMITTED: Phase.CEREMONY,
    DossierStage.PROBATION: Phase.PROBATION,
    DossierStage.RECOGNITION_BRANCH: Phase.RECOGNITION_DECISION,
    DossierStage.RECOGNITION_BASE: Phase.RECOGNITION_DECISION,
    DossierStage.OFFICIAL: Phase.NONE,
    DossierStage.STRUCK_OFF: Phase.NONE,
    DossierStage.CLOSED: Phase.NONE,
}


def stages_in(*phases: Phase) -> tuple[str, ...]:
    """The stages of these phases, in pipeline order."""
    return tuple(stage for stage in DossierStage if PHASE_OF_STAGE[stage] in phases)


BEFORE_BRANCH_VOTE_STAGES = stages_in(Phase.BRANCH_VOTE)
AWAITING_DECISION_STAGES = stages_in(Phase.ADMISSION_DECISION)
# Probation and the recognition proposals: the competent committee decides from any of them after three failed votes.
RECOGNITION_STAGES = stages_in(Phase.PROBATION, Phase.RECOGNITION_DECISION)
ENDED_STAGES = stages_in(Phase.NONE)
OPEN_STAGES = tuple(stage for stage in DossierStage if stage not in ENDED_STAGES)
# The stages of the board, in pipeline order.
BOARD_STAGES = OPEN_STAGES


class RecognitionOutcome(models.TextChoices):
    OFFICIAL = "official", "Công nhận đảng viên chính thức"
    STRUCK_OFF = "struck_off", "Xóa tên trong danh sách đảng viên"


class Dossier(VersionedModel):
    """One admission case of a candidate, from the source pool to the recognition decision.

    `version` (VersionedModel) counts its steps: a step recorded from a form of an older version is refused,
    and the history tells the user who recorded what since."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="dossiers")
    branch = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="dossiers", verbose_name="chi bộ"
    )
    stage = FSMField("giai đoạn", max_length=30, choices=DossierStage.choices, default=DossierStage.SOURCE_POOL)
    opened_on = models.DateField("ngày vào nguồn")

    # Step 0: sympathizer list and helper (nghị quyết chi bộ)
    sympathizer_listed_on = models.DateField("ngày chi bộ đưa vào danh sách cảm tình Đảng", null=True, blank=True)
    sympathizer_resolution_number = models.CharField("số nghị quyết cảm tình Đảng", max_length=60, blank=True)
    helper = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helped_dossiers",
        verbose_name="đảng viên giúp đỡ",
    )

    # Steps 2–3: application (1-KNĐ), résumé (2-KNĐ), stamp of the base committee, certification after checks
    application_submitted_on = models.DateField("ngày nộp đơn xin vào Đảng (1-KNĐ)", null=True, blank=True)
    resume_submitted_on = models.DateField("ngày nộp lý lịch (2-KNĐ)", null=True, blank=True)
    resume_stamped_on = models.DateField("ngày đảng ủy cơ sở đóng dấu giáp lai lý lịch", null=True, blank=True)
    resume_certified_on = models.DateField("ngày cấp ủy cơ sở chứng nhận lý lịch (sau thẩm tra)", null=True, blank=True)
    # Step 6: summary of opinions (5-KNĐ)
    opinions_summarized_on = models.DateField("ngày tổng hợp ý kiến nhận xét (5-KNĐ)", null=True, blank=True)
    resides_in_branch_area = models.BooleanField(
        "người vào Đảng cư trú trên địa bàn chi bộ",
        default=False,
        help_text="Chi ủy chi bộ đồng thời là chi ủy nơi cư trú: không lấy ý kiến của chi ủy nơi cư trú khác.",
    )

    # Over 60 at the branch vote: written consent of the province standing committee (docs/rules/admission.md "Age")
    province_consent_on = models.DateField(
        f"ngày Ban Thường vụ Tỉnh ủy đồng ý (trên {LATEST_REGULATION.maximum_age_years} tuổi)", null=True, blank=True
    )
    province_consent_number = models.CharField("số văn bản đồng ý", max_length=60, blank=True)

    # Step 10: the admission decision (9-KNĐ)
    deciding_organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cấp ủy quyết định",
    )
    decision_extension_working_days = models.PositiveSmallIntegerField(
        "số ngày làm việc gia hạn ra quyết định", default=0
    )
    decision_extension_reason = models.CharField("lý do gia hạn", max_length=255, blank=True)
    decision_number = models.CharField("số quyết định kết nạp", max_length=60, blank=True)
    decision_signed_on = models.DateField("ngày ký quyết định kết nạp (9-KNĐ)", null=True, blank=True)
    decision_received_on = models.DateField("ngày chi bộ nhận quyết định", null=True, blank=True)
    member = models.OneToOneField(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission_dossier",
        verbose_name="đảng viên",
    )

    # Step 11: ceremony; helper during probation
    ceremony_held_on = models.DateField("ngày lễ kết nạp", null=True, blank=True)
    probation_helper = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="probation_helped_dossiers",
        verbose_name="đảng viên giúp đỡ đảng viên dự bị",
    )
    new_member_course_completed_on = models.DateField(
        "ngày hoàn thành lớp bồi dưỡng đảng viên mới", null=True, blank=True
    )
    new_member_course_certificate_number = models.CharField(
        "số giấy chứng nhận lớp đảng viên mới", max_length=60, blank=True
    )

    # Recognition (docs/rules/probation.md): 10-, 11-, 12-KNĐ, then votes, then the decision 16-KNĐ
    self_assessment_on = models.DateField("ngày bản tự kiểm điểm (10-KNĐ)", null=True, blank=True)
    helper_comment_on = models.DateField("ngày nhận xét của đảng viên giúp đỡ (11-KNĐ)", null=True, blank=True)
    recognition_opinions_on = models.DateField(
        "ngày tổng hợp ý kiến đoàn thể, chi bộ nơi cư trú (12-KNĐ)", null=True, blank=True
    )
    recognition_decision_number = models.CharField("số quyết định công nhận / xóa tên", max_length=60, blank=True)
    recognition_decided_on = models.DateField("ngày ký quyết định (16-KNĐ)", null=True, blank=True)
    recognition_outcome = models.CharField(
        "kết quả xét chính thức", max_length=20, choices=RecognitionOutcome.choices, blank=True
    )

    closed_on = models.DateField("ngày dừng xem xét", null=True, blank=True)
    closed_reason = models.CharField("lý do dừng xem xét", max_length=255, blank=True)

    # Kept by admissions.deadlines after every step, so boards and due lists filter in the database.
    next_deadline_on = models.DateField("hạn tiếp theo", null=True, blank=True, db_index=True)
    next_deadline_label = models.CharField("việc phải xong trước hạn", max_length=200, blank=True)
    next_deadline_source = models.CharField("căn cứ", max_length=120, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The deadline fields are derived from the rest after every step: the history keeps what was recorded.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "next_deadline_on", "next_deadline_label", "next_deadline_source"]
    )

    SCOPE_PATH = "branch__path"

    class Meta:
        verbose_name = "hồ sơ kết nạp"
        verbose_name_plural = "hồ sơ kết nạp"
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["stage", "next_deadline_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=~models.Q(stage__in=[str(stage) for stage in ENDED_STAGES]),
                name="one_open_dossier_per_candidate",
            )
        ]

    def __str__(self) -> str:
        return f"Hồ sơ kết nạp {self.candidate}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    # Transitions: declared here, run only through admissions.services.
    @transition(field=stage, source=DossierStage.SOURCE_POOL, target=DossierStage.SYMPATHIZER)
    def list_as_sympathizer(self):
        """Chi bộ đưa vào danh sách cảm tình Đảng."""

    @transition(field=stage, source=DossierStage.SYMPATHIZER, target=DossierStage.PREPARING)
    def start_dossier(self):
        """Quần chúng nộp đơn xin vào Đảng; bắt đầu hoàn thiện hồ sơ."""

    @transition(field=stage, source=DossierStage.PREPARING, target=DossierStage.BRANCH_PROPOSED)
    def propose_by_branch(self):
        """Chi bộ ra nghị quyết đề nghị kết nạp (6-KNĐ)."""

    @transition(field=stage, source=DossierStage.BRANCH_PROPOSED, target=DossierStage.BASE_PROPOSED)
    def propose_by_base(self):
        """Đảng ủy cơ sở ra nghị quyết đề nghị kết nạp (8-KNĐ)."""

    @transition(field=stage, source=list(AWAITING_DECISION_STAGES), target=DossierStage.ADMITTED)
    def admit(self):
        """Cấp ủy có thẩm quyền ra quyết định kết nạp (9-KNĐ)."""

    @transition(field=stage, source=DossierStage.ADMITTED, target=DossierStage.PROBATION)
    def hold_ceremony(self):
        """Lễ kết nạp; bắt đầu thời gian dự bị."""

    @transition(field=stage, source=DossierStage.PROBATION, target=DossierStage.RECOGNITION_BRANCH)
    def review_by_branch(self):
        """Chi bộ xét, đề nghị công nhận chính thức hoặc xóa tên (13-KNĐ)."""

    @transition(field=stage, source=DossierStage.RECOGNITION_BRANCH, target=DossierStage.RECOGNITION_BASE)
    def review_by_base(self):
        """Đảng ủy cơ sở xét, đề nghị (15-KNĐ)."""

    @transition(
        field=stage,
        # From probation too: after three failed votes below, the competent committee decides
        # (docs/rules/probation.md "Three failed votes").
        source=list(RECOGNITION_STAGES),
        target=DossierStage.OFFICIAL,
    )
    def recognize(self):
        """Quyết định công nhận đảng viên chính thức (16-KNĐ)."""

    @transition(
        field=stage,
        source=list(RECOGNITION_STAGES),
        target=DossierStage.STRUCK_OFF,
    )
    def strike_off(self):
        """Quyết định xóa tên đảng viên dự bị không đủ tư cách."""

    @transition(field=stage, source=[*BEFORE_BRANCH_VOTE_STAGES, *AWAITING_DECISION_STAGES], target=DossierStage.CLOSED)
    def close(self):
        """Dừng xem xét (không đủ điều kiện, rút đơn, cấp ủy không đồng ý kết nạp)."""


class DossierStep(models.TextChoices):
    """Every step the timeline shows; `FORM_OF_STEP` names the printed form where there is one."""

    SOURCE_POOL = "source_pool", "Giới thiệu vào nguồn"
    SYMPATHIZER = "sympathizer", "Đưa vào danh sách cảm tình Đảng, phân công đảng viên giúp đỡ"
    CERTIFICATE = "certificate", "Giấy chứng nhận bồi dưỡng nhận thức về Đảng"
    APPLICATION = "application", "Đơn xin vào Đảng"
    RESUME = "resume", "Lý lịch của người xin vào Đảng"
    RESUME_STAMPED = "resume_stamped", "Đảng ủy cơ sở đóng dấu giáp lai lý lịch"
    INTRODUCTION = "introduction", "Giới thiệu người vào Đảng"
    VERIFICATION_REQUEST = "verification_request", "Gửi yêu cầu thẩm tra lý lịch"
    VERIFICATION_RESULT = "verification_result", "Nhận kết quả thẩm tra lý lịch"
    RESUME_CERTIFIED = "resume_certified", "Cấp ủy cơ sở chứng nhận lý lịch"
    OPINION = "opinion", "Ý kiến nhận xét của đoàn thể, chi bộ nơi cư trú"
    OPINIONS_SUMMARIZED = "opinions_summarized", "Tổng hợp ý kiến nhận xét"
    PROVINCE_CONSENT = (
        "province_consent",
        f"Ban Thường vụ Tỉnh ủy đồng ý kết nạp người trên {LATEST_REGULATION.maximum_age_years} tuổi",
    )
    BRANCH_VOTE = "branch_vote", "Chi bộ xét, biểu quyết đề nghị kết nạp"
    BASE_VOTE = "base_vote", "Đảng ủy cơ sở xét, biểu quyết đề nghị kết nạp"
    DECISION_EXTENSION = "decision_extension", "Gia hạn thời gian ra quyết định kết nạp"
    DECISION = "decision", "Quyết định kết nạp đảng viên"
    DECISION_RECEIVED = "decision_received", "Chi bộ nhận quyết định kết nạp"
    CEREMONY = "ceremony", "Lễ kết nạp, phân công đảng viên giúp đỡ"
    NEW_MEMBER_COURSE = "new_member_course", "Hoàn thành lớp bồi dưỡng đảng viên mới"
    SELF_ASSESSMENT = "self_assessment", "Bản tự kiểm điểm của đảng viên dự bị"
    HELPER_COMMENT = "helper_comment", "Nhận xét của đảng viên giúp đỡ"
    RECOGNITION_OPINIONS = "recognition_opinions", "Tổng hợp ý kiến nhận xét đảng viên dự bị"
    RECOGNITION_BRANCH_VOTE = "recognition_branch_vote", "Chi bộ xét công nhận đảng viên chính thức"
    RECOGNITION_BASE_VOTE = "recognition_base_vote", "Đảng ủy cơ sở xét công nhận đảng viên chính thức"
    RECOGNITION_DECISION = "recognition_decision", "Quyết định công nhận đảng viên chính thức / xóa tên"
    CLOSED = "closed", "Dừng xem xét"


# Forms of the HD 12-HD/BTCTW family (docs/rules/admission.md "Forms"), by the step that produces them.
FORM_OF_STEP = {
    DossierStep.APPLICATION: "1-KNĐ",
    DossierStep.RESUME: "2-KNĐ",
    DossierStep.INTRODUCTION: "3-KNĐ",
    DossierStep.OPINIONS_SUMMARIZED: "5-KNĐ",
    DossierStep.BRANCH_VOTE: "6-KNĐ",
    DossierStep.BASE_VOTE: "8-KNĐ",
    DossierStep.DECISION: "9-KNĐ",
    DossierStep.SELF_ASSESSMENT: "10-KNĐ",
    DossierStep.HELPER_COMMENT: "11-KNĐ",
    DossierStep.RECOGNITION_OPINIONS: "12-KNĐ",
    DossierStep.RECOGNITION_BRANCH_VOTE: "13-KNĐ",
    DossierStep.RECOGNITION_BASE_VOTE: "15-KNĐ",
    DossierStep.RECOGNITION_DECISION: "16-KNĐ",
}


class DossierEvent(models.Model):
    """The log of a dossier: one row per step (who, when recorded, effective when, which paper, why)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    step = models.CharField("bước", max_length=30, choices=DossierStep.choices)
    from_stage = models.CharField("từ giai đoạn", max_length=30, choices=DossierStage.choices)
    to_stage = models.CharField("sang giai đoạn", max_length=30, choices=DossierStage.choices)
    effective_on = models.DateField("ngày")
    decision_number = models.CharField("số văn bản", max_length=60, blank=True)
    notes = models.TextField("ghi chú", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="người ghi")
    at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    SCOPE_PATH = "dossier__branch__path"

    class Meta:
        verbose_name = "bước hồ sơ kết nạp"
        verbose_name_plural = "các bước hồ sơ kết nạp"
        ordering = ["effective_on", "at", "id"]

    @property
    def form_code(self) -> str:
        return FORM_OF_STEP.get(self.step, "")


class Introduction(models.Model):
    """An introduction (3-KNĐ by a full member, or 4-KNĐ resolution of the base Youth Union)."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Đảng viên chính thức giới thiệu (3-KNĐ)"
        YOUTH_UNION = "youth_union", "Nghị quyết BCH Đoàn cơ sở giới thiệu đoàn viên ưu tú (4-KNĐ)"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="introductions")
    kind = models.CharField("hình thức", max_length=20, choices=Kind.choices)
    introducer = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="introductions",
        verbose_name="người giới thiệu",
    )
    # A full member the recording user cannot see (another branch of the base organization) is not picked from the
    # registry but named here; the branch committee then vouches for the conditions the system cannot check.
    introducer_name = models.CharField("họ và tên người giới thiệu (ngoài phạm vi quản lý)", max_length=100, blank=True)
    introducer_confirmed = models.BooleanField(
        "chi ủy đã xác minh người giới thiệu là đảng viên chính thức cùng tổ chức cơ sở đảng", default=False
    )
    known_since = models.DateField("cùng công tác, học tập, cư trú từ ngày", null=True, blank=True)
    youth_union_resolution_number = models.CharField("số nghị quyết của BCH Đoàn cơ sở", max_length=60, blank=True)
    youth_union_organization = models.CharField("BCH Đoàn cơ sở", max_length=200, blank=True)
    introduced_on = models.DateField("ngày giới thiệu")

    SCOPE_PATH = "dossier__branch__path"

    class Meta:
        verbose_name = "giới thiệu người vào Đảng"
        verbose_name_plural = "giới thiệu người vào Đảng"
        ordering = ["introduced_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="youth_union")
                | models.Q(introducer__isnull=False, introducer_name="")
                | models.Q(introducer__isnull=True, introducer_confirmed=True) & ~models.Q(introducer_name=""),
                name="member_introduction_names_its_introducer",
            )
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.YOUTH_UNION:
            return f"Nghị quyết BCH Đoàn {self.youth_union_resolution_number}".strip()
        return str(self.introducer) if self.introducer_id else self.introducer_name

    @property
    def is_typed_by_name(self) -> bool:
        """A member introducer named by hand: the system could not check them, the branch committee did."""
        return self.kind == self.Kind.MEMBER and self.introducer_id is None


class Relationship(models.TextChoices):
    SELF = "self", "Bản thân người vào Đảng"
    FATHER = "father", "Cha đẻ"
    MOTHER = "mother", "Mẹ đẻ"
    GUARDIAN = "guardian", "Người trực tiếp nuôi dưỡng"
    FATHER_IN_LAW = "father_in_law", "Cha vợ / cha chồng"
    MOTHER_IN_LAW = "mother_in_law", "Mẹ vợ / mẹ chồng"
    SPOUSE = "spouse", "Vợ / chồng"
    CHILD = "child", "Con đẻ (có năng lực hành vi dân sự đầy đủ)"


class VerificationItem(models.Model):
    """One person whose background is verified (thẩm tra lý lịch), or exempted as a party member."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="verification_items")
    relationship = models.CharField("quan hệ", max_length=20, choices=Relationship.choices)
    person_name = models.CharField("họ và tên", max_length=100)
    is_party_member = models.BooleanField(
        "là đảng viên (không phải thẩm tra nếu lý lịch đã khai đầy đủ)", default=False
    )
    request_sent_to = models.CharField("nơi gửi yêu cầu thẩm tra", max_length=255, blank=True)
    request_sent_on = models.DateField("ngày gửi yêu cầu", null=True, blank=True)
    result_received_on = models.DateField("ngày nhận kết quả", null=True, blank=True)
    result = models.TextField("kết quả thẩm tra", blank=True)
    is_clear = models.BooleanField("không có vấn đề vướng mắc", null=True, blank=True)

    SCOPE_PATH = "dossier__branch__path"

    class Meta:
        verbose_name = "nội dung thẩm tra lý lịch"
        verbose_name_plural = "nội dung thẩm tra lý lịch"
        ordering = ["id"]

    @property
    def is_done(self) -> bool:
        return self.is_party_member or self.result_received_on is not None


class Opinion(models.Model):
    """An opinion on the candidate (5-KNĐ sources) or on the probationary member (12-KNĐ sources)."""

    class Phase(models.TextChoices):
        ADMISSION = "admission", "Xét kết nạp"
        RECOGNITION = "recognition", "Xét công nhận chính thức"

    class Source(models.TextChoices):
        MASS_ORGANIZATION = "mass_organization", "Đoàn thể chính trị – xã hội nơi công tác"
        RESIDENCE_BRANCH = "residence_branch", "Chi ủy / chi bộ nơi cư trú"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="opinions")
    phase = models.CharField("giai đoạn", max_length=20, choices=Phase.choices, default=Phase.ADMISSION)
    source = models.CharField("nguồn ý kiến", max_length=30, choices=Source.choices)
    organization_name = models.CharField("tên tổ chức", max_length=255)
    given_on = models.DateField("ngày")
    participants_count = models.PositiveIntegerField("số người tham gia", null=True, blank=True)
    agreeing_count = models.PositiveIntegerField("số người tán thành", null=True, blank=True)
    summary = models.TextField("nội dung", blank=True)

    SCOPE_PATH = "dossier__branch__path"

    class Meta:
        verbose_name = "ý kiến nhận xét"
        verbose_name_plural = "ý kiến nhận xét"
        ordering = ["given_on", "id"]


class VoteKind(models.TextChoices):
    BRANCH_ADMISSION = "branch_admission", "Chi bộ xét kết nạp (6-KNĐ)"
    BASE_ADMISSION = "base_admission", "Đảng ủy cơ sở xét kết nạp (8-KNĐ)"
    BRANCH_RECOGNITION = "branch_recognition", "Chi bộ xét công nhận chính thức (13-KNĐ)"
    BASE_RECOGNITION = "base_recognition", "Đảng ủy cơ sở xét công nhận chính thức (15-KNĐ)"


BRANCH_VOTE_KINDS = (VoteKind.BRANCH_ADMISSION, VoteKind.BRANCH_RECOGNITION)


class Vote(models.Model):
    """A vote of a branch (on its full members) or a base committee (on its members); may be re-held."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="votes")
    kind = models.CharField("hội nghị", max_length=30, choices=VoteKind.choices)
    proposal = models.CharField(
        "nội dung đề nghị",
        max_length=20,
        choices=RecognitionOutcome.choices,
        blank=True,
        help_text="Chỉ với xét công nhận chính thức: công nhận hay xóa tên.",
    )
    held_on = models.DateField("ngày họp")
    resolution_number = models.CharField("số nghị quyết", max_length=60, blank=True)
    # Branch: all full members; base committee: all committee members.
    members_count = models.PositiveIntegerField("tổng số đảng viên chính thức / ủy viên")
    # Branch only: not counted in the denominator (QĐ 294-QĐ/TW point 9.3.2; docs/rules/admission.md "Votes").
    temporarily_attached_count = models.PositiveIntegerField("số sinh hoạt tạm thời nơi khác", default=0)
    exempted_absent_count = models.PositiveIntegerField("số được miễn công tác và sinh hoạt đảng, vắng mặt", default=0)
    present_count = models.PositiveIntegerField("số có mặt", null=True, blank=True)
    in_favour_count = models.PositiveIntegerField("số tán thành")
    against_count = models.PositiveIntegerField("số không tán thành", default=0)
    eligible_count = models.PositiveIntegerField("số làm căn cứ tính tỷ lệ")
    passed = models.BooleanField("đạt tỷ lệ")
    rule_source = models.CharField("căn cứ", max_length=120, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="người ghi")
    recorded_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH = "dossier__branch__path"

    class Meta:
        verbose_name = "kết quả biểu quyết"
        verbose_name_plural = "kết quả biểu quyết"
        ordering = ["held_on", "id"]

    @property
    def threshold(self) -> Fraction:
        """The share this vote had to reach, under the rule it was judged by (rule_source names it)."""
        from .rules import rule_named, rules_in_force  # the rules read this module's choices

        rule = rule_named(self.rule_source) or rules_in_force(on=self.held_on)
        return rule.vote_threshold(self.kind)

    @property
    def threshold_text(self) -> str:
        return fraction_text(self.threshold)


class OverdueRecord(models.Model):
    """A deadline first seen overdue by the daily task; one row per dossier, deadline and due date."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="overdue_records")
    deadline_key = models.CharField("mã hạn", max_length=40)
    label = models.CharField("việc quá hạn", max_length=200)
    due_on = models.DateField("hạn")
    detected_on = models.DateField("ngày phát hiện quá hạn")
    resolved_on = models.DateField("ngày đã xử lý", null=True, blank=True)

    SCOPE_PATH = "dossier__branch__path"

    class Meta:
        verbose_name = "hồ sơ quá hạn"
        verbose_name_plural = "hồ sơ quá hạn"
        ordering = ["-detected_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "deadline_key", "due_on"], name="one_overdue_record_per_deadline"
            )
        ]


class AdmissionPlan(models.Model):
    """The admission target of an organization for a year (and congress term)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="admission_plans", verbose_name="tổ chức"
    )
    year = models.PositiveSmallIntegerField("năm")
    term = models.CharField("nhiệm kỳ", max_length=20, blank=True, help_text="Ví dụ: 2025–2030")
    target_count = models.PositiveIntegerField("chỉ tiêu kết nạp")
    notes = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every version of the plan, with who saved it (the audit log has the old and new target too).
    history = HistoricalRecords(excluded_fields=["created_at"])

    SCOPE_PATH = "organization__path"

    class Meta:
        verbose_name = "kế hoạch kết nạp đảng viên"
        verbose_name_plural = "kế hoạch kết nạp đảng viên"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_plan_per_organization_year")]

    def __str__(self) -> str:
        return f"Kế hoạch kết nạp năm {self.year} – {self.organization}"
