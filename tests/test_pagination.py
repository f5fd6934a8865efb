"""ListPaginator: a capped count and pages chosen as ids, in the list's own order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_unfiltered_pages_follow_the_list_order_and_count_to_the_cap(seven):
    paginator = ListPaginator(seven, 3, unfiltered=True)
    pages = [[m.full_name for m in paginator.page(n)] for n in paginator.page_range]
    assert sum(pages, []) == [m.full_name for m in seven]
    capped = ListPaginator(seven, 2, count_cap=4, unfiltered=True)
    assert capped.count == 5 and capped.count_is_capped and capped.num_pages == 3


def test_unfiltered_list_counts_in_the_database_and_reads_one_page_of_ids(seven):
    paginator = ListPaginator(seven, 2, count_cap=4, unfiltered=True)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        names = [m.full_name for m in page]
    assert names == [m.full_name for m in seven][2:4]
    count, ids, rows = (q["sql"].upper() for q in queries.captured_queries)
    # At most cap + 1 rows counted, in a subquery: no id list crosses to Python for the count.
    assert count.startswith("SELECT COUNT(*)") and "LIMIT 5" in count
    assert "LIMIT 2 OFFSET 2" in ids
    assert "IN (" in rows


def test_member_list_without_filters_reads_no_more_than_a_page_of_ids(client, personas, seven, settings):
    settings.LIST_COUNT_CAP, settings.LIST_PAGE_SIZE = 4, 2
    client.force_login(personas.secretary_a)
    client.get("/dang-vien/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dang-vien/")
    assert len(response.context["rows"]) == 2 and response.context["page"].paginator.count_is_capped
    member_reads = [q["sql"].upper() for q in queries.captured_queries if '"MEMBERS_MEMBER"' in q["sql"].upper()]
    # The capped count in the database, a page of ids (never the cap's worth), the page's rows by id.
    assert [sql for sql in member_reads if sql.startswith("SELECT COUNT(*)") and "LIMIT 5" in sql]
    assert not [sql for sql in member_reads if "LIMIT 5" in sql and not sql.startswith("SELECT COUNT(*)")]
    assert [sql for sql in member_reads if "LIMIT 2" in sql]
    # With a filter the list reads its ids up to the cap once, for both the count and the page.
    with CaptureQueriesContext(connection) as queries:
        client.get("/dang-vien/", {"q": "nguyen"})
    assert any("LIMIT 5" in q["sql"].upper() and "COUNT" not in q["sql"].upper() for q in queries.captured_queries)
