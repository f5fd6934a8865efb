"""Steps 7–10 of admission: the branch vote (6-KNĐ), the base committee vote (8-KNĐ), the decision (9-KNĐ)."""

import datetime as dt

from django.db import transaction

from members.services import create_member
from partyorg.lib.errors import DomainError
from partyorg.lib.text import fraction_text
from partyorg.lib.working_days import working_days_between

from .. import deadlines
from ..eligibility import branch_vote_problems, is_over_age_limit
from ..models import (
    AWAITING_DECISION_STAGES,
    BRANCH_VOTE_KINDS,
    Dossier,
    DossierStage,
    DossierStep,
    Introduction,
    Vote,
    VoteKind,
)
from ..organizations import deciding_organization_of, has_base_committee_vote
from ..permissions import Level, recorded_by
from ..rules import Rule, rules_in_force, vote_passes
from .common import advance, lock, log, not_before, not_in_future, require_stage

# Member.general_education is the "n/12" text of the member file.
_EDUCATION_AS_GRADE = {
    "literate": "",
    "primary": "5/12",
    "lower_secondary": "9/12",
    "upper_secondary": "12/12",
}


def failed_vote_count(dossier: Dossier, kind: str) -> int:
    return dossier.votes.filter(kind=kind, passed=False).count()


def check_not_escalated(dossier: Dossier, kind: str, rule: Rule) -> None:
    """Three recognition votes below the threshold: the lower body reports upward and does not vote again
    (docs/rules/probation.md "Three failed votes"). The rule speaks of recognition and name removal only; an
    admission vote may be held again."""
    if failed_vote_count(dossier, kind) >= rule.failed_votes_before_escalation:
        raise DomainError(
            f"Đã biểu quyết {rule.failed_votes_before_escalation} lần không đạt "
            f"{fraction_text(rule.vote_threshold(kind))}; báo cáo cấp ủy cấp trên trực tiếp và cấp ủy có thẩm quyền "
            f"xem xét, quyết định ({rule.document})."
        )


def check_counts(
    *, kind, rule: Rule, members_count, excluded_count, in_favour_count, against_count, present_count
) -> int:
    # With fewer full members than the Charter's minimum a branch cannot vote validly (docs/rules/organizations.md).
    if kind in BRANCH_VOTE_KINDS and members_count < rule.branch_minimum_full_members:
        raise DomainError(
            f"Chi bộ chỉ có {members_count} đảng viên chính thức, dưới {rule.branch_minimum_full_members}: không đủ "
            "điều kiện biểu quyết; cấp ủy cấp trên bổ sung đảng viên hoặc hợp nhất chi bộ (Điều lệ Đảng, Điều 21).",
            field="members_count",
        )
    eligible = members_count - excluded_count
    if eligible <= 0:
        raise DomainError("Số đảng viên làm căn cứ tính tỷ lệ phải lớn hơn 0.", field="members_count")
    if in_favour_count + against_count > eligible:
        raise DomainError(
            f"Số tán thành và không tán thành ({in_favour_count + against_count}) vượt quá số làm căn cứ ({eligible}).",
            field="in_favour_count",
        )
    voted = in_favour_count + against_count
    if present_count is not None and voted > present_count:
        raise DomainError(
            f"Số tán thành và không tán thành ({voted}) vượt quá số có mặt ({present_count}).",
            field="in_favour_count",
        )
    return eligible


def create_vote(dossier, *, actor, kind, held_on, resolution_number, members_count, in_favour_count,
                against_count, rule: Rule, temporarily_attached_count=0, exempted_absent_count=0,
                present_count=None, proposal="") -> Vote:  # fmt: skip
    # The denominator: every full member of the branch but those attached temporarily elsewhere and exempted members
    # who are absent; absent members without exemption still count (docs/rules/admission.md "Votes").
    eligible = check_counts(
        kind=kind,
        rule=rule,
        members_count=members_count,
        excluded_count=temporarily_attached_count + exempted_absent_count,
        in_favour_count=in_favour_count,
        against_count=against_count,
        present_count=present_count,
    )
    return Vote.objects.create(
        dossier=dossier,
        kind=kind,
        proposal=proposal,
        held_on=held_on,
        resolution_number=resolution_number,
        members_count=members_count,
        temporarily_attached_count=temporarily_attached_count,
        exempted_absent_count=exempted_absent_count,
        present_count=present_count,
        in_favour_count=in_favour_count,
        against_count=against_count,
        eligible_count=eligible,
        passed=vote_passes(
            in_favour_count=in_favour_count, eligible_count=eligible, threshold=rule.vote_threshold(kind)
        ),
        rule_source=rule.document,
        actor=actor,
    )


def hold_vote(dossier, *, actor, step: str, transition: str, action: str, notes=None, **vote) -> Vote:
    """Record a vote; a passing one moves the dossier by `transition`. Either way the step is logged,
    with `notes(vote)` (default: the counts and the result)."""
    created = create_vote(dossier, actor=actor, **vote)
    from_stage = dossier.stage
    if created.passed:
        advance(dossier, transition, action)
    log(
        dossier,
        actor=actor,
        step=step,
        effective_on=created.held_on,
        from_stage=from_stage,
        decision_number=created.resolution_number,
        notes=(notes or vote_notes)(created),
    )
    return created


def vote_notes(vote: Vote) -> str:
    result = "đạt" if vote.passed else "không đạt"
    return (
        f"{vote.in_favour_count}/{vote.eligible_count} tán thành — {result} tỷ lệ {fraction_text(vote.threshold)} "
        f"({vote.rule_source})"
    )


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_branch_vote(
    *,
    actor,
    dossier: Dossier,
    held_on: dt.date,
    resolution_number: str,
    members_count: int,
    in_favour_count: int,
    against_count: int = 0,
    temporarily_attached_count: int = 0,
    exempted_absent_count: int = 0,
    present_count: int | None = None,
) -> Vote:
    """The branch votes on the candidate: passes with the threshold (2/3) of its full members, not counting those
    attached temporarily elsewhere and exempted members who are absent (docs/rules/admission.md "Votes").
    Eligibility is checked on the vote date (age in full months, education, certificate, introducers)."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PREPARING], "chi bộ xét kết nạp")
    not_in_future(held_on, "Ngày họp chi bộ", "held_on")
    rule = rules_in_force(on=held_on)
    problems = branch_vote_problems(dossier, on=held_on)
    if problems:
        raise DomainError(" ".join(problems))
    return hold_vote(
        dossier,
        actor=actor,
        step=DossierStep.BRANCH_VOTE,
        transition="propose_by_branch",
        action="chi bộ đề nghị kết nạp",
        kind=VoteKind.BRANCH_ADMISSION,
        held_on=held_on,
        resolution_number=resolution_number,
        members_count=members_count,
        temporarily_attached_count=temporarily_attached_count,
        exempted_absent_count=exempted_absent_count,
        present_count=present_count,
        in_favour_count=in_favour_count,
        against_count=against_count,
        rule=rule,
    )


def latest_passed_vote(dossier: Dossier, kind: str) -> Vote | None:
    return dossier.votes.filter(kind=kind, passed=True).order_by("-held_on").first()


@recorded_by(Level.BASE)
@transaction.atomic
def record_base_committee_vote(
    *,
    actor,
    dossier: Dossier,
    held_on: dt.date,
    resolution_number: str,
    members_count: int,
    in_favour_count: int,
    against_count: int = 0,
) -> Vote:
    """The base committee votes (8-KNĐ): passes with the threshold (2/3) of its committee members
    (docs/rules/admission.md "Votes")."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.BRANCH_PROPOSED], "đảng ủy cơ sở xét kết nạp")
    if not has_base_committee_vote(dossier.branch):
        raise DomainError("Chi bộ cơ sở không qua bước đảng ủy cơ sở xét; trình thẳng cấp ủy có thẩm quyền.")
    not_in_future(held_on, "Ngày họp đảng ủy", "held_on")
    branch_vote = latest_passed_vote(dossier, VoteKind.BRANCH_ADMISSION)
    not_before(held_on, branch_vote.held_on, "Ngày đảng ủy xét", "ngày chi bộ ra nghị quyết", "held_on")
    rule = rules_in_force(on=held_on)
    return hold_vote(
        dossier,
        actor=actor,
        step=DossierStep.BASE_VOTE,
        transition="propose_by_base",
        action="đảng ủy cơ sở đề nghị kết nạp",
        kind=VoteKind.BASE_ADMISSION,
        held_on=held_on,
        resolution_number=resolution_number,
        members_count=members_count,
        in_favour_count=in_favour_count,
        against_count=against_count,
        rule=rule,
    )


def _ready_for_decision_stages(dossier: Dossier) -> list[str]:
    if has_base_committee_vote(dossier.branch):
        return [DossierStage.BASE_PROPOSED]
    return [DossierStage.BRANCH_PROPOSED]


@recorded_by(Level.DECIDER)
@transaction.atomic
def extend_decision_deadline(
    *, actor, dossier: Dossier, working_days: int, reason: str, decided_on: dt.date
) -> Dossier:
    """Extend the time to decide, in special cases, by up to the rule's maximum in all
    (docs/rules/admission.md "Deadlines")."""
    dossier = lock(dossier)
    require_stage(dossier, AWAITING_DECISION_STAGES, "gia hạn ra quyết định")
    branch_vote = latest_passed_vote(dossier, VoteKind.BRANCH_ADMISSION)
    rule = rules_in_force(on=branch_vote.held_on)
    total = dossier.decision_extension_working_days + working_days
    if working_days <= 0 or total > rule.decision_extension_max.count:
        raise DomainError(
            f"Chỉ được gia hạn tổng cộng không quá {rule.decision_extension_max} ({rule.document}).",
            field="working_days",
        )
    if not reason:
        raise DomainError("Ghi rõ lý do gia hạn (trường hợp đặc biệt).", field="reason")
    not_in_future(decided_on, "Ngày gia hạn", "decided_on")
    not_before(decided_on, branch_vote.held_on, "Ngày gia hạn", "ngày chi bộ ra nghị quyết", "decided_on")
    dossier.decision_extension_working_days = total
    dossier.decision_extension_reason = reason
    log(
        dossier,
        actor=actor,
        step=DossierStep.DECISION_EXTENSION,
        effective_on=decided_on,
        from_stage=dossier.stage,
        notes=f"Gia hạn {working_days} ngày làm việc: {reason}",
    )
    return dossier


def introducer_names(dossier: Dossier) -> list[str]:
    """Who introduced the new member, as their file records it: the Youth Union resolution first, then the
    members, picked from the registry or named by hand."""
    introductions = list(dossier.introductions.select_related("introducer"))
    youth = [str(i) for i in introductions if i.kind != Introduction.Kind.MEMBER]
    return youth + [str(i) for i in introductions if i.kind == Introduction.Kind.MEMBER]


@recorded_by(Level.DECIDER)
@transaction.atomic
def record_admission_decision(
    *,
    actor,
    dossier: Dossier,
    decision_number: str,
    signed_on: dt.date,
    approved: bool = True,
    late_reason: str = "",
    refusal_reason: str = "",
):
    """The competent committee's decision (9-KNĐ), within the rule's working days of the branch resolution.
    Approval creates the probationary member, with the decision date from which party age counts."""
    dossier = lock(dossier)
    require_stage(dossier, _ready_for_decision_stages(dossier), "ra quyết định kết nạp")
    not_in_future(signed_on, "Ngày ký quyết định", "signed_on")
    branch_vote = latest_passed_vote(dossier, VoteKind.BRANCH_ADMISSION)
    not_before(signed_on, branch_vote.held_on, "Ngày quyết định", "ngày chi bộ ra nghị quyết", "signed_on")
    base_vote = latest_passed_vote(dossier, VoteKind.BASE_ADMISSION)
    if base_vote:
        not_before(signed_on, base_vote.held_on, "Ngày quyết định", "ngày đảng ủy cơ sở ra nghị quyết", "signed_on")
    deadline = deadlines.decision_due_on(branch_vote.held_on, dossier.decision_extension_working_days)
    notes = []
    if signed_on > deadline.due_on:
        late = working_days_between(deadline.due_on, signed_on)
        if not late_reason:
            raise DomainError(
                f"Quyết định ngày {signed_on:%d/%m/%Y} chậm {late} ngày làm việc so với hạn {deadline.due_on:%d/%m/%Y} "
                f"({deadline.source}); ghi rõ lý do chậm để báo cáo cấp ủy cấp trên.",
                field="late_reason",
            )
        notes.append(f"Chậm {late} ngày làm việc: {late_reason}")
    from_stage = dossier.stage
    dossier.deciding_organization = deciding_organization_of(dossier.branch)
    dossier.decision_number, dossier.decision_signed_on = decision_number, signed_on
    if not approved:
        if not refusal_reason:
            raise DomainError("Ghi rõ lý do không kết nạp để thông báo cho chi bộ.", field="refusal_reason")
        advance(dossier, "close", "dừng xem xét")
        dossier.closed_on, dossier.closed_reason = signed_on, f"Cấp ủy không đồng ý kết nạp: {refusal_reason}"
        log(
            dossier,
            actor=actor,
            step=DossierStep.DECISION,
            effective_on=signed_on,
            from_stage=from_stage,
            decision_number=decision_number,
            notes="; ".join([dossier.closed_reason, *notes]),
        )
        return dossier
    vote_rule = rules_in_force(on=branch_vote.held_on)
    if is_over_age_limit(dossier, branch_vote.held_on) and not (
        dossier.province_consent_on and dossier.province_consent_on <= signed_on
    ):
        raise DomainError(
            f"Người vào Đảng trên {vote_rule.maximum_age_years} tuổi (tính theo tháng, vào ngày chi bộ xét) phải có "
            f"văn bản đồng ý của Ban Thường vụ Tỉnh ủy trước khi quyết định ({vote_rule.document})."
        )
    candidate = dossier.candidate
    names = introducer_names(dossier)
    member = create_member(
        actor=actor,
        branch=dossier.branch,
        reason=f"Kết nạp theo quyết định số {decision_number}",
        full_name=candidate.full_name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
        personal_id=candidate.personal_id,
        ethnicity=candidate.ethnicity,
        religion=candidate.religion,
        home_town=candidate.home_town,
        permanent_address=candidate.permanent_address,
        occupation=candidate.occupation,
        general_education=_EDUCATION_AS_GRADE.get(candidate.general_education, ""),
        admission_decided_on=signed_on,
        first_introducer=names[0] if names else "",
        second_introducer=names[1] if len(names) > 1 else "",
    )
    dossier.member = member
    advance(dossier, "admit", "ra quyết định kết nạp")
    log(
        dossier,
        actor=actor,
        step=DossierStep.DECISION,
        effective_on=signed_on,
        from_stage=from_stage,
        decision_number=decision_number,
        notes="; ".join([f"{dossier.deciding_organization} quyết định kết nạp", *notes]),
    )
    return dossier


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_decision_received(*, actor, dossier: Dossier, received_on: dt.date) -> Dossier:
    """The day the branch receives the decision: the ceremony's 30 working days start here."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.ADMITTED], "ghi ngày nhận quyết định")
    not_in_future(received_on, "Ngày nhận quyết định", "received_on")
    not_before(received_on, dossier.decision_signed_on, "Ngày nhận quyết định", "ngày ký quyết định", "received_on")
    dossier.decision_received_on = received_on
    log(dossier, actor=actor, step=DossierStep.DECISION_RECEIVED, effective_on=received_on, from_stage=dossier.stage)
    return dossier


@recorded_by(Level.BRANCH)
@transaction.atomic
def close_dossier(*, actor, dossier: Dossier, closed_on: dt.date, reason: str) -> Dossier:
    """Stop the dossier before the decision (withdrawn, no longer eligible, moved away)."""
    dossier = lock(dossier)
    not_in_future(closed_on, "Ngày dừng", "closed_on")
    if not reason:
        raise DomainError("Ghi rõ lý do dừng xem xét.", field="reason")
    from_stage = dossier.stage
    advance(dossier, "close", "dừng xem xét")
    dossier.closed_on, dossier.closed_reason = closed_on, reason
    log(dossier, actor=actor, step=DossierStep.CLOSED, effective_on=closed_on, from_stage=from_stage, notes=reason)
    return dossier
