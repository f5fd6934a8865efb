"""Celery tasks of documents: they only call services."""

from celery import shared_task

from . import services


@shared_task
def render_bundle(document_id: int) -> int:
    """Render a whole file into its GeneratedDocument row; returns the page count. Safe to run twice."""
    return services.render_bundle(document_id=document_id)
