"""Celery tasks of admissions: they only call services."""

from celery import shared_task

from . import services


@shared_task
def record_overdue_dossiers() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): record the deadlines newly overdue. Idempotent."""
    return services.record_overdue_dossiers()
