"""Reads of the organization tree, always from the user's scope."""

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from .models import Organization
from .permissions import Action, organizations_for
from .scope import in_scope
from .services import merge_kinds_for, parent_kinds_for


def organizations_visible_to(user) -> QuerySet[Organization]:
    return in_scope(user, Organization.objects.all())


def subunits_with_counts(organization: Organization) -> list[dict]:
    """Direct sub-units with member counts of their whole subtree, in two queries."""
    from members.models import Member, MemberStatus  # counts are about members; the tree stays below them

    children = sorted(Organization.objects.get_children(organization), key=lambda o: (o.kind, o.name))
    prefix_length = len(organization.path) + Organization.steplen
    rows = (
        Member.objects.filter(branch__path__startswith=organization.path, branch__depth__gt=organization.depth)
        .annotate(prefix=Substr("branch__path", 1, prefix_length))
        .values("prefix")
        .annotate(
            official=Count("id", filter=Q(status=MemberStatus.OFFICIAL)),
            probationary=Count("id", filter=Q(status=MemberStatus.PROBATIONARY)),
        )
        .order_by()
    )
    counts = {row["prefix"]: row for row in rows}
    result = []
    for child in children:
        row = counts.get(child.path, {})
        official, probationary = row.get("official", 0), row.get("probationary", 0)
        result.append(
            {
                "organization": child,
                "official": official,
                "probationary": probationary,
                "total": official + probationary,
            }
        )
    return result


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
