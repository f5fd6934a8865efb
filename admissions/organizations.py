"""Where a branch sits for admission: its base organization and the committee competent to decide."""

from organizations.models import BASE_KINDS, Organization, OrganizationKind


def ancestor_paths(organization: Organization) -> list[str]:
    step = Organization.steplen
    return [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]


def base_organization_of(branch: Organization) -> Organization:
    """The base organization of a branch: the branch itself when it is a base branch."""
    if branch.kind == OrganizationKind.BASE_BRANCH:
        return branch
    base = Organization.objects.filter(path__in=ancestor_paths(branch), kind__in=BASE_KINDS).order_by("-depth").first()
    return base or branch


def has_base_committee_vote(branch: Organization) -> bool:
    """A branch under a base committee goes through the committee's vote (8-KNĐ); a base branch does not."""
    return branch.kind == OrganizationKind.BRANCH


def deciding_organization_of(branch: Organization) -> Organization:
    """The base organization if it is authorized to admit, otherwise the superior committee above it."""
    base = base_organization_of(branch)
    if base.authorized_to_admit:
        return base
    return Organization.objects.get_parent(base) or base


def sub_committee_of(branch: Organization) -> Organization | None:
    """The sub-committee (đảng ủy bộ phận) a branch sits under, if any: it reviews the branch's proposals before
    the base committee (7-KNĐ, 14-KNĐ)."""
    if branch.kind != OrganizationKind.BRANCH:
        return None
    return (
        Organization.objects.filter(path__in=ancestor_paths(branch)[:-1], kind=OrganizationKind.SUB_COMMITTEE)
        .order_by("-depth")
        .first()
    )
