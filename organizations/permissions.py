"""What a role may do, beyond what it may see (scope)."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import TREE_EDITOR_ROLES, RoleKind
from .scope import user_role_kinds

# Statuses and transfers follow decisions of committees: the base level and above record them.
DECISION_ROLES = (RoleKind.BASE_STAFF, RoleKind.SUPERIOR_STAFF, RoleKind.PROVINCE_STAFF)


def can_record_decisions(user) -> bool:
    return user.is_superuser or bool(user_role_kinds(user) & set(DECISION_ROLES))


def can_edit_tree(user) -> bool:
    return user.is_superuser or bool(user_role_kinds(user) & set(TREE_EDITOR_ROLES))


def _require(check, message):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


require_decision_maker = _require(can_record_decisions, "Chỉ cấp ủy cơ sở trở lên ghi nhận quyết định này.")
require_tree_editor = _require(can_edit_tree, "Chỉ cấp ủy cấp trên cơ sở trở lên thay đổi hệ thống tổ chức.")
