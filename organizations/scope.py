"""The one door to data: every queryset that serves a request goes through `in_scope`.

A role opens its node's subtree. Models declare `SCOPE_PATH`, the lookup from the model to the
materialized path of the organization that owns it (e.g. Member: "branch__path").
"""

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Organization


def scope_paths(user) -> list[str] | None:
    """Tree paths the user may see; None means everything (system administrator)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_scope_paths", None)
    if cached is not None:
        return cached
    paths = sorted(set(user.roles.filter(is_active=True).values_list("organization__path", flat=True)))
    # Drop paths nested under another of the user's paths: one prefix covers them.
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    user._scope_paths = roots
    return roots


def in_scope(user, queryset: QuerySet) -> QuerySet:
    """Restrict `queryset` to the objects under the user's role nodes."""
    paths = scope_paths(user)
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    lookup = f"{queryset.model.SCOPE_PATH}__startswith"
    condition = Q()
    for path in paths:
        condition |= Q(**{lookup: path})
    return queryset.filter(condition)


def get_object_in_scope(user, model_or_queryset: type[Model] | QuerySet, **lookup) -> Model:
    """The object, or 404 when it does not exist or lies outside the user's scope."""
    queryset = model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset.objects.all()
    try:
        return in_scope(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("Không tìm thấy hoặc không thuộc phạm vi quản lý của bạn.") from missing


def is_in_scope(user, organization: Organization) -> bool:
    paths = scope_paths(user)
    return paths is None or any(organization.path.startswith(p) for p in paths)
