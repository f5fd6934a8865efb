"""Steps 11–13 and recognition: ceremony, probation, votes 13-/15-KNĐ and the decision 16-KNĐ
(docs/rules/probation.md)."""

import datetime as dt

from django.db import transaction

from members import services as members_services
from members.models import Member, MemberTransition
from members.services import change_member_status
from partyorg.lib.errors import DomainError
from partyorg.lib.text import fraction_text
from partyorg.lib.working_days import working_days_between

from .. import deadlines
from ..models import RECOGNITION_STAGES, Dossier, DossierStage, DossierStep, Opinion, RecognitionOutcome, VoteKind
from ..organizations import deciding_organization_of, has_base_committee_vote
from ..permissions import Level, recorded_by
from ..rules import rules_in_force
from .common import advance, check_official_member_of_branch, lock, log, not_before, not_in_future, require_stage
from .dossier import opinion_summary_problems
from .votes import check_not_escalated, hold_vote, latest_passed_vote, vote_notes


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_ceremony(
    *, actor, dossier: Dossier, held_on: dt.date, probation_helper: Member | None, late_consent: str = ""
) -> Dossier:
    """The admission ceremony, within 30 working days of receiving the decision (later only with the superior
    committee's consent); a full member is assigned to help; probation starts that day
    (docs/rules/admission.md "Deadlines")."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.ADMITTED], "tổ chức lễ kết nạp")
    not_in_future(held_on, "Ngày lễ kết nạp", "held_on")
    start = dossier.decision_received_on or dossier.decision_signed_on
    not_before(held_on, start, "Ngày lễ kết nạp", "ngày nhận quyết định", "held_on")
    check_official_member_of_branch(probation_helper, dossier.branch, "đảng viên giúp đỡ", "probation_helper")
    deadline = deadlines.ceremony_due_on(start)
    notes = [f"Đảng viên giúp đỡ: {probation_helper}"]
    if held_on > deadline.due_on:
        if not late_consent:
            raise DomainError(
                f"Lễ kết nạp ngày {held_on:%d/%m/%Y} quá hạn {deadline.due_on:%d/%m/%Y} ({deadline.source}); "
                "phải có ý kiến đồng ý của cấp ủy cấp trên trực tiếp.",
                field="late_consent",
            )
        notes.append(f"Quá hạn, cấp ủy cấp trên đồng ý: {late_consent}")
    from_stage = dossier.stage
    dossier.ceremony_held_on = held_on
    dossier.probation_helper = probation_helper
    dossier.member = members_services.record_ceremony(actor=actor, member=dossier.member, held_on=held_on)
    advance(dossier, "hold_ceremony", "tổ chức lễ kết nạp")
    log(
        dossier,
        actor=actor,
        step=DossierStep.CEREMONY,
        effective_on=held_on,
        from_stage=from_stage,
        notes="; ".join(notes),
    )
    return dossier


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_new_member_course(
    *, actor, dossier: Dossier, completed_on: dt.date, certificate_number: str = ""
) -> Dossier:
    """The new-member political course, needed for recognition (docs/rules/probation.md "The recognition file")."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PROBATION], "ghi lớp bồi dưỡng đảng viên mới")
    not_in_future(completed_on, "Ngày hoàn thành", "completed_on")
    not_before(completed_on, dossier.ceremony_held_on, "Ngày hoàn thành lớp", "ngày lễ kết nạp", "completed_on")
    dossier.new_member_course_completed_on = completed_on
    dossier.new_member_course_certificate_number = certificate_number
    log(
        dossier,
        actor=actor,
        step=DossierStep.NEW_MEMBER_COURSE,
        effective_on=completed_on,
        from_stage=dossier.stage,
        decision_number=certificate_number,
    )
    return dossier


# The papers of the recognition file, by the step that records them.
RECOGNITION_PAPERS = {
    DossierStep.SELF_ASSESSMENT: ("self_assessment_on", "bản tự kiểm điểm (10-KNĐ)"),
    DossierStep.HELPER_COMMENT: ("helper_comment_on", "nhận xét của đảng viên giúp đỡ (11-KNĐ)"),
    DossierStep.RECOGNITION_OPINIONS: ("recognition_opinions_on", "tổng hợp ý kiến nhận xét (12-KNĐ)"),
}


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_recognition_paper(*, actor, dossier: Dossier, step: DossierStep, dated_on: dt.date) -> Dossier:
    """A paper of the recognition file: self-assessment (10-KNĐ), helper's comment (11-KNĐ), opinions (12-KNĐ)."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PROBATION], "ghi hồ sơ xét chính thức")
    field, label = RECOGNITION_PAPERS[DossierStep(step)]
    not_in_future(dated_on, "Ngày", "dated_on")
    not_before(dated_on, dossier.ceremony_held_on, f"Ngày {label}", "ngày lễ kết nạp", "dated_on")
    if step == DossierStep.RECOGNITION_OPINIONS:
        problems = opinion_summary_problems(dossier, Opinion.Phase.RECOGNITION)
        if problems:
            raise DomainError(" ".join(problems))
    setattr(dossier, field, dated_on)
    log(dossier, actor=actor, step=step, effective_on=dated_on, from_stage=dossier.stage)
    return dossier


def recognition_file_problems(dossier: Dossier, rule) -> list[str]:
    """The papers of the recognition file still missing (10-, 11-, 12-KNĐ, the new-member course)."""
    missing = [label for field, label in RECOGNITION_PAPERS.values() if getattr(dossier, field) is None]
    if dossier.new_member_course_completed_on is None:
        missing.append("giấy chứng nhận lớp bồi dưỡng lý luận chính trị cho đảng viên mới")
    if not missing:
        return []
    return [f"Hồ sơ xét chính thức còn thiếu: {'; '.join(missing)} (Điều lệ Đảng, Điều 5; {rule.document})."]


def probation_not_over_problems(dossier: Dossier, on: dt.date) -> list[str]:
    """The branch reviews a probationary member only once the months of probation are over."""
    probation_end = deadlines.probation_ends_on(dossier.ceremony_held_on)
    if on >= probation_end:
        return []
    rule = rules_in_force(on=probation_end)
    return [
        f"Chi bộ chỉ xét sau khi hết {rule.probation_months} tháng dự bị ({probation_end:%d/%m/%Y}) "
        f"(Điều lệ Đảng, Điều 5; {rule.document})."
    ]


def recognition_vote_problems(dossier: Dossier, *, on: dt.date) -> list[str]:
    """Why the branch cannot propose recognition on `on` (13-KNĐ): the 12 months not over, papers missing. A
    proposal to strike off needs no papers; the candidate page shows these before the vote's form."""
    rule = rules_in_force(on=deadlines.probation_ends_on(dossier.ceremony_held_on))
    return probation_not_over_problems(dossier, on) + recognition_file_problems(dossier, rule)


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_recognition_branch_vote(
    *,
    actor,
    dossier: Dossier,
    proposal: str,
    held_on: dt.date,
    resolution_number: str,
    members_count: int,
    in_favour_count: int,
    against_count: int = 0,
    temporarily_attached_count: int = 0,
    exempted_absent_count: int = 0,
    present_count: int | None = None,
) -> object:
    """The branch reviews the probationary member once probation has ended (13-KNĐ): the threshold (2/3) of full
    members to propose recognition, or name removal when not qualified; there is no extension of probation
    (docs/rules/probation.md)."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PROBATION], "chi bộ xét công nhận chính thức")
    not_in_future(held_on, "Ngày họp chi bộ", "held_on")
    probation_end = deadlines.probation_ends_on(dossier.ceremony_held_on)
    rule = rules_in_force(on=probation_end)
    problems = probation_not_over_problems(dossier, held_on)
    if problems:
        raise DomainError(" ".join(problems))
    if proposal not in RecognitionOutcome.values:
        # No third outcome: the Charter has no extension of probation (docs/rules/probation.md).
        raise DomainError(
            "Chi bộ chỉ đề nghị công nhận đảng viên chính thức hoặc xóa tên; không kéo dài thời gian dự bị "
            f"(Điều lệ Đảng, Điều 5; {rule.document}).",
            field="proposal",
        )
    if proposal == RecognitionOutcome.OFFICIAL:
        problems = recognition_file_problems(dossier, rule)
        if problems:
            raise DomainError(" ".join(problems))
    check_not_escalated(dossier, VoteKind.BRANCH_RECOGNITION, rule)
    due = deadlines.recognition_branch_due_on(probation_end)
    late = f"; chậm so với hạn {due.due_on:%d/%m/%Y}" if held_on > due.due_on else ""
    return hold_vote(
        dossier,
        actor=actor,
        step=DossierStep.RECOGNITION_BRANCH_VOTE,
        transition="review_by_branch",
        action="chi bộ đề nghị",
        notes=lambda vote: f"Đề nghị: {RecognitionOutcome(proposal).label}; {vote_notes(vote)}{late}",
        kind=VoteKind.BRANCH_RECOGNITION,
        proposal=proposal,
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


@recorded_by(Level.BASE)
@transaction.atomic
def record_recognition_base_vote(
    *, actor, dossier: Dossier, held_on: dt.date, resolution_number: str, members_count: int, in_favour_count: int,
    against_count: int = 0,
) -> object:  # fmt: skip
    """The base committee reviews the branch's proposal (15-KNĐ): the threshold (2/3) of committee members
    (docs/rules/probation.md)."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.RECOGNITION_BRANCH], "đảng ủy cơ sở xét công nhận chính thức")
    if not has_base_committee_vote(dossier.branch):
        raise DomainError("Chi bộ cơ sở không qua bước đảng ủy cơ sở xét; trình thẳng cấp ủy có thẩm quyền.")
    not_in_future(held_on, "Ngày họp đảng ủy", "held_on")
    branch_vote = latest_passed_vote(dossier, VoteKind.BRANCH_RECOGNITION)
    not_before(held_on, branch_vote.held_on, "Ngày đảng ủy xét", "ngày chi bộ ra nghị quyết", "held_on")
    rule = rules_in_force(on=held_on)
    check_not_escalated(dossier, VoteKind.BASE_RECOGNITION, rule)
    return hold_vote(
        dossier,
        actor=actor,
        step=DossierStep.RECOGNITION_BASE_VOTE,
        transition="review_by_base",
        action="đảng ủy cơ sở đề nghị",
        kind=VoteKind.BASE_RECOGNITION,
        proposal=branch_vote.proposal,
        held_on=held_on,
        resolution_number=resolution_number,
        members_count=members_count,
        in_favour_count=in_favour_count,
        against_count=against_count,
        rule=rule,
    )


def escalated_vote_kind(dossier: Dossier) -> str | None:
    """The recognition vote a lower body held three times without reaching its threshold, if any: the competent
    committee then decides on its own (docs/rules/probation.md "Three failed votes"; admissions.deadlines)."""
    escalation = deadlines.recognition_escalation(dossier)
    return escalation[0] if escalation else None


def is_recognition_escalated(dossier: Dossier) -> bool:
    return escalated_vote_kind(dossier) is not None


@recorded_by(Level.DECIDER)
@transaction.atomic
def record_recognition_decision(
    *, actor, dossier: Dossier, outcome: str, decision_number: str, decided_on: dt.date, late_reason: str = ""
) -> Dossier:
    """The competent committee decides (16-KNĐ) within 30 working days of the branch resolution. A qualified member
    is official as of the day probation ends; one not qualified is struck off — no extension
    (docs/rules/probation.md)."""
    dossier = lock(dossier)
    escalated = escalated_vote_kind(dossier)
    ready = [
        DossierStage.RECOGNITION_BASE if has_base_committee_vote(dossier.branch) else DossierStage.RECOGNITION_BRANCH
    ]
    if escalated:
        ready = RECOGNITION_STAGES
    require_stage(dossier, ready, "quyết định công nhận chính thức / xóa tên")
    if outcome not in RecognitionOutcome.values:
        raise DomainError(
            "Quyết định chỉ có thể công nhận đảng viên chính thức hoặc xóa tên; không kéo dài thời gian dự bị "
            f"(Điều lệ Đảng, Điều 5; {rules_in_force(on=dossier.ceremony_held_on).document}).",
            field="outcome",
        )
    not_in_future(decided_on, "Ngày quyết định", "decided_on")
    notes = []
    branch_vote = latest_passed_vote(dossier, VoteKind.BRANCH_RECOGNITION)
    if branch_vote and not escalated:
        if outcome != branch_vote.proposal:
            raise DomainError(
                f"Quyết định phải theo đề nghị đã được biểu quyết: «{RecognitionOutcome(branch_vote.proposal).label}»."
            )
        not_before(decided_on, branch_vote.held_on, "Ngày quyết định", "ngày chi bộ ra nghị quyết", "decided_on")
        deadline = deadlines.recognition_decision_due_on(branch_vote.held_on)
        if decided_on > deadline.due_on:
            if not late_reason:
                raise DomainError(
                    f"Quyết định ngày {decided_on:%d/%m/%Y} chậm {working_days_between(deadline.due_on, decided_on)} "
                    f"ngày làm việc so với hạn {deadline.due_on:%d/%m/%Y} ({deadline.source}); ghi rõ lý do chậm.",
                    field="late_reason",
                )
            notes.append(f"Chậm hạn: {late_reason}")
    if escalated:
        rule = rules_in_force(on=dossier.ceremony_held_on)
        notes.append(
            f"Cấp dưới biểu quyết {rule.failed_votes_before_escalation} lần không đạt "
            f"{fraction_text(rule.vote_threshold(escalated))}; cấp ủy có thẩm quyền quyết định"
        )
    from_stage = dossier.stage
    member = dossier.member
    decision = dict(
        decision_number=decision_number,
        decided_by=str(dossier.deciding_organization or deciding_organization_of(dossier.branch)),
        decided_on=decided_on,
    )
    if outcome == RecognitionOutcome.OFFICIAL:
        # Official as of the day probation ends, even when the meeting or the decision came late (QĐ 29-QĐ/TW
        # point 4.2; docs/rules/probation.md).
        change_member_status(
            actor=actor,
            member=member,
            transition=MemberTransition.RECOGNIZE_OFFICIAL,
            effective_on=deadlines.probation_ends_on(dossier.ceremony_held_on),
            reason="Công nhận đảng viên chính thức",
            **decision,
        )
        advance(dossier, "recognize", "công nhận chính thức")
    else:
        change_member_status(
            actor=actor,
            member=member,
            transition=MemberTransition.STRIKE_OFF,
            effective_on=decided_on,
            reason="Đảng viên dự bị không đủ tư cách đảng viên chính thức",
            **decision,
        )
        advance(dossier, "strike_off", "xóa tên")
    dossier.recognition_outcome = outcome
    dossier.recognition_decision_number, dossier.recognition_decided_on = decision_number, decided_on
    log(
        dossier,
        actor=actor,
        step=DossierStep.RECOGNITION_DECISION,
        effective_on=decided_on,
        from_stage=from_stage,
        decision_number=decision_number,
        notes="; ".join([RecognitionOutcome(outcome).label, *notes]),
    )
    return dossier
