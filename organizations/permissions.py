"""Permission to act: "may this user do action X on organization O".

Scope (organizations/scope.py) decides what a user sees: the union of their roles' subtrees. Acting is
stricter: an action on an object is allowed only through a role **whose own subtree holds the object's
organization** and whose kind may take that action. A user who is base-committee staff in one base and
branch secretary in another records decisions in the first only; in the second they act as a secretary.

Every state-changing view and service calls `require_action` (or `may_act` to decide what to offer) for
the organization of the object it changes; for a change that involves two places (a transfer, a tree move
or merge) it names both, and each must be covered by a role allowed to act there.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import Organization, RoleKind

BRANCH_ROLES = (RoleKind.BRANCH_SECRETARY, RoleKind.BRANCH_DEPUTY)
# Member files are kept by the base level (tổ chức cơ sở đảng) and the levels above it.
FILE_KEEPER_ROLES = (RoleKind.BASE_STAFF, RoleKind.SUPERIOR_STAFF, RoleKind.PROVINCE_STAFF)
# The level directly above the base and the province: they decide on organizations (thành lập, chuyển
# trực thuộc, hợp nhất) and, unless a base committee is authorized, on admissions.
SUPERIOR_ROLES = (RoleKind.SUPERIOR_STAFF, RoleKind.PROVINCE_STAFF)
ALL_ROLES = tuple(RoleKind)


class Action(StrEnum):
    EDIT_MEMBER = "edit_member"  # correct a member's file (profile fields)
    CHANGE_PERSONAL_ID = "change_personal_id"  # replace the CCCD on file: its own audited act
    REVEAL_PERSONAL_ID = "reveal_personal_id"  # see a full CCCD, or search by one
    REGISTER_MEMBER = "register_member"  # register an already admitted member directly, outside admissions
    RECORD_DECISION = "record_decision"  # status changes and transfers follow committee decisions
    IMPORT_ROSTER = "import_roster"
    EXPORT_MEMBERS = "export_members"
    EDIT_TREE = "edit_tree"
    EDIT_ADMISSION_PLAN = "edit_admission_plan"


# Action → the role kinds that may take it (at or above the object's organization).
ACTION_ROLES: dict[Action, tuple[str, ...]] = {
    Action.EDIT_MEMBER: ALL_ROLES,
    Action.CHANGE_PERSONAL_ID: FILE_KEEPER_ROLES,
    Action.REVEAL_PERSONAL_ID: ALL_ROLES,
    Action.REGISTER_MEMBER: FILE_KEEPER_ROLES,
    Action.RECORD_DECISION: FILE_KEEPER_ROLES,
    Action.IMPORT_ROSTER: FILE_KEEPER_ROLES,
    Action.EXPORT_MEMBERS: ALL_ROLES,
    Action.EDIT_TREE: SUPERIOR_ROLES,
    Action.EDIT_ADMISSION_PLAN: ALL_ROLES,
}

REFUSALS: dict[Action, str] = {
    Action.EDIT_MEMBER: "Bạn không có quyền sửa hồ sơ đảng viên của tổ chức này.",
    Action.CHANGE_PERSONAL_ID: "Chỉ cấp ủy cơ sở trở lên (nơi quản lý hồ sơ) thay đổi số CCCD của đảng viên.",
    Action.REVEAL_PERSONAL_ID: "Bạn không có quyền xem số CCCD của đảng viên thuộc tổ chức này.",
    Action.REGISTER_MEMBER: "Chỉ cấp ủy cơ sở trở lên (nơi quản lý hồ sơ đảng viên) đăng ký trực tiếp đảng viên; "
    "chi bộ đưa quần chúng vào nguồn kết nạp.",
    Action.RECORD_DECISION: "Chỉ cấp ủy cơ sở trở lên quản lý tổ chức này ghi nhận quyết định.",
    Action.IMPORT_ROSTER: "Chỉ cấp ủy cơ sở trở lên quản lý tổ chức này được nhập danh sách đảng viên.",
    Action.EXPORT_MEMBERS: "Bạn không có quyền xuất danh sách đảng viên của tổ chức này.",
    Action.EDIT_TREE: "Chỉ cấp ủy cấp trên trực tiếp cơ sở trở lên quản lý cả hai nơi được thay đổi hệ thống tổ chức.",
    Action.EDIT_ADMISSION_PLAN: "Bạn không lập kế hoạch kết nạp cho tổ chức này.",
}


def active_roles(user) -> list[tuple[str, str]]:
    """(role kind, node path) of the user's active roles, read once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_active_roles", None)
    if cached is None:
        cached = list(user.roles.filter(is_active=True).values_list("kind", "organization__path"))
        user._active_roles = cached
    return cached


def holds_role_over(user, organization: Organization, kinds) -> bool:
    """The user holds one of `kinds` at `organization` or at one of its ancestors."""
    if user.is_superuser:
        return True
    return any(kind in kinds and organization.path.startswith(path) for kind, path in active_roles(user))


def may_act(user, action: Action, *organizations: Organization) -> bool:
    """True when, for each organization, a role of a kind allowed to take `action` holds it in its subtree."""
    if not user.is_authenticated or not organizations:
        return False
    kinds = ACTION_ROLES[Action(action)]
    return all(holds_role_over(user, organization, kinds) for organization in organizations)


def require_action(user, action: Action, *organizations: Organization) -> None:
    """The one check before any state change: PermissionDenied unless `may_act`."""
    if not may_act(user, action, *organizations):
        raise PermissionDenied(REFUSALS[Action(action)])


def may_act_anywhere(user, action: Action) -> bool:
    """Whether to offer an entry point (a menu link, a button) at all; the object check still follows."""
    if user.is_superuser:
        return True
    kinds = ACTION_ROLES[Action(action)]
    return any(kind in kinds for kind, _ in active_roles(user))


def organizations_with_role(user, kinds, queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """The organizations of `queryset` under a node where the user holds one of `kinds`."""
    if user.is_superuser:
        return queryset
    paths = [path for kind, path in active_roles(user) if kind in kinds]
    if not paths:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return queryset.filter(condition)


def organizations_for(user, action: Action, queryset: QuerySet[Organization] | None = None) -> QuerySet:
    """The organizations (of `queryset`) on which the user may take `action`: the choices a form offers."""
    queryset = Organization.objects.all() if queryset is None else queryset
    return organizations_with_role(user, ACTION_ROLES[Action(action)], queryset)
