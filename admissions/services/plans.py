"""Admission plans: a target per organization and year."""

from django.db import transaction

from organizations.models import Organization
from organizations.permissions import Action, require_action
from partyorg.lib.errors import DomainError

from ..models import AdmissionPlan


@transaction.atomic
def save_admission_plan(*, actor, organization: Organization, year: int, target_count: int, term: str = "",
                        notes: str = "") -> AdmissionPlan:  # fmt: skip
    """Create or update the plan of an organization for a year."""
    require_action(actor, Action.EDIT_ADMISSION_PLAN, organization)
    if target_count < 0:
        raise DomainError("Chỉ tiêu kết nạp không được âm.", field="target_count")
    if not 2000 <= year <= 2100:
        raise DomainError("Năm kế hoạch không hợp lệ.", field="year")
    plan, _ = AdmissionPlan.objects.update_or_create(
        organization=organization, year=year, defaults={"target_count": target_count, "term": term, "notes": notes}
    )
    return plan
