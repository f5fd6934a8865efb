"""Who acts at each step of a dossier: the branch, the base committee, the deciding committee, the province.

Scope decides what a user sees; these levels decide what they may record. A role acts for its node
and everything under it.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from organizations.models import BRANCH_KINDS, Organization, OrganizationKind, RoleKind

from .models import Dossier
from .organizations import base_organization_of, deciding_organization_of

BRANCH_ROLES = (RoleKind.BRANCH_SECRETARY, RoleKind.BRANCH_DEPUTY)
SUPERIOR_ROLES = (RoleKind.SUPERIOR_STAFF, RoleKind.PROVINCE_STAFF)


class Level(StrEnum):
    BRANCH = "branch"  # chi bộ: bí thư, phó bí thư
    BASE = "base"  # tổ chức cơ sở đảng: đảng ủy cơ sở (or the base branch itself)
    DECIDER = "decider"  # cấp ủy có thẩm quyền quyết định kết nạp, công nhận
    PROVINCE = "province"  # Ban Thường vụ Tỉnh ủy (consent for candidates over 60)


def _roles(user) -> list[tuple[str, str]]:
    cached = getattr(user, "_admission_roles", None)
    if cached is None:
        cached = list(user.roles.filter(is_active=True).values_list("kind", "organization__path"))
        user._admission_roles = cached
    return cached


def acts_for(user, organization: Organization, kinds) -> bool:
    """The user holds one of `kinds` at `organization` or above it."""
    if user.is_superuser:
        return True
    return any(kind in kinds and organization.path.startswith(path) for kind, path in _roles(user))


def levels_for(user, dossier: Dossier) -> set[Level]:
    """The levels at which the user may act on this dossier."""
    if not user.is_authenticated:
        return set()
    branch = dossier.branch
    base = base_organization_of(branch)
    decider = dossier.deciding_organization or deciding_organization_of(branch)
    levels = set()
    if acts_for(user, branch, BRANCH_ROLES):
        levels.add(Level.BRANCH)
    base_roles = BRANCH_ROLES if base.kind == OrganizationKind.BASE_BRANCH else (RoleKind.BASE_STAFF,)
    if acts_for(user, base, base_roles):
        levels.add(Level.BASE)
    decider_roles = (RoleKind.BASE_STAFF,) if decider.kind == OrganizationKind.BASE_COMMITTEE else SUPERIOR_ROLES
    if decider.kind == OrganizationKind.BASE_BRANCH:
        decider_roles = BRANCH_ROLES
    if acts_for(user, decider, decider_roles):
        levels.add(Level.DECIDER)
    if acts_for(user, branch, (RoleKind.PROVINCE_STAFF,)):
        levels.add(Level.PROVINCE)
    return levels


def can_open_dossiers(user, branch: Organization) -> bool:
    return acts_for(user, branch, BRANCH_ROLES)


def branches_open_to(user) -> QuerySet[Organization]:
    """Active branches where the user may put people in the source pool (secretary or deputy there)."""
    branches = Organization.objects.filter(kind__in=BRANCH_KINDS, active_to__isnull=True)
    if user.is_superuser:
        return branches
    paths = [path for kind, path in _roles(user) if kind in BRANCH_ROLES]
    if not paths:
        return branches.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return branches.filter(condition)
