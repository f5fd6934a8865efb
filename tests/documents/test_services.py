"""The PDF cache (a row per subject, code and data fingerprint) and the whole-file task with its progress."""

import datetime as dt

from documents import services
from documents.models import GeneratedDocument
from documents.rendering import BASE_TEMPLATE, Printable
from documents.services import Bundle

from .pdf import text_of


def _notice(number: str) -> Printable:
    context = {
        "code": "TB",
        "title": "Thông báo",
        "issuer_parent": "Đảng bộ phường Xương Giang",
        "issuer": "Chi bộ Khu phố 1",
        "number": number,
        "date_line": "……, ngày 05 tháng 3 năm 2024",
        "signer": {"on_behalf": "T/M Chi bộ", "office": "Bí thư"},
    }
    return Printable("TB", "Thông báo", BASE_TEMPLATE, context)


def organization_bundle(organization) -> Bundle:
    """settings.PRINT_BUNDLES entry for organizations, in these tests only."""
    return Bundle(
        title="Tập văn bản",
        subtitle=organization.name,
        printables=[_notice("01-TB/CB"), _notice("02-TB/CB")],
    )


def test_a_form_is_rendered_once_and_then_served_from_the_cache(tree):
    first, hit = services.form_pdf(subject=tree.base_branch, printable=_notice("01-TB/CB"))
    assert not hit
    row = GeneratedDocument.objects.get()
    assert (row.code, row.object_id, row.status, row.page_count) == ("TB", tree.base_branch.pk, "done", 1)

    again, hit = services.form_pdf(subject=tree.base_branch, printable=_notice("01-TB/CB"))
    assert hit and again == first
    assert GeneratedDocument.objects.count() == 1


def test_changed_data_render_again_and_replace_the_stale_file(tree):
    services.form_pdf(subject=tree.base_branch, printable=_notice("01-TB/CB"))
    old = GeneratedDocument.objects.get()

    pdf, hit = services.form_pdf(subject=tree.base_branch, printable=_notice("09-TB/CB"))

    assert not hit and "Số 09-TB/CB" in text_of(pdf)
    row = GeneratedDocument.objects.get()
    assert row.pk != old.pk and row.fingerprint != old.fingerprint
    assert not old.file.storage.exists(old.file.name)


def test_another_subject_has_its_own_cache(tree):
    services.form_pdf(subject=tree.base_branch, printable=_notice("01-TB/CB"))
    _, hit = services.form_pdf(subject=tree.branch_a, printable=_notice("01-TB/CB"))
    assert not hit
    assert GeneratedDocument.objects.count() == 2


def test_the_whole_file_task_renders_contents_then_every_part(tree, settings, django_capture_on_commit_callbacks):
    settings.PRINT_BUNDLES = {"organizations.organization": "tests.documents.test_services.organization_bundle"}
    assert services.current_bundle(subject=tree.base_branch) is None

    with django_capture_on_commit_callbacks(execute=True):
        row = services.request_bundle(subject=tree.base_branch)

    row.refresh_from_db()
    assert (row.status, row.done_count, row.total_count, row.page_count) == ("done", 3, 3, 3)
    assert services.current_bundle(subject=tree.base_branch) == row
    text = text_of(services.read(row))
    assert text.index("TẬP VĂN BẢN") < text.index("Số 01-TB/CB") < text.index("Số 02-TB/CB")
    # The contents page gives the page where each part starts (after the contents page itself).
    assert "Thông báo (mẫu TB) 2" in text and "Thông báo (mẫu TB) 3" in text


def test_asking_again_for_an_unchanged_file_queues_nothing(tree, settings, django_capture_on_commit_callbacks):
    settings.PRINT_BUNDLES = {"organizations.organization": "tests.documents.test_services.organization_bundle"}
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_bundle(subject=tree.base_branch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = services.request_bundle(subject=tree.base_branch)
    assert second.pk == first.pk and callbacks == []
    assert services.render_bundle(document_id=first.pk) == 3  # run twice: the finished row is left alone
    assert GeneratedDocument.objects.count() == 1


def _age(row, days: int) -> None:
    """Make a row look `days` old (both its request and its rendering)."""
    from django.utils import timezone

    then = timezone.now() - dt.timedelta(days=days)
    GeneratedDocument.objects.filter(pk=row.pk).update(created_at=then, finished_at=then if row.finished_at else None)


def test_generated_pdfs_older_than_the_retention_are_deleted_and_made_again_on_the_next_print(tree, settings):
    assert settings.GENERATED_DOCUMENT_RETENTION_DAYS == 30  # the default
    services.form_pdf(subject=tree.base_branch, printable=_notice("01-TB/CB"))
    services.form_pdf(subject=tree.branch_a, printable=_notice("01-TB/CB"))
    old, fresh = (
        GeneratedDocument.objects.get(object_id=tree.base_branch.pk),
        GeneratedDocument.objects.get(object_id=tree.branch_a.pk),
    )
    stuck = GeneratedDocument.objects.create(
        content_type=old.content_type, object_id=tree.ward.pk, code=GeneratedDocument.BUNDLE, fingerprint="x"
    )  # a whole file whose worker died: never finished
    _age(old, 31)
    _age(fresh, 29)
    _age(stuck, 31)

    assert services.delete_old_documents() == 2

    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not old.file.storage.exists(old.file.name)
    assert fresh.file.storage.exists(fresh.file.name)
    pdf, hit = services.form_pdf(subject=tree.base_branch, printable=_notice("01-TB/CB"))
    assert not hit and "Số 01-TB/CB" in text_of(pdf)
    assert GeneratedDocument.objects.filter(object_id=tree.base_branch.pk, status="done").count() == 1
    assert services.delete_old_documents() == 0  # nothing left to delete: safe to run again


def test_the_retention_is_a_setting(tree, settings):
    settings.GENERATED_DOCUMENT_RETENTION_DAYS = 60
    services.form_pdf(subject=tree.base_branch, printable=_notice("01-TB/CB"))
    _age(GeneratedDocument.objects.get(), 31)
    assert services.delete_old_documents() == 0
    settings.GENERATED_DOCUMENT_RETENTION_DAYS = 7
    assert services.delete_old_documents() == 1


def test_the_deletion_runs_daily_from_celery_beat(tree, settings):
    from django.conf import settings as project
    from django.utils.module_loading import import_string

    schedule = [entry for entry in project.CELERY_BEAT_SCHEDULE.values() if entry["task"].startswith("documents.")]
    assert schedule == [{"task": "documents.tasks.delete_old_documents", "schedule": 60 * 60 * 24}]
    task = import_string(schedule[0]["task"])
    services.form_pdf(subject=tree.base_branch, printable=_notice("01-TB/CB"))
    _age(GeneratedDocument.objects.get(), 40)
    assert task.delay().get() == 1 and not GeneratedDocument.objects.exists()
