"""The daily record of newly overdue deadlines (run by the Celery beat task)."""

import datetime as dt

from django.db import transaction

from partyorg.lib.dates import today

from ..deadlines import DEADLINE_KEY_OF_STAGE
from ..models import OPEN_STAGES, Dossier, OverdueRecord


@transaction.atomic
def record_overdue_dossiers(*, on: dt.date | None = None) -> int:
    """Write one OverdueRecord per open dossier whose next deadline has passed; idempotent. Returns new rows."""
    on = on or today()
    overdue = Dossier.objects.filter(stage__in=OPEN_STAGES, next_deadline_on__lt=on).values_list(
        "pk", "stage", "next_deadline_on", "next_deadline_label"
    )
    known = set(
        OverdueRecord.objects.filter(dossier__stage__in=OPEN_STAGES).values_list("dossier_id", "deadline_key", "due_on")
    )
    new = [
        OverdueRecord(
            dossier_id=pk,
            deadline_key=DEADLINE_KEY_OF_STAGE[stage],
            label=label,
            due_on=due_on,
            detected_on=on,
        )
        for pk, stage, due_on, label in overdue
        if (pk, DEADLINE_KEY_OF_STAGE[stage], due_on) not in known
    ]
    OverdueRecord.objects.bulk_create(new, ignore_conflicts=True)
    # A deadline met late or moved (extension) is resolved: the dossier no longer waits on it.
    current = {(pk, DEADLINE_KEY_OF_STAGE[stage], due_on) for pk, stage, due_on, _ in overdue}
    stale = [
        r.pk
        for r in OverdueRecord.objects.filter(resolved_on__isnull=True).only("dossier_id", "deadline_key", "due_on")
        if (r.dossier_id, r.deadline_key, r.due_on) not in current
    ]
    OverdueRecord.objects.filter(pk__in=stale).update(resolved_on=on)
    return len(new)
