"""A roster import whose worker dies or crashes: nothing is written, the import does not stay "running"
forever, and the same upload can be checked again (ROSTER_IMPORT_STALE_AFTER, heartbeats, beat)."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from members import roster_services, tasks
from members.models import BranchMembership, Member, RosterImport

from .roster_files import roster_file, sheet_row

Status = RosterImport.Status


def uploaded(personas, tree, rows=2) -> RosterImport:
    return roster_services.start_roster_import(
        actor=personas.base,
        organization=tree.base,
        file=roster_file([sheet_row() for _ in range(rows)]),
        file_name="danh-sach.xlsx",
        queue=False,
    )


def confirmed(personas, tree) -> RosterImport:
    roster_import = roster_services.check_roster_import(roster_import_id=uploaded(personas, tree).pk)
    assert roster_import.can_confirm
    return roster_services.confirm_roster_import(actor=personas.base, roster_import=roster_import, queue=False)


def silent_for(roster_import: RosterImport, minutes: int) -> None:
    RosterImport.objects.filter(pk=roster_import.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes))


def registry():
    return Member.objects.count(), Member.history.count(), BranchMembership.objects.count()


# A crash inside the write


def test_a_crash_inside_the_write_writes_nothing_and_the_upload_can_be_checked_again(personas, tree):
    roster_import = confirmed(personas, tree)
    before = registry()
    # The members are inserted, then the write breaks before its end.
    crash = mock.patch.object(BranchMembership.objects, "bulk_create", side_effect=RuntimeError("worker killed"))
    with crash:
        roster_import = roster_services.run_roster_import(roster_import_id=roster_import.pk)
    assert registry() == before
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT_ROSTER).exists()
    assert roster_import.status == Status.FAILED and roster_import.can_retry
    assert "gặp lỗi hệ thống; chưa ghi dòng nào" in roster_import.report["failure"]
    # The retry checks the same upload again; the user confirms the fresh preview.
    roster_import = roster_services.retry_roster_import(actor=personas.base, roster_import=roster_import, queue=False)
    assert roster_import.status == Status.CHECKING
    roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.can_confirm and roster_import.new_count == 2
    roster_services.confirm_roster_import(actor=personas.base, roster_import=roster_import, queue=False)
    roster_import = roster_services.run_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.status == Status.DONE
    assert registry()[0] == before[0] + 2


def test_a_crash_while_checking_is_shown_not_left_running(personas, tree):
    roster_import = uploaded(personas, tree)
    with mock.patch.object(roster_services, "plan_roster", side_effect=RuntimeError("bug")):
        roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.status == Status.FAILED
    assert roster_import.report["failure"].startswith("Tiến trình kiểm tra danh sách gặp lỗi hệ thống")


# A worker that died without a word


def test_the_tasks_beat_while_they_run(personas, tree):
    roster_import = uploaded(personas, tree)
    silent_for(roster_import, 60)
    seen = []
    real_plan = roster_services.plan_roster

    def plan(**kwargs):
        seen.append(RosterImport.objects.get(pk=roster_import.pk).heartbeat_at)
        return real_plan(**kwargs)

    with mock.patch.object(roster_services, "plan_roster", plan):
        roster_services.check_roster_import(roster_import_id=roster_import.pk)
    assert timezone.now() - seen[0] < dt.timedelta(minutes=1)


@pytest.mark.parametrize("running", [Status.CHECKING, Status.IMPORTING])
def test_a_silent_import_is_marked_failed_when_its_page_is_polled(client, personas, tree, running):
    roster_import = confirmed(personas, tree) if running == Status.IMPORTING else uploaded(personas, tree)
    client.force_login(personas.base)
    url = reverse("members:import_status", args=[roster_import.pk])
    stale_minutes = int(settings.ROSTER_IMPORT_STALE_AFTER.total_seconds() // 60)
    silent_for(roster_import, stale_minutes - 1)
    assert 'hx-trigger="every 1s"' in client.get(url).content.decode()  # slow, not dead
    silent_for(roster_import, stale_minutes + 1)
    page = client.get(url).content.decode()
    assert "hx-trigger" not in page
    assert f"không có tín hiệu quá {stale_minutes} phút" in page and "chưa ghi dòng nào" in page
    assert reverse("members:import_retry", args=[roster_import.pk]) in page
    assert RosterImport.objects.get(pk=roster_import.pk).status == Status.FAILED


def test_beat_marks_every_silent_import_failed_and_nothing_else(personas, tree):
    dead_check, dead_write, alive, finished = (uploaded(personas, tree) for _ in range(4))
    RosterImport.objects.filter(pk=dead_write.pk).update(status=Status.IMPORTING)
    RosterImport.objects.filter(pk=finished.pk).update(status=Status.CHECKED)
    for roster_import in (dead_check, dead_write, finished):
        silent_for(roster_import, 60)
    # Rows from before heartbeats existed fall back on their upload time.
    RosterImport.objects.filter(pk=dead_check.pk).update(
        heartbeat_at=None, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert tasks.fail_stale_roster_imports() == 2
    statuses = dict(RosterImport.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in (dead_check, dead_write, alive, finished)] == [
        Status.FAILED,
        Status.FAILED,
        Status.CHECKING,
        Status.CHECKED,
    ]
    assert "Tiến trình ghi danh sách đã dừng giữa chừng" in RosterImport.objects.get(pk=dead_write.pk).report["failure"]
    assert tasks.fail_stale_roster_imports() == 0


def test_beat_runs_the_stale_import_task():
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.fail_stale_member_jobs.name]
    assert entry["schedule"] <= settings.ROSTER_IMPORT_STALE_AFTER.total_seconds()


def test_a_late_result_of_a_task_taken_for_dead_is_dropped(personas, tree):
    roster_import = uploaded(personas, tree)
    real_plan = roster_services.plan_roster

    def plan_slowly(**kwargs):
        # Meanwhile beat took the task for dead.
        silent_for(roster_import, 60)
        roster_services.fail_stale_roster_imports()
        return real_plan(**kwargs)

    with mock.patch.object(roster_services, "plan_roster", plan_slowly):
        result = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    assert result.status == Status.FAILED
    assert RosterImport.objects.get(pk=roster_import.pk).status == Status.FAILED


def test_a_write_task_taken_for_dead_writes_nothing_when_it_wakes_up(personas, tree):
    roster_import = confirmed(personas, tree)
    silent_for(roster_import, 60)
    tasks.fail_stale_roster_imports()
    before = registry()
    assert roster_services.run_roster_import(roster_import_id=roster_import.pk).status == Status.FAILED
    assert registry() == before


# The retry


def test_the_page_retries_a_failed_import(client, personas, tree, django_capture_on_commit_callbacks):
    roster_import = uploaded(personas, tree)
    silent_for(roster_import, 60)
    tasks.fail_stale_roster_imports()
    client.force_login(personas.base)
    url = reverse("members:import_retry", args=[roster_import.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("members:import_detail", args=[roster_import.pk])
    roster_import.refresh_from_db()
    assert roster_import.can_confirm and roster_import.new_count == 2
    # Once checked there is nothing to retry.
    response = client.post(url, follow=True)
    assert "Chỉ kiểm tra lại được lần nhập bị dừng do lỗi hệ thống." in response.content.decode()


def test_only_importers_may_retry(client, personas, tree):
    # A branch secretary sees the import of their branch, but does not import rosters.
    roster_import = uploaded(personas, tree)
    RosterImport.objects.filter(pk=roster_import.pk).update(status=Status.FAILED, organization=tree.branch_a)
    client.force_login(personas.secretary_a)
    assert client.post(reverse("members:import_retry", args=[roster_import.pk])).status_code == 403
    assert RosterImport.objects.get(pk=roster_import.pk).status == Status.FAILED
