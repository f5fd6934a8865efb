"""Uploaded rosters are purged after ROSTER_UPLOAD_RETENTION_DAYS; the import's row stays as the record."""

import datetime as dt

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from members import roster_services, tasks
from members.models import RosterImport
from members.roster_retention import purge_old_roster_uploads, scrub_message
from tests.factories import make_member

from .roster_files import roster_file, sheet_row


def _checked(actor, organization, rows, *, days_ago: int) -> RosterImport:
    stream = roster_file(rows)
    roster_import = roster_services.start_roster_import(
        actor=actor, organization=organization, file=stream, file_name=stream.name, queue=False
    )
    roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    RosterImport.objects.filter(pk=roster_import.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return RosterImport.objects.get(pk=roster_import.pk)


def _files_of(roster_import) -> list[str]:
    return [roster_import.file.name, roster_services._parsed_name(roster_import)]


def test_old_uploads_lose_files_and_personal_data_but_keep_the_record(tree, personas, members, settings):
    settings.ROSTER_UPLOAD_RETENTION_DAYS = 30
    duplicate = sheet_row()
    rows = [duplicate, sheet_row(**{"Số CCCD": duplicate["Số CCCD"]}), sheet_row(**{"Giới tính": "Không rõ"})]
    rejected = _checked(personas.base, tree.base, rows, days_ago=31)
    clean = _checked(personas.base, tree.base, [sheet_row(**{"Họ và tên": "Đào Văn Sáng"})], days_ago=40)
    recent = _checked(personas.base, tree.base, [sheet_row()], days_ago=29)
    old_files = _files_of(rejected) + _files_of(clean)
    assert all(default_storage.exists(name) for name in old_files + _files_of(recent))
    assert duplicate["Số CCCD"] in str(rejected.report) and "Không rõ" in str(rejected.report)

    assert tasks.purge_old_roster_uploads_task() == 2

    assert not any(default_storage.exists(name) for name in old_files)
    assert all(default_storage.exists(name) for name in _files_of(recent))
    rejected.refresh_from_db()
    assert not rejected.file and rejected.is_purged
    assert duplicate["Số CCCD"] not in str(rejected.report) and "Không rõ" not in str(rejected.report)
    # The record: who, where, which file, the counts, and where each problem was.
    record = (rejected.uploaded_by, rejected.organization, rejected.file_name)
    assert record == (personas.base, tree.base, "danh-sach.xlsx")
    assert (rejected.row_count, rejected.problem_count, rejected.status) == (3, 2, RosterImport.Status.CHECKED)
    assert [(p["row"], p["column"]) for p in rejected.report["problems"]] == [(3, "G (Số CCCD)"), (4, "D (Giới tính)")]
    assert "trùng với dòng 2" in str(rejected.report["problems"])
    clean.refresh_from_db()
    assert clean.is_purged and not clean.can_confirm  # nothing left to import from
    recent.refresh_from_db()
    assert recent.file and not recent.is_purged and recent.can_confirm
    # Idempotent.
    assert purge_old_roster_uploads() == 0


def test_update_reports_lose_the_members_names(tree, personas, members):
    member = make_member(
        tree.branch_a, personas.admin, full_name="Đặng Thị Mai", gender="female", birth_date=dt.date(1980, 4, 12)
    )
    row = sheet_row(**{"Họ và tên": "Đặng Thị Mai", "Giới tính": "Nữ", "Số CCCD": member.personal_id})
    row["Nghề nghiệp"] = "Bác sĩ"
    roster_import = _checked(personas.base, tree.base, [row], days_ago=60)
    [updated] = roster_import.report["updated_rows"]
    assert updated["name"] == "Đặng Thị Mai" and "Nghề nghiệp" in updated["fields"]
    purge_old_roster_uploads()
    roster_import.refresh_from_db()
    assert roster_import.report["updated_rows"] == [{"row": 2, "fields": updated["fields"]}]
    assert "Đặng Thị Mai" not in str(roster_import.report)


def test_an_import_stuck_for_the_whole_period_is_purged_and_stops_polling(tree, personas, client):
    stuck = RosterImport.objects.create(
        organization=tree.base, uploaded_by=personas.base, file="rosters/treo.xlsx", file_name="treo.xlsx"
    )
    RosterImport.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    assert purge_old_roster_uploads() == 1
    stuck.refresh_from_db()
    assert stuck.status == RosterImport.Status.FAILED and not stuck.file
    client.force_login(personas.base)
    page = client.get(reverse("members:import_status", args=[stuck.pk])).content.decode()
    assert "hx-trigger" not in page and "hết thời hạn lưu giữ" in page


def test_the_purge_is_scheduled_daily(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["members-purge-roster-uploads"]
    assert schedule == {"task": "members.tasks.purge_old_roster_uploads_task", "schedule": 86400}
    assert settings.ROSTER_UPLOAD_RETENTION_DAYS == 30


def test_messages_keep_their_sense_without_the_values():
    assert scrub_message("Số CCCD 024085000123 trùng với dòng 2.") == "Số CCCD … trùng với dòng 2."
    assert scrub_message("Giới tính «Không rõ» không hợp lệ (ghi Nam hoặc Nữ).") == (
        "Giới tính «…» không hợp lệ (ghi Nam hoặc Nữ)."
    )


def test_a_purged_import_cannot_be_checked_again(tree, personas, client):
    """The retry of a failed import reads its upload again: once purged there is none, so none is offered."""
    stuck = RosterImport.objects.create(
        organization=tree.base, uploaded_by=personas.base, file="rosters/treo.xlsx", file_name="treo.xlsx"
    )
    RosterImport.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    purge_old_roster_uploads()
    client.force_login(personas.base)
    response = client.post(reverse("members:import_retry", args=[stuck.pk]))
    stuck.refresh_from_db()
    assert stuck.status == RosterImport.Status.FAILED
    assert response.status_code in (302, 200)
    assert "Kiểm tra lại" not in client.get(reverse("members:import_status", args=[stuck.pk])).content.decode()
