"""How printed documents name an organization: the committee that issues, the place of the date line."""

import pytest
from django.urls import reverse

from organizations.models import Organization, OrganizationKind
from tests.factories import tree_decision


@pytest.mark.parametrize(
    "kind, name, committee",
    [
        (OrganizationKind.PROVINCE, "Đảng bộ tỉnh Bắc Giang", "Tỉnh ủy Bắc Giang"),
        (OrganizationKind.PROVINCE, "Đảng bộ Thành phố Hà Nội", "Thành ủy Hà Nội"),
        (OrganizationKind.SUPERIOR, "Đảng bộ phường Xương Giang", "Đảng ủy phường Xương Giang"),
        (OrganizationKind.SUPERIOR, "Đảng bộ xã Lục Sơn", "Đảng ủy xã Lục Sơn"),
        (OrganizationKind.BASE_COMMITTEE, "Đảng bộ Trường THPT Ngô Sĩ Liên", "Đảng ủy Trường THPT Ngô Sĩ Liên"),
        (OrganizationKind.SUB_COMMITTEE, "Đảng bộ bộ phận Tổ Tự nhiên", "Đảng ủy bộ phận Tổ Tự nhiên"),
        (OrganizationKind.SUPERIOR, "Đảng ủy Khối các cơ quan tỉnh", "Đảng ủy Khối các cơ quan tỉnh"),
        (OrganizationKind.BASE_BRANCH, "Chi bộ Khu phố 1", "Chi bộ Khu phố 1"),
        (OrganizationKind.BRANCH, "Chi bộ Giáo viên", "Chi bộ Giáo viên"),
    ],
)
def test_a_party_organization_issues_through_its_committee(kind, name, committee):
    assert Organization(kind=kind, name=name).committee_name == committee


def test_the_place_name_of_documents_falls_back_to_the_nearest_ancestor(tree):
    assert tree.branch_a.document_place_name() == ""
    Organization.objects.filter(pk=tree.province.pk).update(place_name="Bắc Giang")
    assert tree.branch_a.document_place_name() == "Bắc Giang"
    Organization.objects.filter(pk=tree.base.pk).update(place_name="Bắc Ninh")
    assert tree.branch_a.document_place_name() == "Bắc Ninh"
    assert tree.base_branch.document_place_name() == "Bắc Giang"  # another line of descent
    tree.branch_a.place_name = "Xương Giang"
    assert tree.branch_a.document_place_name() == "Xương Giang"


def test_the_place_name_is_set_when_an_organization_is_founded(client, tree, personas):
    client.force_login(personas.superior)
    url = reverse("organizations:create_child", args=[tree.base.pk])
    form = client.get(url).content.decode()
    assert 'name="place_name"' in form
    data = {
        "kind": OrganizationKind.BRANCH,
        "code": "T-XG-NSL-HS",
        "name": "Chi bộ Học sinh",
        "place_name": " Bắc  Giang ",
        "active_from": "01/09/2025",
        **tree_decision(),
        "confirm": "1",
    }
    assert client.post(url, data).status_code == 302
    assert Organization.objects.get(code="T-XG-NSL-HS").place_name == "Bắc Giang"


def test_the_place_name_is_editable_in_the_admin(client, tree, personas):
    client.force_login(personas.admin)
    page = client.get(reverse("admin:organizations_organization_change", args=[tree.base.pk])).content.decode()
    assert 'name="place_name"' in page
