"""Units are named with their parent wherever they are listed together: «Chi bộ Khu phố 1» exists in every ward."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.forms import MemberFilter, MemberForm, TransferForm
from organizations.models import Organization, OrganizationKind, ResidentialGroup, qualify, with_parent_name
from tests.factories import make_member

XG = "Chi bộ Khu phố 1 — Đảng bộ phường Xương Giang"
DM = "Chi bộ Khu phố 1 — Đảng bộ phường Đa Mai"


@pytest.fixture
def namesakes(tree, personas):
    """A second «Chi bộ Khu phố 1» (in Đa Mai) and Khu phố 2 and 10 in Xương Giang, each with a member."""
    other_ward = Organization.objects.get(pk=tree.other_ward.pk)
    dm_kp1 = Organization.objects.add_child(
        other_ward, dict(code="T-DM-KP1", name="Chi bộ Khu phố 1", kind=OrganizationKind.BASE_BRANCH)
    )
    units = {"dm_kp1": dm_kp1}
    for number in (10, 2):
        ward = Organization.objects.get(pk=tree.ward.pk)
        units[f"kp{number}"] = Organization.objects.add_child(
            ward, dict(code=f"T-XG-KP{number}", name=f"Chi bộ Khu phố {number}", kind=OrganizationKind.BASE_BRANCH)
        )
    make_member(dm_kp1, personas.admin, full_name="Đỗ Thị Mai", birth_date=dt.date(1980, 1, 1))
    return units


def test_qualify_joins_the_parent_name():
    assert qualify("Chi bộ Khu phố 1", "Đảng bộ phường Xương Giang") == XG
    assert qualify("Đảng bộ tỉnh Thử nghiệm", None) == "Đảng bộ tỉnh Thử nghiệm"


def test_qualified_name_reads_the_annotation_without_a_query(tree, namesakes):
    units = list(with_parent_name(Organization.objects.filter(name="Chi bộ Khu phố 1")))
    with CaptureQueriesContext(connection) as queries:
        names = sorted(unit.qualified_name for unit in units)
    assert names == [XG, DM] and len(queries) == 0
    assert Organization.objects.get(pk=tree.province.pk).qualified_name == "Đảng bộ tỉnh Thử nghiệm"


def test_member_filter_offers_each_namesake_with_its_ward_in_natural_order(personas, namesakes):
    choices = [label for _, label in MemberFilter({}, user=personas.province).form.fields["org"].widget.choices]
    assert XG in choices and DM in choices and "Chi bộ Khu phố 1" not in choices
    xg = [label for label in choices if label.endswith("Xương Giang") and "Khu phố" in label]
    assert xg == [XG, "Chi bộ Khu phố 2 — Đảng bộ phường Xương Giang", "Chi bộ Khu phố 10 — Đảng bộ phường Xương Giang"]


def test_member_forms_offer_qualified_branches(personas, namesakes, members):
    for field in (
        MemberForm(user=personas.province).fields["branch"],
        TransferForm(user=personas.province).fields["to_branch"],
    ):
        labels = [label for _, label in field.choices]
        assert XG in labels and DM in labels
        assert field.clean(str(namesakes["dm_kp1"].pk)) == namesakes["dm_kp1"]


def test_member_list_names_branches_with_their_parent(client, personas, namesakes, members):
    client.force_login(personas.province)
    html = client.get(reverse("members:list"), {"q": "mai"}).content.decode()
    assert f'<td data-label="Chi bộ">{DM}</td>' in html


def test_admission_board_filter_names_branches_with_their_parent(client, tree, personas, namesakes):
    client.force_login(personas.province)
    html = client.get(reverse("admissions:board", args=[tree.province.pk])).content.decode()
    assert XG in html and DM in html


def test_organization_page_lists_residential_groups_in_natural_order(client, tree, personas):
    for name in ("Tổ dân phố 10", "Tổ dân phố 2", "Tổ dân phố 1"):
        ResidentialGroup.objects.create(organization=tree.base_branch, name=name)
    client.force_login(personas.superior)
    response = client.get(reverse("organizations:detail", args=[tree.base_branch.pk]))
    assert [g.name for g in response.context["residential_groups"]] == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10"]


def test_member_filter_offers_branches_only_and_the_unit_chosen_from_its_page(tree, personas, namesakes):
    def labels(data):
        return [label for _, label in MemberFilter(data, user=personas.province).form.fields["org"].widget.choices]

    assert "Đảng bộ phường Xương Giang — Đảng bộ tỉnh Thử nghiệm" not in labels({})
    chosen = labels({"org": str(tree.ward.pk)})
    assert "Đảng bộ phường Xương Giang — Đảng bộ tỉnh Thử nghiệm" in chosen and XG in chosen
