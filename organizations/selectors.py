"""Reads of the organization tree, always from the user's scope."""

from django.db.models import QuerySet

from partyorg.lib.text import natural_sort_key

from .models import Organization
from .permissions import Action, organizations_for
from .scope import in_scope
from .services import merge_kinds_for, parent_kinds_for


def organizations_visible_to(user) -> QuerySet[Organization]:
    return in_scope(user, Organization.objects.all())


def subunits(organization: Organization) -> list[Organization]:
    """Direct sub-units, by kind then name."""
    return sorted(Organization.objects.get_children(organization), key=lambda o: (o.kind, natural_sort_key(o.name)))


def active_branches_under(organization: Organization) -> list[Organization]:
    """The branches of the subtree that still exist (not merged or dissolved): where members can be placed."""
    from .models import BRANCH_KINDS

    return list(
        Organization.objects.filter(
            path__startswith=organization.path, kind__in=BRANCH_KINDS, active_to__isnull=True
        ).only("id", "name", "code", "path", "kind", "depth", "active_to")
    )


def _active_outside(organization: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(active_to__isnull=True).exclude(path__startswith=organization.path)


def move_targets(user, organization: Organization) -> QuerySet[Organization]:
    """Where `organization` may be moved by `user`: active units of a kind that may hold it, outside its own
    subtree, other than its present parent, and where the user edits the tree."""
    candidates = _active_outside(organization).filter(kind__in=parent_kinds_for(organization.kind))
    if organization.depth > 1:
        candidates = candidates.exclude(path=organization.path[: -Organization.steplen])
    return organizations_for(user, Action.EDIT_TREE, candidates)


def merge_targets(user, organization: Organization) -> QuerySet[Organization]:
    """What `organization` may be merged into by `user`: active units of the same kind, outside its own
    subtree, where the user edits the tree."""
    candidates = _active_outside(organization).filter(kind__in=merge_kinds_for(organization))
    return organizations_for(user, Action.EDIT_TREE, candidates)
