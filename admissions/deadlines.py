"""The next deadline of a dossier, from the rules in force on the date that starts each count.

Each stage has at most one deadline that matters next; services store it on the dossier after every
step (`set_next_deadline`, saved by services.common.log) so that boards and due lists filter in the database.
"""

import datetime as dt
from dataclasses import dataclass

from members.rules import probation_ends_on
from partyorg.lib.dates import add_months
from partyorg.lib.working_days import add_working_days

from .models import PHASE_OF_STAGE, RECOGNITION_STAGES, Dossier, Phase, Vote, VoteKind
from .rules import rules_in_force


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due_on: dt.date
    source: str


def certificate_expires_on(issued_on: dt.date) -> dt.date:
    """First day the certificate is no longer valid (docs/rules/admission.md "Certificate")."""
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


def recognition_branch_due_on(probation_end: dt.date) -> Deadline:
    rule = rules_in_force(on=probation_end)
    return Deadline(
        "recognition_branch",
        "Chi bộ xét công nhận đảng viên chính thức (13-KNĐ)",
        add_working_days(probation_end, rule.recognition_branch_within.count),
        f"{rule.document}: trong {rule.recognition_branch_within} sau khi hết {rule.probation_months} tháng dự bị",
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
ESCALATED_LABEL = "Chờ cấp trên quyết định công nhận chính thức / xóa tên (cấp dưới biểu quyết 3 lần không đạt)"


def recognition_escalation(dossier: Dossier) -> tuple[str, dt.date] | None:
    """The recognition vote a lower body (branch, then base committee) held three times without reaching its
    threshold, with the day of the last of those votes: it reports upward and the competent committee decides
    without it (docs/rules/probation.md "Three failed votes"). None while it may still vote."""
    if not dossier.pk or dossier.ceremony_held_on is None:
        return None
    limit = rules_in_force(on=dossier.ceremony_held_on).failed_votes_before_escalation
    for kind in RECOGNITION_VOTE_KINDS:
        failed = Vote.objects.filter(dossier=dossier, kind=kind, passed=False).order_by("held_on", "id")
        days = list(failed.values_list("held_on", flat=True)[:limit])
        if len(days) == limit:
            return kind, days[-1]
    return None


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
    if escalated_on and dossier.stage in RECOGNITION_STAGES:
        return escalated_decision_due_on(escalated_on)
    phase = PHASE_OF_STAGE[dossier.stage]
    if phase == Phase.BRANCH_VOTE:
        if certificate_issued_on is None:
            return None
        rule = rules_in_force(on=certificate_issued_on)
        expires = certificate_expires_on(certificate_issued_on)
        return Deadline(
            "certificate",
            "Chi bộ xét kết nạp trước khi giấy chứng nhận bồi dưỡng nhận thức về Đảng hết hạn",
            expires - dt.timedelta(days=1),
            f"{rule.document}: giấy chứng nhận có giá trị {rule.certificate_valid_months} tháng",
        )
    if phase == Phase.ADMISSION_DECISION and branch_vote_on:
        return decision_due_on(branch_vote_on, dossier.decision_extension_working_days)
    if phase == Phase.CEREMONY:
        start = dossier.decision_received_on or dossier.decision_signed_on
        return ceremony_due_on(start) if start else None
    if phase == Phase.PROBATION and dossier.ceremony_held_on:
        return recognition_branch_due_on(probation_ends_on(dossier.ceremony_held_on))
    if phase == Phase.RECOGNITION_DECISION and recognition_vote_on:
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
        escalated_on=escalation[1] if (escalation := recognition_escalation(dossier)) else None,
    )


def set_next_deadline(dossier: Dossier) -> Deadline | None:
    """Put the next deadline on the dossier; the step's service saves it with the rest (common.log)."""
    deadline = compute_next_deadline(dossier) if dossier.is_open else None
    dossier.next_deadline_on = deadline.due_on if deadline else None
    dossier.next_deadline_label = deadline.label if deadline else ""
    dossier.next_deadline_source = deadline.source[:120] if deadline else ""
    return deadline


# The deadline each phase waits on (the keys of the Deadlines above), and from it each open stage's, for the
# overdue records.
DEADLINE_KEY_OF_PHASE = {
    Phase.BRANCH_VOTE: "certificate",
    Phase.ADMISSION_DECISION: "decision",
    Phase.CEREMONY: "ceremony",
    Phase.PROBATION: "recognition_branch",
    Phase.RECOGNITION_DECISION: "recognition_decision",
}
DEADLINE_KEY_OF_STAGE = {
    stage: DEADLINE_KEY_OF_PHASE[phase] for stage, phase in PHASE_OF_STAGE.items() if phase in DEADLINE_KEY_OF_PHASE
}
