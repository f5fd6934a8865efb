"""Large exports are jobs: built by a task in chunks, kept for the requester, audited, purged, failed when silent."""

import datetime as dt
import io
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from members import exports, tasks
from members.models import Member, MemberExport
from members.roster import COLUMNS
from tests.factories import make_member


@pytest.fixture
def jobs(settings, tmp_path):
    """Every export above one row is a job; files go to a temporary media folder."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    settings.EXPORT_CHUNK_ROWS = 2
    return settings


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


def request_export(client, django_capture_on_commit_callbacks, **filters) -> MemberExport:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:export"), filters)
    export = MemberExport.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("members:export_detail", args=[export.pk])
    return export


def download(client, export) -> bytes:
    response = client.get(reverse("members:export_download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_small_export_is_still_answered_at_once(client, personas, members, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 2
    client.force_login(personas.secretary_a)  # two members in scope
    response = client.post(reverse("members:export"))
    assert response.status_code == 200 and not MemberExport.objects.exists()
    assert len(rows_of(response.content)) == 3


def test_a_large_export_goes_through_the_task_and_is_audited(
    client, personas, members, tree, jobs, django_capture_on_commit_callbacks
):
    client.force_login(personas.superior)
    export = request_export(client, django_capture_on_commit_callbacks, status="")
    export.refresh_from_db()
    assert export.status == MemberExport.Status.DONE
    assert (export.row_count, export.progress_done, export.progress_total) == (4, 4, 4)
    assert export.requested_by == personas.superior and export.organization == tree.ward
    header, *rows = rows_of(download(client, export))
    assert list(header) == [column.header for column in COLUMNS]
    # By branch (tree order), then the Vietnamese sort key within it.
    name, branch = header.index("Họ và tên"), header.index("Chi bộ")
    expected = sorted(
        Member.objects.filter(branch__path__startswith=export.organization.path).select_related("branch"),
        key=lambda m: (m.branch.path, m.sort_key, m.pk),
    )
    assert [(r[branch], r[name]) for r in rows] == [(m.branch.name, m.full_name) for m in expected]
    made = AuditEvent.objects.get(action=AuditAction.EXPORT_PERSONAL_DATA)
    assert (made.actor, made.record_count, made.target_id) == (personas.superior, 4, str(export.pk))
    fetched = AuditEvent.objects.get(action=AuditAction.DOWNLOAD_EXPORT)
    assert (fetched.actor, fetched.record_count, fetched.target_id) == (personas.superior, 4, str(export.pk))


def test_the_page_shows_the_progress_then_the_download(
    client, personas, members, jobs, django_capture_on_commit_callbacks
):
    client.force_login(personas.superior)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("members:export"))
    export = MemberExport.objects.get()
    page = client.get(reverse("members:export_detail", args=[export.pk])).content.decode()
    assert f'hx-get="{reverse("members:export_status", args=[export.pk])}"' in page and "export-download" not in page
    exports.run_member_export(export_id=export.pk)
    status = client.get(reverse("members:export_status", args=[export.pk])).content.decode()
    assert "hx-get" not in status and reverse("members:export_download", args=[export.pk]) in status
    listing = client.get(reverse("members:export_list")).content.decode()
    assert reverse("members:export_download", args=[export.pk]) in listing


def test_only_the_requester_downloads_or_lists_it(client, personas, members, jobs, django_capture_on_commit_callbacks):
    client.force_login(personas.superior)
    export = request_export(client, django_capture_on_commit_callbacks)
    client.force_login(personas.province)  # in scope of the ward, but not the requester
    for name in ("export_detail", "export_status", "export_download"):
        assert client.get(reverse(f"members:{name}", args=[export.pk])).status_code == 404
    assert (
        reverse("members:export_detail", args=[export.pk])
        not in client.get(reverse("members:export_list")).content.decode()
    )
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD_EXPORT).exists()


def test_a_requester_who_left_the_scope_no_longer_downloads(
    client, personas, members, jobs, django_capture_on_commit_callbacks
):
    client.force_login(personas.superior)
    export = request_export(client, django_capture_on_commit_callbacks)
    personas.superior.roles.update(is_active=False)
    assert client.get(reverse("members:export_download", args=[export.pk])).status_code == 404


def test_the_task_reads_in_chunks_not_one_query_per_member(
    personas, members, tree, jobs, django_assert_max_num_queries
):
    for i in range(7):
        make_member(tree.branch_b, personas.admin, full_name=f"Đảng viên Số {i}")
    export = MemberExport.objects.create(requested_by=personas.superior, organization=tree.ward)
    stream = io.BytesIO()
    members_qs = Member.objects.filter(branch__path__startswith=tree.ward.path)
    # The count by branch, then a query per chunk of two rows (and one per branch group, three branches here).
    with django_assert_max_num_queries(1 + 11 // 2 + 3):
        count = exports.write_members(members_qs, stream)
    assert count == members_qs.count() == 11 and export.pk


def test_a_large_branch_is_paged_in_its_own_order(personas, tree, jobs):
    for name in ("Vũ An", "An Bình", "Ân Cường", "Bùi Dũng", "An Bình"):
        make_member(tree.branch_a, personas.admin, full_name=name)
    written = list(exports.plan_export(Member.objects.all(), chunk_size=2).rows)
    expected = sorted(Member.objects.all(), key=lambda m: (m.sort_key, m.pk))
    assert [m.pk for m in written] == [m.pk for m in expected]


def test_retention_deletes_the_file_and_keeps_the_record(
    client, personas, members, jobs, django_capture_on_commit_callbacks
):
    client.force_login(personas.superior)
    export = request_export(client, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    stored = export.file.path
    assert tasks.purge_old_member_exports_task() == 0
    later = timezone.now() + dt.timedelta(hours=jobs.EXPORT_RETENTION_HOURS, minutes=1)
    assert exports.purge_old_member_exports(now=later) == 1
    export.refresh_from_db()
    assert not export.file and export.purged_at == later and export.row_count == 4
    assert not os.path.exists(stored)
    assert client.get(reverse("members:export_download", args=[export.pk])).status_code == 404
    assert exports.purge_old_member_exports(now=later) == 0


def test_a_silent_export_is_marked_failed(client, personas, tree, jobs):
    export = MemberExport.objects.create(requested_by=personas.superior, organization=tree.ward)
    MemberExport.objects.filter(pk=export.pk).update(
        status=MemberExport.Status.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    fresh = MemberExport.objects.create(requested_by=personas.superior, organization=tree.ward)
    assert tasks.fail_stale_member_jobs() == 1
    export.refresh_from_db()
    assert export.status == MemberExport.Status.FAILED and "dừng giữa chừng" in export.error
    fresh.refresh_from_db()
    assert fresh.status == MemberExport.Status.QUEUED
    # A task woken up late finds it no longer queued and builds nothing.
    assert exports.run_member_export(export_id=export.pk).status == MemberExport.Status.FAILED
    client.force_login(personas.superior)
    assert "dừng giữa chừng" in client.get(reverse("members:export_detail", args=[export.pk])).content.decode()


def test_a_crash_in_the_task_is_shown_not_left_running(personas, tree, members, jobs, monkeypatch):
    export = MemberExport.objects.create(requested_by=personas.superior, organization=tree.ward)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write_roster", broken)
    assert exports.run_member_export(export_id=export.pk).status == MemberExport.Status.FAILED
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT_PERSONAL_DATA).exists()


def test_beat_purges_exports_at_least_hourly(settings):
    [entry] = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.purge_old_member_exports_task.name
    ]
    assert entry["schedule"] <= 60 * 60
