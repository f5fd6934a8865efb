"""The PDF cache (a row per subject, code and data fingerprint) and the whole-file task with its progress."""

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
