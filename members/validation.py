"""Rules every member record obeys, shared by the forms and the roster import.

Each check returns (field, Vietnamese message) pairs so a form can attach them to inputs and an
import report can print them by column.
"""

import datetime as dt

from partyorg.lib.dates import age_in_full_months, party_date_problem

from .choices import Gender
from .rules import member_rules_in_force

# Province codes of the 12-digit personal id (Thông tư 59/2021/TT-BCA, Phụ lục I): the first three digits.
PERSONAL_ID_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 "
    "037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 "
    "077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
# The 4th digit encodes century of birth and gender (Thông tư 59/2021/TT-BCA, Điều 7).
_CENTURY_GENDER_DIGIT = {
    (1900, Gender.MALE): "0",
    (1900, Gender.FEMALE): "1",
    (2000, Gender.MALE): "2",
    (2000, Gender.FEMALE): "3",
    (2100, Gender.MALE): "4",
    (2100, Gender.FEMALE): "5",
    (1800, Gender.MALE): "8",
    (1800, Gender.FEMALE): "9",
}
Problem = tuple[str, str]


def personal_id_problems(personal_id: str, *, gender: str | None, birth_date: dt.date | None) -> list[Problem]:
    """Format of the CCCD and its agreement with gender and birth year."""
    field = "personal_id"
    if not personal_id:
        return [(field, "Chưa nhập số CCCD.")]
    if len(personal_id) != 12 or not personal_id.isdigit():
        return [(field, "Số CCCD phải gồm đúng 12 chữ số.")]
    problems = []
    if personal_id[:3] not in PERSONAL_ID_PROVINCE_CODES:
        problems.append((field, f"Mã tỉnh «{personal_id[:3]}» (3 chữ số đầu của CCCD) không tồn tại."))
    if birth_date and gender:
        century = birth_date.year // 100 * 100
        expected = _CENTURY_GENDER_DIGIT.get((century, gender))
        if expected and personal_id[3] != expected:
            problems.append(
                (
                    field,
                    f"Chữ số thứ 4 của CCCD ({personal_id[3]}) không khớp với giới tính và thế kỷ sinh "
                    f"(phải là {expected}).",
                )
            )
        if personal_id[4:6] != f"{birth_date.year % 100:02d}":
            problems.append(
                (field, f"Chữ số thứ 5–6 của CCCD ({personal_id[4:6]}) không khớp với năm sinh {birth_date.year}.")
            )
    return problems


# A form cannot leave these empty; a spreadsheet row can.
REQUIRED_FIELDS = {
    "gender": "Chưa ghi giới tính.",
    "birth_date": "Chưa nhập ngày sinh.",
    "admission_decided_on": "Chưa nhập ngày vào Đảng (ngày quyết định kết nạp).",
}

# Dates of party life: not before the Party was founded, not in the future (partyorg.lib.dates, the one bound).
PARTY_DATE_FIELDS = {
    "admission_decided_on": "Ngày quyết định kết nạp",
    "ceremony_held_on": "Ngày lễ kết nạp",
    "official_on": "Ngày chính thức",
    "card_issued_on": "Ngày cấp thẻ",
    "activity_exempted_on": "Ngày miễn công tác và sinh hoạt đảng",
}


def member_record_problems(data: dict, *, on: dt.date) -> list[Problem]:
    """Every rule of a member record that can be judged from its own fields, as of `on`."""
    problems: list[Problem] = []
    if not data.get("full_name"):
        problems.append(("full_name", "Chưa nhập họ và tên."))
    for field, message in REQUIRED_FIELDS.items():
        if not data.get(field):
            problems.append((field, message))
    birth = data.get("birth_date")
    # A member may be born before the Party was founded: only the future is refused.
    if birth and birth > on:
        problems.append(("birth_date", f"Ngày sinh ({birth:%d/%m/%Y}) không được sau ngày hôm nay."))
    for field, label in PARTY_DATE_FIELDS.items():
        value = data.get(field)
        problem = value and party_date_problem(value, label, on=on)
        if problem:
            problems.append((field, problem))
    problems += personal_id_problems(
        data.get("personal_id") or "", gender=data.get("gender"), birth_date=data.get("birth_date")
    )
    decided = data.get("admission_decided_on")
    ceremony, official = data.get("ceremony_held_on"), data.get("official_on")
    if birth and decided:
        # Age in full months on the decision, as the branch vote counts it (docs/rules/admission.md "Age").
        minimum = member_rules_in_force(on=decided)
        if age_in_full_months(birth, decided) < minimum.minimum_age_months:
            problems.append(
                (
                    "admission_decided_on",
                    f"Chưa đủ {minimum.minimum_age_years} tuổi khi được kết nạp (Điều lệ Đảng, Điều 1).",
                )
            )
    if decided and ceremony and ceremony < decided:
        problems.append(("ceremony_held_on", "Ngày lễ kết nạp không được trước ngày quyết định kết nạp."))
    if decided and official and official < decided:
        problems.append(("official_on", "Ngày chính thức không được trước ngày kết nạp."))
    return problems
