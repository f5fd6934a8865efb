"""The one permission check: a role acts only over its own subtree, whatever other roles the user holds."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from admissions import services as admissions
from admissions.models import ProposedBy
from members.models import MemberStatus, MemberTransition
from members.services import change_member_status, transfer_member
from organizations.models import Organization, Role, RoleKind
from organizations.permissions import Action, may_act, organizations_for
from organizations.services import move_organization
from tests.factories import make_user, personal_id_for


@pytest.fixture
def base_and_secretary(tree):
    """Base-committee staff of Ngô Sĩ Liên who is also secretary of Khu phố 5 in another ward."""
    user = make_user("coso_va_bithu", RoleKind.BASE_STAFF, tree.base)
    Role.objects.create(user=user, organization=tree.other_branch, kind=RoleKind.BRANCH_SECRETARY)
    return user


@pytest.fixture
def superior_and_secretary(tree):
    """Staff of the Đa Mai ward who is also secretary of Khu phố 1 in Xương Giang."""
    user = make_user("phuong_va_bithu", RoleKind.SUPERIOR_STAFF, tree.other_ward)
    Role.objects.create(user=user, organization=tree.base_branch, kind=RoleKind.BRANCH_SECRETARY)
    return user


def test_a_decision_role_acts_only_under_its_own_node(tree, base_and_secretary):
    assert may_act(base_and_secretary, Action.RECORD_DECISION, tree.branch_a)
    assert not may_act(base_and_secretary, Action.RECORD_DECISION, tree.other_branch)
    # The secretary's role still lets them correct the files of their own branch.
    assert may_act(base_and_secretary, Action.EDIT_MEMBER, tree.other_branch)


def test_choices_offered_are_only_where_the_user_may_act(tree, base_and_secretary):
    offered = set(organizations_for(base_and_secretary, Action.RECORD_DECISION).values_list("pk", flat=True))
    assert tree.branch_a.pk in offered and tree.other_branch.pk not in offered


def test_the_service_refuses_a_status_change_through_a_secretary_role(tree, personas, members, base_and_secretary):
    with pytest.raises(PermissionDenied):
        change_member_status(
            actor=base_and_secretary,
            member=members.other,
            transition=MemberTransition.EXPEL,
            effective_on=dt.date(2025, 1, 2),
            decision_number="1-QĐ",
            reason="Thử",
        )
    members.other.refresh_from_db()
    assert members.other.status == MemberStatus.OFFICIAL


def test_a_transfer_needs_a_decision_role_over_both_branches(tree, personas, members, base_and_secretary):
    with pytest.raises(PermissionDenied):
        transfer_member(
            actor=base_and_secretary, member=members.an, to_branch=tree.other_branch, effective_on=dt.date(2025, 1, 2)
        )
    members.an.refresh_from_db()
    assert members.an.branch_id == tree.branch_a.pk


def test_a_tree_move_needs_a_tree_role_over_the_unit_and_its_new_parent(tree, superior_and_secretary):
    with pytest.raises(PermissionDenied):
        move_organization(
            actor=superior_and_secretary,
            organization=tree.base_branch,
            new_parent=tree.other_ward,
            effective_on=dt.date(2025, 7, 1),
        )
    base_branch = Organization.objects.get(pk=tree.base_branch.pk)
    assert Organization.objects.get_parent(base_branch).pk == tree.ward.pk


def _into_source_pool(actor, branch, full_name):
    birth = dt.date(2001, 3, 4)
    return admissions.add_to_source_pool(
        actor=actor,
        branch=branch,
        proposed_by=ProposedBy.YOUTH_UNION,
        proposed_on=dt.date(2024, 1, 10),
        full_name=full_name,
        gender="male",
        birth_date=birth,
        personal_id=personal_id_for("male", birth),
        general_education="upper_secondary",
    )


def test_admission_services_refuse_an_actor_without_the_steps_level(tree, personas, members):
    dossier = _into_source_pool(personas.secretary_b, tree.branch_b, "Quần chúng Thử")
    for actor in (personas.secretary_a, personas.base, personas.province):  # another branch; levels above
        with pytest.raises(PermissionDenied, match="chi ủy chi bộ"):
            admissions.put_on_sympathizer_list(
                actor=actor, dossier=dossier, listed_on=dt.date(2024, 2, 1), helper=members.yen
            )
    with pytest.raises(PermissionDenied):  # a secretary of another branch cannot open dossiers here
        _into_source_pool(personas.secretary_a, tree.branch_b, "Quần chúng Khác")
