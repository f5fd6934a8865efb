"""Celery tasks of the member registry: they only call services, and can run twice safely."""

from celery import shared_task

from . import roster_services


@shared_task
def check_roster_import_task(roster_import_id: int) -> int:
    """Read and check an uploaded roster (the preview)."""
    return roster_services.check_roster_import(roster_import_id=roster_import_id).problem_count


@shared_task
def run_roster_import_task(roster_import_id: int) -> str:
    """Write a confirmed roster, all rows or none."""
    return roster_services.run_roster_import(roster_import_id=roster_import_id).status


@shared_task
def fail_stale_roster_imports() -> int:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE): mark failed the imports whose worker died. Idempotent."""
    return roster_services.fail_stale_roster_imports()


@shared_task
def purge_old_roster_uploads_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): delete uploaded rosters past ROSTER_UPLOAD_RETENTION_DAYS. Idempotent."""
    from .roster_retention import purge_old_roster_uploads

    return purge_old_roster_uploads()


@shared_task
def recount_organization_members_task() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): rebuild the member counts per branch and status from the members table,
    logging any drift corrected; returns how many counts were wrong. Idempotent."""
    from .counts import recount_organization_members

    return len(recount_organization_members())
