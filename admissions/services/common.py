"""Helpers shared by the admission services: locking, date checks, stage checks, the event log."""

import datetime as dt

from django_fsm import can_proceed

from members.models import Member, MemberStatus
from organizations.models import Organization
from partyorg.lib.dates import check_party_date
from partyorg.lib.errors import DomainError
from partyorg.lib.locking import lock_seen

from .. import deadlines
from ..models import Dossier, DossierEvent, DossierStep


def lock(dossier: Dossier, *, seen_version: int | None = None) -> Dossier:
    """The dossier's row, locked for the transaction; refused (EditConflict) if it changed after `seen_version`."""
    return lock_seen(Dossier.objects.select_related("candidate", "branch"), dossier.pk, seen_version=seen_version)


def not_in_future(day: dt.date, label: str, field: str) -> None:
    """A step's date: not in the future, and not before the Party was founded (one bound, partyorg.lib.dates)."""
    check_party_date(day, label, field)


def not_before(day: dt.date, earlier: dt.date | None, label: str, earlier_label: str, field: str) -> None:
    if earlier and day < earlier:
        raise DomainError(f"{label} không được trước {earlier_label} ({earlier:%d/%m/%Y}).", field=field)


def require_stage(dossier: Dossier, stages, action: str) -> None:
    if dossier.stage not in stages:
        raise DomainError(f"Không thể «{action}» khi hồ sơ đang ở giai đoạn «{dossier.get_stage_display()}».")


def advance(dossier: Dossier, transition_name: str, action: str) -> None:
    method = getattr(dossier, transition_name)
    if not can_proceed(method):
        raise DomainError(f"Không thể «{action}» khi hồ sơ đang ở giai đoạn «{dossier.get_stage_display()}».")
    method()


def log(
    dossier: Dossier,
    *,
    actor,
    step: DossierStep,
    effective_on: dt.date,
    from_stage: str,
    decision_number: str = "",
    notes: str = "",
) -> DossierEvent:
    # One save per step: one version and one history row, naming who recorded which step.
    deadlines.set_next_deadline(dossier)
    dossier._history_user = actor
    dossier._change_reason = DossierStep(step).label[:100]
    dossier.save()
    return DossierEvent.objects.create(
        dossier=dossier,
        step=step,
        from_stage=from_stage,
        to_stage=dossier.stage,
        effective_on=effective_on,
        decision_number=decision_number,
        notes=notes,
        actor=actor,
    )


def check_official_member_of_branch(member: Member | None, branch: Organization, role: str, field: str) -> None:
    if member is None:
        raise DomainError(f"Chưa chọn {role}.", field=field)
    if member.status != MemberStatus.OFFICIAL:
        raise DomainError(f"{role.capitalize()} phải là đảng viên chính thức (Điều lệ Đảng, Điều 4–5).", field=field)
    if member.branch_id != branch.pk:
        raise DomainError(f"{role.capitalize()} phải là đảng viên của {branch.name}.", field=field)
