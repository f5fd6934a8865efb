import datetime as dt

import pytest

from members.models import BranchMembership
from organizations.models import Organization, OrganizationEvent, OrganizationKind, ResidentialGroup
from organizations.scope import in_scope
from organizations.services import create_organization, merge_organizations, move_organization
from partyorg.lib.errors import DomainError
from tests.factories import tree_decision


def test_create_organization_checks_the_kind_hierarchy(tree, personas):
    branch = create_organization(
        actor=personas.superior,
        parent=tree.base,
        kind=OrganizationKind.BRANCH,
        code="T-XG-NSL-HS",
        name="Chi bộ Học sinh",
        active_from=dt.date(2025, 9, 1),
        **tree_decision(),
    )
    assert Organization.objects.get_parent(branch) == tree.base
    assert OrganizationEvent.objects.filter(organization=branch, action="created").exists()
    with pytest.raises(DomainError, match="không thể trực thuộc"):
        create_organization(
            actor=personas.superior,
            parent=tree.branch_a,
            kind=OrganizationKind.BRANCH,
            code="X1",
            name="Chi bộ con",
            active_from=dt.date(2025, 9, 1),
            **tree_decision(),
        )
    with pytest.raises(DomainError, match="đã được dùng"):
        create_organization(
            actor=personas.superior,
            parent=tree.base,
            kind=OrganizationKind.BRANCH,
            code="T-XG-NSL-HS",
            name="Trùng mã",
            active_from=dt.date(2025, 9, 1),
            **tree_decision(),
        )


def test_moving_a_subtree_keeps_members_in_their_branches(tree, personas, members):
    move_organization(
        actor=personas.province,
        organization=tree.base,
        new_parent=tree.other_ward,
        effective_on=dt.date(2025, 7, 1),
        **tree_decision(decision_number="321-QĐ/TW"),
    )
    members.an.refresh_from_db()
    branch_a = Organization.objects.get(pk=tree.branch_a.pk)
    assert branch_a.path.startswith(Organization.objects.get(pk=tree.other_ward.pk).path)
    assert members.an.branch_id == tree.branch_a.pk
    assert members.an.memberships.count() == 1  # moving the tree is not a transfer of the member
    # Scope follows the tree: the old ward's staff no longer sees the moved units, the new ward's does.
    assert not in_scope(personas.superior, Organization.objects.filter(pk=branch_a.pk)).exists()
    assert in_scope(personas.outsider, Organization.objects.filter(pk=branch_a.pk)).exists()
    event = OrganizationEvent.objects.get(organization=tree.base, action="moved")
    assert event.details["from"] == tree.ward.name and event.decision_number == "321-QĐ/TW"


def test_cannot_move_into_own_subtree(tree, personas):
    with pytest.raises(DomainError, match="Không thể chuyển một tổ chức vào chính nó hoặc tổ chức cấp dưới của nó"):
        move_organization(
            actor=personas.province,
            organization=tree.ward,
            new_parent=tree.base,
            effective_on=dt.date(2025, 7, 1),
            **tree_decision(),
        )


def test_merging_branches_keeps_who_was_where_when(tree, personas, members):
    ResidentialGroup.objects.create(organization=tree.branch_b, name="Tổ dân phố số 3")
    merge_organizations(
        actor=personas.superior,
        source=tree.branch_b,
        target=tree.branch_a,
        effective_on=dt.date(2025, 7, 1),
        **tree_decision(),
    )
    yen = members.yen
    yen.refresh_from_db()
    assert yen.branch_id == tree.branch_a.pk
    periods = list(
        BranchMembership.objects.filter(member=yen).order_by("started_on").values_list("branch_id", "ended_on")
    )
    assert periods == [(tree.branch_b.pk, dt.date(2025, 7, 1)), (tree.branch_a.pk, None)]
    source = Organization.objects.get(pk=tree.branch_b.pk)
    assert source.active_to == dt.date(2025, 7, 1) and source.merged_into_id == tree.branch_a.pk
    assert ResidentialGroup.objects.get(name="Tổ dân phố số 3").organization_id == tree.branch_a.pk


def test_merging_wards_moves_their_units(tree, personas, members):
    merge_organizations(
        actor=personas.province,
        source=tree.other_ward,
        target=tree.ward,
        effective_on=dt.date(2025, 7, 1),
        **tree_decision(),
    )
    other_branch = Organization.objects.get(pk=tree.other_branch.pk)
    assert Organization.objects.get_parent(other_branch).pk == tree.ward.pk
    members.other.refresh_from_db()
    assert members.other.branch_id == other_branch.pk
    with pytest.raises(DomainError, match="ngừng hoạt động"):
        merge_organizations(
            actor=personas.province,
            source=tree.other_ward,
            target=tree.ward,
            effective_on=dt.date(2025, 8, 1),
            **tree_decision(),
        )


def test_merge_refuses_different_kinds(tree, personas):
    with pytest.raises(DomainError, match="cùng loại"):
        merge_organizations(
            actor=personas.province,
            source=tree.base,
            target=tree.ward,
            effective_on=dt.date(2025, 7, 1),
            **tree_decision(),
        )


def test_scope_of_nested_roles_is_one_prefix(tree, personas):
    from organizations.models import Role, RoleKind
    from organizations.scope import scope_paths

    Role.objects.create(user=personas.superior, organization=tree.branch_a, kind=RoleKind.BRANCH_SECRETARY)
    assert scope_paths(personas.superior) == [tree.ward.path]
