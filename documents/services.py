"""Rendering printed documents with a cache: a PDF is made again only when what it prints changed."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from partyorg.lib.text import fold

from . import rendering
from .models import GeneratedDocument
from .rendering import Printable

logger = logging.getLogger(__name__)
Status = GeneratedDocument.Status


@dataclass(frozen=True)
class Bundle:
    """A whole file printed as one PDF: a contents page, then every printable in order."""

    title: str
    subtitle: str
    printables: list[Printable]


def _bundle_of(subject: Model) -> Bundle:
    # settings.PRINT_BUNDLES maps "app_label.model" to the function that lists what a file holds, so that
    # this app (below admissions in the import order) never imports the apps whose files it prints.
    builder = import_string(settings.PRINT_BUNDLES[subject._meta.label_lower])
    return builder(subject)


def _rows_of(subject: Model, code: str):
    return GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, code=code
    )


def _file_name(subject: Model, code: str, fingerprint: str) -> str:
    slug = fold(code).replace(" ", "-")
    return f"{subject._meta.model_name}-{subject.pk}-{slug}-{fingerprint[:12]}.pdf"


def _store(row: GeneratedDocument, pdf: bytes, page_count: int) -> None:
    """Save the file and drop the stale versions of the same document."""
    row.file.save(_file_name(row.subject, row.code, row.fingerprint), ContentFile(pdf), save=False)
    row.page_count = page_count
    row.status = Status.DONE
    row.done_count = row.total_count
    row.finished_at = timezone.now()
    row.error = ""
    row.save()
    stale = _rows_of(row.subject, row.code).exclude(pk=row.pk).exclude(status=Status.RUNNING)
    for old in stale:
        if old.file:
            old.file.delete(save=False)
        old.delete()


def read(row: GeneratedDocument) -> bytes:
    with row.file.open("rb") as handle:
        return handle.read()


def form_pdf(*, subject: Model, printable: Printable) -> tuple[bytes, bool]:
    """The PDF of one form of `subject` and whether it came from the cache (rendered on a miss)."""
    fingerprint = rendering.fingerprint([printable])
    cached = _rows_of(subject, printable.code).filter(fingerprint=fingerprint, status=Status.DONE).first()
    if cached is not None and cached.file and cached.file.storage.exists(cached.file.name):
        return read(cached), True
    document = rendering.render_document(printable.template, printable.context)
    pdf = document.write_pdf()
    row, _ = GeneratedDocument.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        code=printable.code,
        fingerprint=fingerprint,
        defaults={"total_count": 1},
    )
    _store(row, pdf, len(document.pages))
    return pdf, False


def bundle_fingerprint(bundle: Bundle) -> str:
    contents = Printable(GeneratedDocument.BUNDLE, bundle.title, "documents/contents.html", {"s": bundle.subtitle})
    return rendering.fingerprint([contents, *bundle.printables])


def current_bundle(*, subject: Model) -> GeneratedDocument | None:
    """The whole-file PDF row matching the subject's present state, if one was requested."""
    fingerprint = bundle_fingerprint(_bundle_of(subject))
    return _rows_of(subject, GeneratedDocument.BUNDLE).filter(fingerprint=fingerprint).first()


def request_bundle(*, subject: Model) -> GeneratedDocument:
    """Queue the whole-file PDF unless the present state is already rendered or being rendered."""
    from .tasks import render_bundle as render_bundle_task

    bundle = _bundle_of(subject)
    fingerprint = bundle_fingerprint(bundle)
    try:
        with transaction.atomic():
            row, created = GeneratedDocument.objects.get_or_create(
                content_type=ContentType.objects.get_for_model(subject),
                object_id=subject.pk,
                code=GeneratedDocument.BUNDLE,
                fingerprint=fingerprint,
                defaults={"total_count": len(bundle.printables) + 1},
            )
    except IntegrityError:  # the same request raced this one
        return _rows_of(subject, GeneratedDocument.BUNDLE).get(fingerprint=fingerprint)
    if created or row.status in (Status.FAILED, Status.PENDING):
        if row.status == Status.FAILED:
            GeneratedDocument.objects.filter(pk=row.pk).update(status=Status.PENDING, done_count=0, error="")
            row.refresh_from_db()
        transaction.on_commit(lambda: render_bundle_task.delay(row.pk))
    return row


def _progress(row: GeneratedDocument, done: int) -> None:
    GeneratedDocument.objects.filter(pk=row.pk).update(done_count=done)


def render_bundle(*, document_id: int) -> int:
    """Render the whole file of a GeneratedDocument row: each form, then the contents page, then one PDF.

    Idempotent: a finished row is left alone. The data are read when the task runs; if they changed since
    the request, the row takes the new fingerprint (or gives way to a row that already has it).
    """
    row = GeneratedDocument.objects.filter(pk=document_id).first()
    if row is None or row.status == Status.DONE:
        return row.page_count if row else 0
    subject = row.subject
    bundle = _bundle_of(subject)
    fingerprint = bundle_fingerprint(bundle)
    if fingerprint != row.fingerprint:
        if _rows_of(subject, row.code).filter(fingerprint=fingerprint).exists():
            row.delete()
            return 0
        row.fingerprint = fingerprint
    row.status, row.done_count, row.total_count = Status.RUNNING, 0, len(bundle.printables) + 1
    row.save()
    try:
        documents = []
        for done, printable in enumerate(bundle.printables, start=1):
            documents.append(rendering.render_document(printable.template, printable.context))
            _progress(row, done)
        contents = _contents(bundle, documents)
        pdf = rendering.combine([contents, *documents])
    except Exception as error:  # a failed render shows on the page instead of leaving it waiting
        logger.exception("whole-file PDF %s failed", row.pk)
        GeneratedDocument.objects.filter(pk=row.pk).update(status=Status.FAILED, error=str(error)[:1000])
        return 0
    page_count = len(contents.pages) + sum(len(d.pages) for d in documents)
    _store(row, pdf, page_count)
    return page_count


def _contents(bundle: Bundle, documents) -> object:
    """The contents page, with the page on which each form starts (after the contents pages themselves)."""
    contents_pages = 1
    while True:
        first_page, entries = contents_pages + 1, []
        for printable, document in zip(bundle.printables, documents):
            entries.append({"code": printable.code, "title": printable.title, "first_page": first_page})
            first_page += len(document.pages)
        context = {"title": bundle.title, "subtitle": bundle.subtitle, "entries": entries}
        contents = rendering.render_document("documents/contents.html", context)
        if len(contents.pages) == contents_pages:
            return contents
        contents_pages = len(contents.pages)


def delete_old_documents(*, now: dt.datetime | None = None) -> int:
    """Delete the generated PDFs (files and rows) made more than GENERATED_DOCUMENT_RETENTION_DAYS ago; returns how
    many. They are a cache of what the data print: the next request renders a form again, and the whole-file page
    offers to make it again. Run daily by Celery beat (CELERY_BEAT_SCHEDULE)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.GENERATED_DOCUMENT_RETENTION_DAYS)
    # A row that never finished (its worker died) ages from its request.
    old = GeneratedDocument.objects.filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    ).only("pk", "file")
    deleted = 0
    for row in old.iterator():
        if row.file:
            row.file.delete(save=False)  # the file first: a row left without its file is rendered again anyway
        deleted += GeneratedDocument.objects.filter(pk=row.pk).delete()[0]
    if deleted:
        logger.info("deleted %s generated documents older than %s", deleted, cutoff.date())
    return deleted
