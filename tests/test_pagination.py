"""ListPaginator: a capped count and pages chosen as ids, in the list's own order."""

import pytest

from members.models import Member
from partyorg.lib.pagination import ListPaginator
from tests.factories import make_member

GIVEN_NAMES = ["Yến", "An", "Hùng", "Bình", "Đạt", "Chi", "Giang"]


@pytest.fixture
def seven(tree, personas):
    for name in GIVEN_NAMES:
        make_member(tree.branch_a, personas.admin, full_name=f"Nguyễn Thị {name}")
    return Member.objects.order_by("sort_key", "id")


def test_pages_follow_the_list_order(seven):
    paginator = ListPaginator(seven, 3)
    pages = [[m.full_name for m in paginator.page(n)] for n in paginator.page_range]
    assert sum(pages, []) == [m.full_name for m in seven]
    assert [len(p) for p in pages] == [3, 3, 1]


def test_rows_queryset_decides_the_columns_fetched(seven, django_assert_num_queries):
    paginator = ListPaginator(seven, 5, rows=Member.objects.select_related("branch").only("full_name", "branch__name"))
    with django_assert_num_queries(2):  # the ordered ids (count and page), the rows of the page
        page = paginator.page(1)
        names = [(m.full_name, m.branch.name) for m in page]
    assert len(names) == 5


def test_count_stops_at_the_cap(seven):
    capped = ListPaginator(seven, 2, count_cap=4)
    assert capped.count == 5 and capped.count_is_capped
    assert capped.num_pages == 3  # pages past the cap are not offered
    exact = ListPaginator(seven, 2, count_cap=7)
    assert exact.count == 7 and not exact.count_is_capped


def test_list_page_says_more_than_the_cap(client, personas, seven, settings):
    settings.LIST_COUNT_CAP = 5
    client.force_login(personas.secretary_a)
    response = client.get("/dang-vien/")
    assert "hơn 5" in response.content.decode()
