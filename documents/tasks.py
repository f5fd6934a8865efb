"""Celery tasks of documents: they only call services."""

from celery import shared_task

from . import services


@shared_task
def render_bundle(document_id: int) -> int:
    """Render a whole file into its GeneratedDocument row; returns the page count. Safe to run twice."""
    return services.render_bundle(document_id=document_id)


@shared_task
def delete_old_documents() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): drop the PDFs older than GENERATED_DOCUMENT_RETENTION_DAYS. Idempotent."""
    return services.delete_old_documents()
