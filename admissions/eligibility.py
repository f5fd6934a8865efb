"""Eligibility of a candidate at the branch vote (Điều lệ Đảng Điều 1, 4; docs/rules/admission.md).

Each check returns Vietnamese messages naming the rule; the branch-vote service refuses on any of them
and the dossier page lists them so the secretary sees what is missing before the meeting.
"""

import datetime as dt

from members.models import MemberStatus
from partyorg.lib.dates import age_in_full_months

from .deadlines import certificate_expires_on
from .models import Dossier, Introduction
from .rules import EDUCATION_ORDER, Rule, rules_in_force


def age_problems(dossier: Dossier, on: dt.date, rule: Rule) -> list[str]:
    months = age_in_full_months(dossier.candidate.birth_date, on)
    if months < rule.minimum_age_months:
        return [
            f"Chưa đủ {rule.minimum_age_years} tuổi tính theo tháng vào ngày chi bộ xét ({on:%d/%m/%Y}): mới "
            f"{months // 12} tuổi "
            f"{months % 12} tháng (Điều lệ Đảng, Điều 1; {rule.document})."
        ]
    return []


def is_over_age_limit(dossier: Dossier, on: dt.date) -> bool:
    rule = rules_in_force(on=on)
    # "Đủ 60 tuổi" still qualifies: 60 years and some days is 720 full months; from 721 the province consents
    # (docs/rules/admission.md "Age").
    return age_in_full_months(dossier.candidate.birth_date, on) > rule.maximum_age_months


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
        return [f"Chưa có giấy chứng nhận bồi dưỡng nhận thức về Đảng ({rule.document})."]
    latest = max(certificates, key=lambda c: c.issued_on)
    expires = certificate_expires_on(latest.issued_on)
    if on >= expires:
        return [
            f"Giấy chứng nhận bồi dưỡng nhận thức về Đảng cấp ngày {latest.issued_on:%d/%m/%Y} đã hết giá trị "
            f"{rules_in_force(on=latest.issued_on).certificate_valid_months} tháng từ ngày {expires:%d/%m/%Y}; "
            f"phải học lại trước khi chi bộ xét ({rule.document})."
        ]
    return []


# An introducer answers for the person up to the vote: one who has since left the Party (struck off, expelled,
# let go) no longer counts (Điều lệ Đảng, Điều 4: introducers are full members). A transfer or death is not
# treated as a lapse here: the sources found say nothing on it.
OUT_OF_THE_PARTY = (MemberStatus.STRUCK_OFF, MemberStatus.EXPELLED, MemberStatus.LEFT)


def has_lapsed(introduction: Introduction) -> bool:
    # An introducer named by hand (outside the recording user's scope) cannot be followed in the registry: the
    # branch committee that vouched for them answers for it up to the vote.
    if introduction.kind != Introduction.Kind.MEMBER or introduction.introducer is None:
        return False
    return introduction.introducer.status in OUT_OF_THE_PARTY


def introduction_problems(dossier: Dossier, rule: Rule) -> list[str]:
    introductions = list(dossier.introductions.select_related("introducer"))
    lapsed = [i.introducer for i in introductions if has_lapsed(i)]
    members = sum(1 for i in introductions if i.kind == Introduction.Kind.MEMBER) - len(lapsed)
    youth = sum(1 for i in introductions if i.kind == Introduction.Kind.YOUTH_UNION)
    if members >= 2 or (youth == 1 and members >= 1):
        return []
    problems = [
        f"Người giới thiệu {member} không còn là đảng viên ({member.get_status_display()}); "
        f"phải có người giới thiệu khác (Điều lệ Đảng, Điều 4; {rule.document})."
        for member in lapsed
    ]
    return problems + [
        "Chưa đủ người giới thiệu: cần hai đảng viên chính thức, hoặc nghị quyết của BCH Đoàn cơ sở và một đảng viên "
        f"chính thức (Điều lệ Đảng, Điều 4; {rule.document})."
    ]


def completeness_problems(dossier: Dossier, rule: Rule) -> list[str]:
    missing = [
        (dossier.application_submitted_on, "đơn xin vào Đảng (1-KNĐ)"),
        (dossier.resume_submitted_on, "lý lịch của người xin vào Đảng (2-KNĐ)"),
        (dossier.resume_stamped_on, "dấu giáp lai lý lịch của đảng ủy cơ sở"),
        (dossier.resume_certified_on, "kết quả thẩm tra và chứng nhận lý lịch của cấp ủy cơ sở"),
        (dossier.opinions_summarized_on, "tổng hợp ý kiến nhận xét của đoàn thể và chi bộ nơi cư trú (5-KNĐ)"),
    ]
    names = [label for value, label in missing if value is None]
    if not names:
        return []
    return [f"Hồ sơ còn thiếu: {'; '.join(names)} (Hướng dẫn nghiệp vụ công tác đảng viên, mẫu KNĐ; {rule.document})."]


def branch_vote_problems(dossier: Dossier, *, on: dt.date) -> list[str]:
    """Every reason the branch cannot vote on the candidate on `on`, under the rules in force that day."""
    rule = rules_in_force(on=on)
    return (
        age_problems(dossier, on, rule)
        + education_problems(dossier, rule)
        + certificate_problems(dossier, on, rule)
        + introduction_problems(dossier, rule)
        + completeness_problems(dossier, rule)
    )


EDUCATION_ORDER_LABELS = [(level, level.label) for level in EDUCATION_ORDER]
