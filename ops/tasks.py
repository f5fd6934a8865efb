from celery import shared_task

from .backups import create_backup, prune_backups


@shared_task
def nightly_backup() -> str:
    """The scheduled backup (BACKUP_SCHEDULE): the same as `manage.py backup`, run by the worker."""
    backup = create_backup()
    prune_backups()
    return str(backup)
