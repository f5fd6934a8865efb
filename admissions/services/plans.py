"""Admission plans: a target per organization and year."""

from django.db import IntegrityError, transaction

from audit.models import AuditAction
from audit.services import record_audit_event
from organizations.models import Organization
from organizations.permissions import Action, require_action
from partyorg.lib.errors import DomainError

from ..models import AdmissionPlan

PLAN_FIELDS = ("target_count", "term", "notes")


def _locked_plan(organization: Organization, year: int) -> AdmissionPlan | None:
    return AdmissionPlan.objects.select_for_update().filter(organization=organization, year=year).first()


@transaction.atomic
def save_admission_plan(*, actor, organization: Organization, year: int, target_count: int, term: str = "",
                        notes: str = "") -> AdmissionPlan:  # fmt: skip
    """Create or update the plan of an organization for a year. A change is kept in the plan's history and in the
    audit log with the target before and after; saving the same values again writes nothing."""
    require_action(actor, Action.EDIT_ADMISSION_PLAN, organization)
    if target_count < 0:
        raise DomainError("Chỉ tiêu kết nạp không được âm.", field="target_count")
    if not 2000 <= year <= 2100:
        raise DomainError("Năm kế hoạch không hợp lệ.", field="year")
    wanted = {"target_count": target_count, "term": term, "notes": notes}
    plan = _locked_plan(organization, year)
    if plan is None:
        try:
            with transaction.atomic():
                plan = AdmissionPlan(organization=organization, year=year, **wanted)
                _save(plan, actor, "Lập kế hoạch")
        except IntegrityError:  # the same plan was created at the same moment: update that one
            plan = _locked_plan(organization, year)
        else:
            _audit(actor, plan, before=None, after=wanted)
            return plan
    before = {name: getattr(plan, name) for name in PLAN_FIELDS}
    if before == wanted:
        return plan
    for name, value in wanted.items():
        setattr(plan, name, value)
    _save(plan, actor, f"Sửa chỉ tiêu {before['target_count']} → {target_count}")
    _audit(actor, plan, before=before, after=wanted)
    return plan


def _save(plan: AdmissionPlan, actor, reason: str) -> None:
    plan._history_user = actor
    plan._change_reason = reason
    plan.save()


def _audit(actor, plan: AdmissionPlan, *, before: dict | None, after: dict) -> None:
    changed = [name for name in PLAN_FIELDS if before is None or before[name] != after[name]]
    record_audit_event(
        actor=actor,
        action=AuditAction.ADMISSION_PLAN_CHANGE,
        target=plan,
        details={
            "organization": plan.organization.name,
            "year": plan.year,
            "target_count": {"old": before["target_count"] if before else None, "new": after["target_count"]},
            "term": {"old": before["term"] if before else None, "new": after["term"]},
            "changed": changed,
        },
    )
