"""The next deadline of a dossier, from the rules in force on the date that starts each count.

Each stage has at most one deadline that matters next; services store it on the dossier after every
step (`set_next_deadline`, saved by services.common.log) so that boards and due lists filter in the database.
"""

import datetime as dt
from dataclasses import dataclass

from partyorg.lib.dates import add_months
from partyorg.lib.working_days import add_working_days

from .models import Dossier, DossierStage, Vote, VoteKind
from .rules import rules_in_force


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due_on: dt.date
    source: str


def certificate_expires_on(issued_on: dt.date) -> dt.date:
    """First day the certificate is no longer valid (HD 06-HD/TW point 5.4: 60 months)."""
    return add_months(issued_on, rules_in_force(on=issued_on).certificate_valid_months)


def decision_due_on(branch_resolution_on: dt.date, extension_working_days: int = 0) -> Deadline:
    rule = rules_in_force(on=branch_resolution_on)
    days = rule.decision_within.count + extension_working_days
    return Deadline(
        "decision",
        "Cấp ủy có thẩm quyền ra quyết định kết nạp (9-KNĐ)",
        add_working_days(branch_resolution_on, days),
        f"{rule.document}: trong {days} ngày làm việc kể từ ngày chi bộ ra nghị quyết",
    )


def ceremony_due_on(decision_received_on: dt.date) -> Deadline:
    rule = rules_in_force(on=decision_received_on)
    return Deadline(
        "ceremony",
        "Chi bộ tổ chức lễ kết nạp",
        add_working_days(decision_received_on, rule.ceremony_within.count),
        f"{rule.document}: trong {rule.ceremony_within} kể từ ngày nhận quyết định",
    )


def probation_ends_on(ceremony_held_on: dt.date) -> dt.date:
    return add_months(ceremony_held_on, rules_in_force(on=ceremony_held_on).probation_months)


def recognition_branch_due_on(probation_end: dt.date) -> Deadline:
    rule = rules_in_force(on=probation_end)
    return Deadline(
        "recognition_branch",
        "Chi bộ xét công nhận đảng viên chính thức (13-KNĐ)",
        add_working_days(probation_end, rule.recognition_branch_within.count),
        f"{rule.document}: trong {rule.recognition_branch_within} sau khi hết 12 tháng dự bị",
    )


def recognition_decision_due_on(branch_resolution_on: dt.date) -> Deadline:
    rule = rules_in_force(on=branch_resolution_on)
    return Deadline(
        "recognition_decision",
        "Cấp ủy có thẩm quyền quyết định công nhận chính thức (16-KNĐ)",
        add_working_days(branch_resolution_on, rule.recognition_decision_within.count),
        f"{rule.document}: trong {rule.recognition_decision_within} kể từ ngày chi bộ ra nghị quyết",
    )


RECOGNITION_VOTE_KINDS = (VoteKind.BRANCH_RECOGNITION, VoteKind.BASE_RECOGNITION)
# What an escalated dossier waits for, as boards, panels and the candidate page show it.
ESCALATED_LABEL = "Chờ cấp trên quyết định công nhận chính thức / xóa tên (cấp dưới 3 lần biểu quyết không đạt 2/3)"


def recognition_escalated_on(dossier: Dossier) -> dt.date | None:
    """The day a lower body (branch or base committee) failed its last allowed vote on recognition or name removal:
    it reports upward and the competent committee decides without it (QĐ 29 §4.3; rules §4). None until then."""
    if not dossier.pk or dossier.ceremony_held_on is None:
        return None
    threshold = rules_in_force(on=dossier.ceremony_held_on).failed_votes_before_escalation
    reported = []
    for kind in RECOGNITION_VOTE_KINDS:
        failed = Vote.objects.filter(dossier=dossier, kind=kind, passed=False).order_by("held_on", "id")
        days = list(failed.values_list("held_on", flat=True)[:threshold])
        if len(days) == threshold:
            reported.append(days[-1])
    return min(reported, default=None)


def escalated_decision_due_on(reported_on: dt.date) -> Deadline:
    # The sources set no separate term for this case: the competent committee's usual term for the recognition
    # decision (30 working days) is counted from the failed vote that sent the case up.
    rule = rules_in_force(on=reported_on)
    return Deadline(
        "recognition_escalated",
        ESCALATED_LABEL,
        add_working_days(reported_on, rule.recognition_decision_within.count),
        f"{rule.document}: cấp dưới {rule.failed_votes_before_escalation} lần biểu quyết không đạt, cấp ủy có thẩm "
        f"quyền quyết định; hạn tính như quyết định công nhận ({rule.recognition_decision_within})",
    )


def next_deadline(
    dossier: Dossier,
    *,
    certificate_issued_on: dt.date | None,
    branch_vote_on: dt.date | None,
    recognition_vote_on: dt.date | None,
    escalated_on: dt.date | None = None,
) -> Deadline | None:
    """The deadline that comes next for the dossier's stage, or None when the stage has none."""
    stage = dossier.stage
    if escalated_on and stage in (
        DossierStage.PROBATION,
        DossierStage.RECOGNITION_BRANCH,
        DossierStage.RECOGNITION_BASE,
    ):
        return escalated_decision_due_on(escalated_on)
    if stage in (DossierStage.SOURCE_POOL, DossierStage.SYMPATHIZER, DossierStage.PREPARING):
        if certificate_issued_on is None:
            return None
        rule = rules_in_force(on=certificate_issued_on)
        expires = certificate_expires_on(certificate_issued_on)
        return Deadline(
            "certificate",
            "Chi bộ xét kết nạp trước khi giấy chứng nhận nhận thức về Đảng hết hạn",
            expires - dt.timedelta(days=1),
            f"{rule.document}: giấy chứng nhận có giá trị {rule.certificate_valid_months} tháng",
        )
    if stage in (DossierStage.BRANCH_PROPOSED, DossierStage.BASE_PROPOSED) and branch_vote_on:
        return decision_due_on(branch_vote_on, dossier.decision_extension_working_days)
    if stage == DossierStage.ADMITTED:
        start = dossier.decision_received_on or dossier.decision_signed_on
        return ceremony_due_on(start) if start else None
    if stage == DossierStage.PROBATION and dossier.ceremony_held_on:
        return recognition_branch_due_on(probation_ends_on(dossier.ceremony_held_on))
    if stage in (DossierStage.RECOGNITION_BRANCH, DossierStage.RECOGNITION_BASE) and recognition_vote_on:
        return recognition_decision_due_on(recognition_vote_on)
    return None


def compute_next_deadline(dossier: Dossier) -> Deadline | None:
    """next_deadline with the dates read from the dossier's rows (a few queries: one dossier at a time)."""
    certificate = dossier.candidate.certificates.order_by("-issued_on").first()
    votes = Vote.objects.filter(dossier=dossier, passed=True) if dossier.pk else Vote.objects.none()
    passed = dict(votes.order_by("held_on").values_list("kind", "held_on"))
    return next_deadline(
        dossier,
        certificate_issued_on=certificate.issued_on if certificate else None,
        branch_vote_on=passed.get(VoteKind.BRANCH_ADMISSION),
        recognition_vote_on=passed.get(VoteKind.BRANCH_RECOGNITION),
        escalated_on=recognition_escalated_on(dossier),
    )


def set_next_deadline(dossier: Dossier) -> Deadline | None:
    """Put the next deadline on the dossier; the step's service saves it with the rest (common.log)."""
    deadline = compute_next_deadline(dossier) if dossier.is_open else None
    dossier.next_deadline_on = deadline.due_on if deadline else None
    dossier.next_deadline_label = deadline.label if deadline else ""
    dossier.next_deadline_source = deadline.source[:120] if deadline else ""
    return deadline


# The deadline that a stage waits on, for the overdue records (one deadline per stage).
DEADLINE_KEY_OF_STAGE = {
    DossierStage.SOURCE_POOL: "certificate",
    DossierStage.SYMPATHIZER: "certificate",
    DossierStage.PREPARING: "certificate",
    DossierStage.BRANCH_PROPOSED: "decision",
    DossierStage.BASE_PROPOSED: "decision",
    DossierStage.ADMITTED: "ceremony",
    DossierStage.PROBATION: "recognition_branch",
    DossierStage.RECOGNITION_BRANCH: "recognition_decision",
    DossierStage.RECOGNITION_BASE: "recognition_decision",
}
