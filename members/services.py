"""State changes of the member registry. Each service is one transaction that also writes history."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django_fsm import can_proceed

from audit.models import AuditAction
from audit.services import record_audit_event
from organizations.models import Organization
from organizations.permissions import Action, require_action
from partyorg.lib.dates import check_party_date, today
from partyorg.lib.decisions import cite_decision, require_decision
from partyorg.lib.errors import DomainError
from partyorg.lib.locking import lock_seen
from partyorg.lib.masking import mask_identifier, redact_long_numbers
from partyorg.lib.text import normalize_text

from .counts import count_members_moved
from .models import (
    EXIT_STATUSES,
    REINSTATABLE_STATUSES,
    TRANSITION_DECISION_FIELDS,
    ActivityGap,
    BranchMembership,
    Member,
    MemberStatus,
    MemberStatusChange,
    MemberTransition,
)
from .personal_ids import ensure_personal_id_unused, personal_id_in_query
from .rules import member_rules_in_force
from .validation import member_record_problems

TEXT_FIELDS = (
    "full_name",
    "other_name",
    "birth_registration_place",
    "home_town",
    "permanent_address",
    "temporary_address",
    "occupation",
    "general_education",
    "professional_level",
    "foreign_language",
    "first_introducer",
    "second_introducer",
    "profile_number",
    "card_number",
)


class MemberValidationError(DomainError):
    """Several rule violations at once, keyed by field, for forms and import reports."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(" ".join(message for _, message in problems))
        self.problems = problems


def _check_branch(branch: Organization) -> None:
    if not branch.is_branch:
        raise DomainError("Đảng viên chỉ sinh hoạt tại chi bộ (chi bộ trực thuộc hoặc chi bộ cơ sở).", field="branch")
    if not branch.is_active:
        raise DomainError(f"{branch.name} đã ngừng hoạt động.", field="branch")


def _clean(data: dict) -> dict:
    cleaned = dict(data)
    for field in TEXT_FIELDS:
        if field in cleaned:
            cleaned[field] = normalize_text(cleaned[field])
    return cleaned


def _validate(data: dict) -> None:
    problems = member_record_problems(data, on=today())
    if problems:
        raise MemberValidationError(problems)


def _record_of(member: Member) -> dict:
    """The member file as the registry's rules read it (field name → value)."""
    return {f.name: getattr(member, f.name) for f in Member._meta.concrete_fields}


def create_member(*, actor, branch: Organization, reason: str = "Nhập hồ sơ đảng viên", **fields) -> Member:
    """Register a member (already admitted) in a branch, opening their branch history.

    Direct registration is for the level that keeps member files; admissions reach it through the
    competent committee's decision (admissions.services), whose actor holds such a role too.
    Whether the CCCD is already on file is asked last, once the record is otherwise valid, through the
    audited and limited check (members.personal_ids), before the transaction that writes the member."""
    require_action(actor, Action.REGISTER_MEMBER, branch)
    _check_branch(branch)
    data = _clean(fields)
    _validate(data)
    ensure_personal_id_unused(actor=actor, personal_id=data.get("personal_id"))
    return _register(actor=actor, branch=branch, reason=reason, data=data)


@transaction.atomic
def _register(*, actor, branch: Organization, reason: str, data: dict) -> Member:
    status = MemberStatus.OFFICIAL if data.get("official_on") else MemberStatus.PROBATIONARY
    member = Member(branch=branch, status=status, **data)
    member.status_since = data.get("official_on") or data.get("ceremony_held_on") or data["admission_decided_on"]
    member._history_user = actor
    member._change_reason = reason
    member.save()
    BranchMembership.objects.create(
        member=member,
        branch=branch,
        started_on=data.get("ceremony_held_on") or data["admission_decided_on"],
        reason=reason,
    )
    count_members_moved(added=[(branch.pk, member.status)])
    return member


# A probationary member's ceremony starts the 12 months; the recognition decision sets the official date. Each
# comes from its step (record_ceremony, change_member_status), never from a correction of the file, or the
# probation's end and party age would move without a decision behind them.
DATES_SET_BY_STEPS = frozenset({"ceremony_held_on", "official_on"})


@transaction.atomic
def record_ceremony(*, actor, member: Member, held_on: dt.date, reason: str = "Lễ kết nạp") -> Member:
    """The admission ceremony of a probationary member: the day their probation starts."""
    require_action(actor, Action.EDIT_MEMBER, member.branch)
    member = lock_member(member)
    if member.status != MemberStatus.PROBATIONARY:
        raise DomainError("Chỉ ghi lễ kết nạp cho đảng viên dự bị.", field="held_on")
    if member.ceremony_held_on:
        raise DomainError(f"Đã ghi lễ kết nạp ngày {member.ceremony_held_on:%d/%m/%Y}.", field="held_on")
    member.ceremony_held_on = held_on
    _validate(_record_of(member))
    member._history_user = actor
    member._change_reason = reason
    member.save()
    return member


def lock_member(member: Member, *, seen_version: int | None = None) -> Member:
    """The member's row, locked for the transaction; refused (EditConflict) if it changed after `seen_version`."""
    return lock_seen(Member.objects.select_related("branch"), member.pk, seen_version=seen_version)


@transaction.atomic
def update_member(
    *, actor, member: Member, seen_version: int | None = None, reason: str = "Cập nhật hồ sơ", **fields
) -> Member:
    """Edit the member file; status and branch change only through their own services.

    `seen_version` is the version the edit form showed: the save is refused if anyone changed the file since."""
    require_action(actor, Action.EDIT_MEMBER, member.branch)
    forbidden = {"status", "branch", "branch_id"} & fields.keys()
    if forbidden:
        raise DomainError("Tình trạng và chi bộ chỉ thay đổi qua nghiệp vụ chuyển sinh hoạt hoặc thay đổi tình trạng.")
    if "personal_id" in fields:
        raise DomainError("Số CCCD chỉ thay đổi qua nghiệp vụ «Đổi số CCCD» (có ghi nhật ký).", field="personal_id")
    set_by_steps = DATES_SET_BY_STEPS & fields.keys()
    if set_by_steps:
        field = sorted(set_by_steps)[0]
        raise DomainError(
            "Ngày lễ kết nạp và ngày chính thức chỉ ghi qua bước lễ kết nạp và quyết định công nhận chính thức.",
            field=field,
        )
    member = lock_member(member, seen_version=seen_version)
    data = _clean(fields)
    for field, value in data.items():
        setattr(member, field, value)
    _validate(_record_of(member))
    member._history_user = actor
    member._change_reason = reason
    member.save()
    return member


# Exits that stop party activity: reinstating after them leaves a gap in party age.
_GAP_REASON_FOR_STATUS = {
    MemberStatus.STRUCK_OFF: ActivityGap.Reason.STRUCK_OFF,
    MemberStatus.EXPELLED: ActivityGap.Reason.EXPELLED,
    MemberStatus.TRANSFERRED_OUT: ActivityGap.Reason.TRANSFER,
}


@dataclass(frozen=True)
class StatusChangePlan:
    """A status change checked against every rule, not yet applied: what the confirmation page shows."""

    member: Member
    transition: MemberTransition
    to_status: str
    effective_on: dt.date
    decision: str
    reason: str
    # Reinstating after an exit leaves this period out of party age (Điều lệ Đảng, Điều 5 khoản 4).
    gap_from: dt.date | None

    @property
    def summary(self) -> list[str]:
        member, day = self.member, f"{self.effective_on:%d/%m/%Y}"
        to_label = MemberStatus(self.to_status).label
        sentence = f"{member.full_name} sẽ chuyển từ «{member.get_status_display()}» sang «{to_label}»"
        if self.to_status in EXIT_STATUSES:
            sentence += f", kết thúc sinh hoạt tại {member.branch.name} từ {day}; "
            sentence += (
                f"không thể hoàn tác trừ khi có quyết định «{MemberTransition.REINSTATE.label}»"
                if self.to_status in REINSTATABLE_STATUSES
                else "không thể hoàn tác"
            )
        elif self.transition == MemberTransition.REINSTATE:
            sentence += f", sinh hoạt lại tại {member.branch.name} từ {day}"
            if self.gap_from:
                sentence += f"; thời gian từ {self.gap_from:%d/%m/%Y} đến {day} không tính tuổi đảng"
        else:
            sentence += f" từ {day}"
        lines = [f"{sentence}.", f"Căn cứ: {self.decision}."]
        if self.reason:
            lines.append(f"Lý do: {self.reason}")
        return lines


def plan_status_change(
    *,
    actor,
    member: Member,
    transition: MemberTransition,
    effective_on: dt.date,
    reason: str = "",
    decision_number: str = "",
    decided_by: str = "",
    decided_on: dt.date | None = None,
) -> StatusChangePlan:
    """Check a status change against every rule without applying it (the confirmation step shows the result).

    Each transition carries the parts of its decision that TRANSITION_DECISION_FIELDS requires."""
    require_action(actor, Action.RECORD_DECISION, member.branch)
    transition = MemberTransition(transition)
    if not can_proceed(getattr(member, transition.value)):
        raise DomainError(
            f"Không thể «{transition.label}» khi đảng viên đang ở tình trạng «{member.get_status_display()}».",
            field="transition",
        )
    decision = {
        "decision_number": normalize_text(decision_number),
        "decided_by": normalize_text(decided_by),
        "decided_on": decided_on,
        "reason": (reason or "").strip(),
    }
    require_decision(transition.label, TRANSITION_DECISION_FIELDS[transition], decision)
    check_party_date(effective_on, "Ngày hiệu lực", "effective_on")
    if decided_on:
        check_party_date(decided_on, "Ngày quyết định", "decided_on")
    if transition == MemberTransition.RECOGNIZE_OFFICIAL:
        # A qualified probationary member is official as of the day probation ends (docs/rules/probation.md).
        if member.probation_ends_on is None:
            raise DomainError("Chưa có ngày lễ kết nạp nên chưa tính được ngày hết thời hạn dự bị.")
        if effective_on != member.probation_ends_on:
            raise DomainError(
                f"Ngày công nhận chính thức phải là ngày hết "
                f"{member_rules_in_force(on=member.ceremony_held_on).probation_months} tháng dự bị "
                f"({member.probation_ends_on:%d/%m/%Y}).",
                field="effective_on",
            )
    if transition == MemberTransition.EXPEL and member.status != MemberStatus.OFFICIAL:
        raise DomainError("Chỉ khai trừ đảng viên chính thức; đảng viên dự bị vi phạm thì xóa tên.")
    # Where the transition leads, read off the declared transition on a copy: the member itself is not touched.
    probe = Member(status=member.status, official_on=member.official_on)
    getattr(probe, transition.value)()
    gap = transition == MemberTransition.REINSTATE and member.status in _GAP_REASON_FOR_STATUS
    return StatusChangePlan(
        member=member,
        transition=transition,
        to_status=probe.status,
        effective_on=effective_on,
        decision=cite_decision(decision["decision_number"], decision["decided_by"], decided_on),
        reason=decision["reason"],
        gap_from=(member.status_since or effective_on) if gap else None,
    )


@transaction.atomic
def change_member_status(*, actor, member: Member, **change) -> MemberStatusChange:
    """Move a member through a declared transition and log it (actor, decision, effective date, reason).

    `change`: transition, effective_on and the decision (reason, decision_number, decided_by, decided_on), as
    plan_status_change checks them (the permission included)."""
    member = lock_member(member)
    plan = plan_status_change(actor=actor, member=member, **change)
    effective_on, decided_on = plan.effective_on, change.get("decided_on")
    decision_number = normalize_text(change.get("decision_number", ""))
    decided_by = normalize_text(change.get("decided_by", ""))
    transition = plan.transition
    if transition == MemberTransition.RECOGNIZE_OFFICIAL:
        member.official_on = effective_on
    previous_status = member.status
    getattr(member, transition.value)()
    if plan.gap_from:
        ActivityGap.objects.create(
            member=member,
            reason=_GAP_REASON_FOR_STATUS[previous_status],
            started_on=plan.gap_from,
            ended_on=effective_on,
        )
    member.status_since = effective_on
    member._history_user = actor
    # The history's note column holds 100 characters; the full decision and reason are on the status change.
    member._change_reason = f"{transition.label}: {plan.decision}"[:100]
    member.save()
    count_members_moved(removed=[(member.branch_id, previous_status)], added=[(member.branch_id, member.status)])
    if member.status not in (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL):
        BranchMembership.objects.filter(member=member, ended_on__isnull=True).update(
            ended_on=effective_on, reason=transition.label
        )
    elif transition == MemberTransition.REINSTATE:
        BranchMembership.objects.create(
            member=member,
            branch=member.branch,
            started_on=effective_on,
            reason=transition.label,
            decision_number=decision_number,
        )
    return MemberStatusChange.objects.create(
        member=member,
        transition=transition,
        from_status=previous_status,
        to_status=member.status,
        effective_on=effective_on,
        decision_number=decision_number,
        decided_by=decided_by,
        decided_on=decided_on,
        reason=plan.reason,
        actor=actor,
    )


@transaction.atomic
def transfer_member(
    *,
    actor,
    member: Member,
    to_branch: Organization,
    effective_on: dt.date,
    reason: str = "Chuyển sinh hoạt đảng",
    decision_number: str = "",
) -> BranchMembership:
    """Move an active member to another branch, closing one period of their branch history."""
    require_action(actor, Action.RECORD_DECISION, member.branch, to_branch)
    # Saved whole below: work on the row as it is now, not as the page that asked read it.
    member = lock_member(member)
    if not member.is_active:
        raise DomainError("Chỉ chuyển sinh hoạt cho đảng viên đang sinh hoạt.")
    _check_branch(to_branch)
    if to_branch.pk == member.branch_id:
        raise DomainError("Đảng viên đã sinh hoạt tại chi bộ này.", field="to_branch")
    check_party_date(effective_on, "Ngày chuyển", "effective_on")
    open_period = BranchMembership.objects.filter(member=member, ended_on__isnull=True).first()
    if open_period and effective_on < open_period.started_on:
        raise DomainError(
            "Ngày chuyển không được trước ngày bắt đầu sinh hoạt tại chi bộ hiện tại.", field="effective_on"
        )
    BranchMembership.objects.filter(member=member, ended_on__isnull=True).update(ended_on=effective_on)
    count_members_moved(removed=[(member.branch_id, member.status)], added=[(to_branch.pk, member.status)])
    member.branch = to_branch
    member.residential_group = None
    member._history_user = actor
    member._change_reason = f"{reason} → {to_branch.name}"
    member.save()
    return BranchMembership.objects.create(
        member=member, branch=to_branch, started_on=effective_on, reason=reason, decision_number=decision_number
    )


def change_personal_id(
    *,
    actor,
    member: Member,
    new_personal_id: str,
    reason: str,
    gender: str | None = None,
    birth_date: dt.date | None = None,
) -> Member:
    """Replace the CCCD on file (a re-issued card, a typing error): its own act, by the level that keeps member
    files, with a reason, checked like a new number, written to the member's history and the audit log.

    Gender and birth date may be corrected in the same act: the CCCD must agree with them, so a record where
    both were typed wrong could not be mended one field at a time."""
    require_action(actor, Action.CHANGE_PERSONAL_ID, member.branch)
    new_personal_id = personal_id_in_query(new_personal_id) or (new_personal_id or "").strip()
    # The reason is shown in the file's history: a number typed into it would be a CCCD printed unaudited.
    reason = redact_long_numbers(normalize_text(reason or ""))
    if not reason:
        raise DomainError("Ghi lý do thay đổi số CCCD (ví dụ: cấp lại thẻ CCCD, sửa số nhập sai).", field="reason")
    corrections = {name: value for name, value in (("gender", gender), ("birth_date", birth_date)) if value}
    corrections = {name: value for name, value in corrections.items() if getattr(member, name) != value}
    _validate({**_record_of(member), **corrections, "personal_id": new_personal_id})
    if new_personal_id == member.personal_id:
        raise DomainError("Số CCCD mới giống số đang lưu trong hồ sơ.", field="personal_id")
    ensure_personal_id_unused(actor=actor, personal_id=new_personal_id, exclude_pk=member.pk)
    with transaction.atomic():
        member = lock_member(member)
        previous = member.personal_id
        member.personal_id = new_personal_id
        for name, value in corrections.items():
            setattr(member, name, value)
        member._history_user = actor
        member._change_reason = f"Đổi số CCCD: {reason}"[:100]
        member.save()
        record_audit_event(
            actor=actor,
            action=AuditAction.CHANGE_PERSONAL_ID,
            target=member,
            record_count=1,
            details={
                "from": mask_identifier(previous),
                "to": mask_identifier(new_personal_id),
                "reason": reason,
                "also_corrected": sorted(corrections),
            },
        )
    return member
