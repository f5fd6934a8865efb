"""Background jobs (roster imports, member exports) that write a heartbeat as they run.

A task that stops without a word (killed, out of memory, the server restarted) leaves its row "running":
a job silent for longer than its staleness period lost its worker and is marked failed by its app.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone


def silent_since(cutoff: dt.datetime) -> Q:
    """Rows whose last sign of life (heartbeat, else creation) is older than `cutoff`."""
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)


def is_silent(job, stale_after: dt.timedelta) -> bool:
    """The same test for one row already loaded (needs `heartbeat_at` and `created_at`)."""
    last_sign_of_life = job.heartbeat_at or job.created_at
    return last_sign_of_life < timezone.now() - stale_after
