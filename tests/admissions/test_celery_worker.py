"""The daily overdue task through a real broker and worker (CI's PostgreSQL + Redis run).

Skipped when no broker is configured: the SQLite run executes tasks in-process instead.
"""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from admissions.models import DossierStage, OverdueRecord
from admissions.tasks import record_overdue_dossiers
from partyorg.celery import app

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="no Celery broker configured (CELERY_BROKER_URL)"),
]


@pytest.fixture
def worker(transactional_db):
    # The worker thread opens its own database connection: data must be committed (transactional_db).
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as started:
        yield started


def test_overdue_dossiers_are_recorded_by_a_real_worker(worker, pipeline):
    # Branch resolution of April 2024 and no decision since: the 60-working-day deadline has long passed.
    pipeline.default.to(DossierStage.BRANCH_PROPOSED)
    dossier = pipeline.default.refresh()
    assert not app.conf.task_always_eager

    created = record_overdue_dossiers.delay().get(timeout=60)

    assert created == 1
    record = OverdueRecord.objects.get(dossier=dossier)
    assert record.due_on == dossier.next_deadline_on
    # Idempotent: the next day's run finds nothing new.
    assert record_overdue_dossiers.delay().get(timeout=60) == 0
