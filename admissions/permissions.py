"""Who acts at each step of a dossier: the branch, the base committee, the deciding committee, the province.

Scope decides what a user sees; these levels decide what they may record. A role acts for its node
and everything under it (organizations.permissions.holds_role_over, the one role check).
"""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from organizations.models import BRANCH_KINDS, Organization, OrganizationKind, RoleKind
from organizations.permissions import BRANCH_ROLES, SUPERIOR_ROLES, holds_role_over, organizations_with_role

from .models import Dossier
from .organizations import base_organization_of, deciding_organization_of


class Level(StrEnum):
    BRANCH = "branch"  # chi bộ: bí thư, phó bí thư
    BASE = "base"  # tổ chức cơ sở đảng: đảng ủy cơ sở (or the base branch itself)
    DECIDER = "decider"  # cấp ủy có thẩm quyền quyết định kết nạp, công nhận
    PROVINCE = "province"  # Ban Thường vụ Tỉnh ủy (consent for candidates over 60)


# Who records a step, as messages name them.
LEVEL_LABELS = {
    Level.BRANCH: "chi ủy chi bộ",
    Level.BASE: "đảng ủy cơ sở",
    Level.DECIDER: "cấp ủy có thẩm quyền",
    Level.PROVINCE: "Ban Thường vụ Tỉnh ủy",
}


def levels_for(user, dossier: Dossier) -> set[Level]:
    """The levels at which the user may act on this dossier."""
    if not user.is_authenticated:
        return set()
    branch = dossier.branch
    base = base_organization_of(branch)
    decider = dossier.deciding_organization or deciding_organization_of(branch)
    levels = set()
    if holds_role_over(user, branch, BRANCH_ROLES):
        levels.add(Level.BRANCH)
    base_roles = BRANCH_ROLES if base.kind == OrganizationKind.BASE_BRANCH else (RoleKind.BASE_STAFF,)
    if holds_role_over(user, base, base_roles):
        levels.add(Level.BASE)
    decider_roles = (RoleKind.BASE_STAFF,) if decider.kind == OrganizationKind.BASE_COMMITTEE else SUPERIOR_ROLES
    if decider.kind == OrganizationKind.BASE_BRANCH:
        decider_roles = BRANCH_ROLES
    if holds_role_over(user, decider, decider_roles):
        levels.add(Level.DECIDER)
    if holds_role_over(user, branch, (RoleKind.PROVINCE_STAFF,)):
        levels.add(Level.PROVINCE)
    return levels


def require_level(user, dossier: Dossier, level: Level) -> None:
    if level not in levels_for(user, dossier):
        raise PermissionDenied(f"Bước này do {LEVEL_LABELS[level]} của hồ sơ ghi nhận; bạn không giữ vai trò đó.")


def recorded_by(level: Level):
    """Declare the level that records a step: the service refuses any other actor, whoever calls it
    (the candidate page, the demo, a command). `service.level` is what the candidate page offers by."""

    def decorate(service):
        @wraps(service)
        def checked(*, actor, **kwargs):
            dossier = kwargs["dossier"] if "dossier" in kwargs else kwargs["item"].dossier
            require_level(actor, dossier, level)
            return service(actor=actor, **kwargs)

        checked.level = level
        return checked

    return decorate


def can_open_dossiers(user, branch: Organization) -> bool:
    return holds_role_over(user, branch, BRANCH_ROLES)


def branches_open_to(user) -> QuerySet[Organization]:
    """Active branches where the user may put people in the source pool (secretary or deputy there)."""
    branches = Organization.objects.filter(kind__in=BRANCH_KINDS, active_to__isnull=True)
    return organizations_with_role(user, BRANCH_ROLES, branches)
