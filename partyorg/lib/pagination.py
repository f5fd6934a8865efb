"""Pagination for the long lists (hundreds of thousands of members at province level)."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class ListPaginator(Paginator):
    """A paginator that stays fast on large tables.

    - The count stops at `count_cap` + 1 rows: past that the page says "more than …" instead of scanning
      every match of a broad search ("nguyen") to print an exact figure nobody pages through.
    - One query reads the ordered ids up to the cap (`values_list("pk")`, which an index holding the order
      and the filtered columns answers without touching the table): it gives both the count and the page,
      so a search is scanned once. Then `rows` fetches just the page's rows.
    - `unfiltered=True` (a list without filters, where nearly every row of the order's index matches): the ids
      up to the cap would be thousands shipped for a page of 50. There the count is
      `SELECT count(*) FROM (SELECT … LIMIT cap + 1)`, counted in the database, and the page's ids are read with
      LIMIT/OFFSET: both stop early in the index, as the first rows they meet match.
    """

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        rows: QuerySet | None = None,
        count_cap: int = 10_000,
        unfiltered: bool = False,
    ):
        super().__init__(object_list, per_page)
        self.rows = rows if rows is not None else object_list.model._default_manager.all()
        self.count_cap = count_cap
        self.unfiltered = unfiltered

    @cached_property
    def _ids(self) -> list:
        # One scan answers both the count and the page: the ordered ids, up to one past the cap.
        return list(self.object_list.values_list("pk", flat=True)[: self.count_cap + 1])

    @cached_property
    def count(self) -> int:
        if self.unfiltered:
            # A sliced queryset counts as a subquery: SELECT COUNT(*) FROM (SELECT … LIMIT cap + 1).
            return self.object_list.order_by().values("pk")[: self.count_cap + 1].count()
        return len(self._ids)

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.count_cap

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.unfiltered:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        else:
            ids = self._ids[bottom : bottom + self.per_page]
        by_id = self.rows.in_bulk(ids)
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)
