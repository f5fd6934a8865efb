"""Background jobs (roster imports, member exports) that write a heartbeat as they run.

A task that stops without a word (killed, out of memory, the server restarted) leaves its row "running":
a job silent for longer than its staleness period lost its worker and is marked failed by its app.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


def silent_since(cutoff: dt.datetime) -> Q:
    """Rows whose last sign of life (heartbeat, else creation) is older than `cutoff`."""
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)


def is_silent(job, stale_after: dt.timedelta) -> bool:
    """The same test for one row already loaded (needs `heartbeat_at` and `created_at`)."""
    last_sign_of_life = job.heartbeat_at or job.created_at
    return last_sign_of_life < timezone.now() - stale_after


def stale_minutes() -> int:
    """ROSTER_IMPORT_STALE_AFTER in whole minutes, as the failure messages say it."""
    return int(settings.ROSTER_IMPORT_STALE_AFTER.total_seconds() // 60)


def fail_silent_jobs(queryset: QuerySet, failures: dict[str, dict], *, job_id: int | None = None) -> int:
    """Mark failed the jobs of `queryset` silent for ROSTER_IMPORT_STALE_AFTER (or just `job_id`): `failures` maps
    each running status to the fields a failed job of that status gets. Returns how many were marked."""
    silent = queryset.filter(silent_since(timezone.now() - settings.ROSTER_IMPORT_STALE_AFTER))
    if job_id is not None:
        silent = silent.filter(pk=job_id)
    marked = sum(silent.filter(status=status).update(**fields) for status, fields in failures.items())
    if marked:
        name = queryset.model._meta.verbose_name
        logger.warning("%s × %s silent for %s marked failed", marked, name, settings.ROSTER_IMPORT_STALE_AFTER)
    return marked


def fail_if_stale(job, fail) -> object:
    """The page of one job, shown or polled: a dead task's job becomes failed there and then (`fail(job_id=)`)."""
    if job.is_stale and fail(job_id=job.pk):
        job.refresh_from_db()
    return job
