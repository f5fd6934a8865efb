"""The member counts per branch and status (members.models.OrganizationMemberCount).

Every writer of a member's status or branch calls `count_members_moved` (or `apply_count_deltas` for bulk
writes) inside its own transaction; `recount_organization_members` rebuilds the table from the members table and
reports the drift it corrected. Reads of the counts are in members.selectors."""

import logging
from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import connection, transaction
from django.db.models import Count, F

from .models import Member, OrganizationMemberCount

logger = logging.getLogger(__name__)

# (branch id, status): one row of the count table.
CountKey = tuple[int, str]


def count_members_moved(*, removed: Iterable[CountKey] = (), added: Iterable[CountKey] = ()) -> None:
    """Members left the (branch, status) pairs in `removed` and entered those in `added`."""
    deltas: Counter = Counter()
    for key in added:
        deltas[key] += 1
    for key in removed:
        deltas[key] -= 1
    apply_count_deltas(deltas)


def apply_count_deltas(deltas: Mapping[CountKey, int]) -> None:
    """Add each delta to its (branch, status) count, in the caller's transaction.

    Increments, never values read and written back: concurrent writers each add their own change. The rows are
    created first (ON CONFLICT DO NOTHING, so a concurrent creator is not an error) and then updated one by one in
    sorted order, so that two writers lock the rows they share in the same order and cannot deadlock."""
    if not transaction.get_connection().in_atomic_block:
        # Counted outside the member's own transaction, a failure after it would leave the count off.
        raise RuntimeError("Member counts change only inside the transaction that changes the members.")
    keys = sorted(key for key, delta in deltas.items() if delta)
    if not keys:
        return
    OrganizationMemberCount.objects.bulk_create(
        [OrganizationMemberCount(organization_id=branch_id, status=status, count=0) for branch_id, status in keys],
        ignore_conflicts=True,
    )
    for branch_id, status in keys:
        OrganizationMemberCount.objects.filter(organization_id=branch_id, status=status).update(
            count=F("count") + deltas[(branch_id, status)]
        )


def recount_organization_members() -> list[dict]:
    """Rebuild the counts from the members table; return (and log) each count that was wrong.

    Nothing should drift: every writer keeps the counts. A drift found means a write that bypassed the services
    (the Django shell, a manual SQL fix, a restore of a partial dump): it is corrected and logged as a warning."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers wait while the table is rebuilt: a member written between the count below and the rewrite
            # would otherwise be counted twice or not at all. Readers are not blocked.
            table = connection.ops.quote_name(OrganizationMemberCount._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        actual = {
            (branch_id, status): n
            for branch_id, status, n in Member.objects.values_list("branch_id", "status")
            .annotate(n=Count("id"))
            .order_by()
        }
        stored = {(row.organization_id, row.status): row for row in OrganizationMemberCount.objects.all()}
        drift, to_create, to_update = [], [], []
        for key in sorted(actual.keys() | stored.keys()):
            branch_id, status = key
            want, row = actual.get(key, 0), stored.get(key)
            have = row.count if row else 0
            if want == have:
                continue
            drift.append({"organization_id": branch_id, "status": status, "stored": have, "actual": want})
            if row is None:
                to_create.append(OrganizationMemberCount(organization_id=branch_id, status=status, count=want))
            else:
                row.count = want
                to_update.append(row)
        OrganizationMemberCount.objects.bulk_create(to_create, batch_size=1000)
        OrganizationMemberCount.objects.bulk_update(to_update, ["count"], batch_size=1000)
    for entry in drift:
        logger.warning(
            "Member count drift corrected: organization %(organization_id)s, status %(status)s: "
            "stored %(stored)s, counted %(actual)s",
            entry,
        )
    return drift
