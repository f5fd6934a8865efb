"""Eligibility of a candidate at the branch vote (Điều lệ Đảng Điều 1, 4; rules §3.1–3.3).

Each check returns Vietnamese messages naming the rule; the branch-vote service refuses on any of them
and the dossier page lists them so the secretary sees what is missing before the meeting.
"""

import datetime as dt

from partyorg.lib.dates import full_months_between

from .deadlines import certificate_expires_on
from .models import Dossier, Introduction
from .rules import EDUCATION_ORDER, Rule, rules_in_force


def age_problems(dossier: Dossier, on: dt.date, rule: Rule) -> list[str]:
    months = full_months_between(dossier.candidate.birth_date, on)
    if months < rule.minimum_age_months:
        return [
            f"Chưa đủ 18 tuổi tính theo tháng vào ngày chi bộ xét ({on:%d/%m/%Y}): mới {months // 12} tuổi "
            f"{months % 12} tháng (Điều lệ Đảng, Điều 1; {rule.document})."
        ]
    return []


def is_over_age_limit(dossier: Dossier, on: dt.date) -> bool:
    rule = rules_in_force(on=on)
    return full_months_between(dossier.candidate.birth_date, on) > rule.maximum_age_months


def education_problems(dossier: Dossier, rule: Rule) -> list[str]:
    candidate = dossier.candidate
    minimum = rule.education_exceptions.get(candidate.education_exception, rule.minimum_education)
    if EDUCATION_ORDER.index(candidate.general_education) < EDUCATION_ORDER.index(minimum):
        where = f" (diện «{candidate.get_education_exception_display()}»)" if candidate.education_exception else ""
        return [
            f"Trình độ học vấn «{candidate.get_general_education_display()}» chưa đạt mức tối thiểu"
            f"{where}: {dict(EDUCATION_ORDER_LABELS)[minimum]} ({rule.document})."
        ]
    return []


def certificate_problems(dossier: Dossier, on: dt.date, rule: Rule) -> list[str]:
    certificates = [c for c in dossier.candidate.certificates.all() if c.issued_on <= on]
    if not certificates:
        return [f"Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng ({rule.document})."]
    latest = max(certificates, key=lambda c: c.issued_on)
    expires = certificate_expires_on(latest.issued_on)
    if on >= expires:
        return [
            f"Giấy chứng nhận bồi dưỡng nhận thức về Đảng cấp ngày {latest.issued_on:%d/%m/%Y} đã hết giá trị "
            f"{rules_in_force(on=latest.issued_on).certificate_valid_months} tháng từ ngày {expires:%d/%m/%Y}; "
            f"phải học lại trước khi chi bộ xét ({rule.document})."
        ]
    return []


def introduction_problems(dossier: Dossier, rule: Rule) -> list[str]:
    kinds = [i.kind for i in dossier.introductions.all()]
    members = kinds.count(Introduction.Kind.MEMBER)
    youth = kinds.count(Introduction.Kind.YOUTH_UNION)
    if members >= 2 or (youth == 1 and members >= 1):
        return []
    return [
        "Chưa đủ người giới thiệu: cần hai đảng viên chính thức, hoặc nghị quyết của BCH Đoàn cơ sở và một đảng viên "
        f"chính thức (Điều lệ Đảng, Điều 4; {rule.document})."
    ]


def completeness_problems(dossier: Dossier) -> list[str]:
    missing = [
        (dossier.application_submitted_on, "đơn xin vào Đảng (1-KNĐ)"),
        (dossier.resume_submitted_on, "lý lịch của người xin vào Đảng (2-KNĐ)"),
        (dossier.resume_stamped_on, "dấu giáp lai lý lịch của đảng ủy cơ sở"),
        (dossier.resume_certified_on, "kết quả thẩm tra và chứng nhận lý lịch của cấp ủy cơ sở"),
        (dossier.opinions_summarized_on, "tổng hợp ý kiến nhận xét của đoàn thể và chi bộ nơi cư trú (5-KNĐ)"),
    ]
    names = [label for value, label in missing if value is None]
    return [f"Hồ sơ còn thiếu: {'; '.join(names)}."] if names else []


def branch_vote_problems(dossier: Dossier, *, on: dt.date) -> list[str]:
    """Every reason the branch cannot vote on the candidate on `on`, under the rules in force that day."""
    rule = rules_in_force(on=on)
    return (
        age_problems(dossier, on, rule)
        + education_problems(dossier, rule)
        + certificate_problems(dossier, on, rule)
        + introduction_problems(dossier, rule)
        + completeness_problems(dossier)
    )


EDUCATION_ORDER_LABELS = [(level, level.label) for level in EDUCATION_ORDER]
