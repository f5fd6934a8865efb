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
    """The name beat used before exports became jobs (a schedule stored under it keeps working)."""
    return fail_stale_member_jobs()


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


@shared_task
def run_member_export_task(export_id: int) -> str:
    """Build a large export of the member list (members.exports)."""
    from .exports import run_member_export

    return run_member_export(export_id=export_id).status


@shared_task
def fail_stale_member_jobs() -> int:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE): mark failed the imports and exports whose worker died. Idempotent."""
    from .exports import fail_stale_member_exports

    return roster_services.fail_stale_roster_imports() + fail_stale_member_exports()


@shared_task
def purge_old_member_exports_task() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): delete exported files past EXPORT_RETENTION_HOURS. Idempotent."""
    from .exports import purge_old_member_exports

    return purge_old_member_exports()
