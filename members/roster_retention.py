"""Uploaded rosters are kept only as long as they are useful: ROSTER_UPLOAD_RETENTION_DAYS (default 30).

An upload carries a whole organization's personal data: the .xlsx, the sheet parsed beside it, and a check report
that quotes CCCDs and cell values. Once the period is over (accepted, rejected or abandoned alike) the daily task
deletes both files and blanks the personal data of the report. The RosterImport row stays as the record of who
imported what, where and when: its counts, and each problem's row, column and message with the values removed.
"""

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partyorg.lib.masking import redact_long_numbers

from .models import RosterImport
from .roster_services import _parsed_name

# What a report's messages may quote from the sheet besides CCCDs: any cell value, in «…».
_QUOTED = re.compile(r"«[^»]*»")
REMOVED = "…"


def scrub_message(message: str) -> str:
    """A problem's message without the values it quoted: 'Số CCCD 024085000123 trùng với dòng 2.' keeps its sense."""
    return _QUOTED.sub(f"«{REMOVED}»", redact_long_numbers(message, replacement=REMOVED))


def scrubbed_report(report: dict, *, purged_at: dt.datetime) -> dict:
    kept = {key: report[key] for key in ("row_count", "new_count", "update_count", "unchanged_count") if key in report}
    return {
        **kept,
        "file_error": report.get("file_error", ""),
        "unknown_columns": report.get("unknown_columns", []),
        "problems": [
            {"row": p.get("row"), "column": p.get("column"), "message": scrub_message(p.get("message", ""))}
            for p in report.get("problems", [])
        ],
        # Which rows changed which columns, without the member's name.
        "updated_rows": [{"row": u.get("row"), "fields": u.get("fields", [])} for u in report.get("updated_rows", [])],
        "purged_at": purged_at.isoformat(),
    }


def purge_roster_upload(roster_import: RosterImport, *, now: dt.datetime | None = None) -> None:
    """Delete one import's files and blank its report's personal data; the row stays. Safe to run twice."""
    now = now or timezone.now()
    if roster_import.file:
        storage = roster_import.file.storage
        storage.delete(_parsed_name(roster_import))
        roster_import.file.delete(save=False)
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        locked.file = ""
        locked.report = scrubbed_report(locked.report or {}, purged_at=now)
        if locked.is_running:
            # A check or a write that has not ended in the whole period never will: its data go all the same.
            locked.status = RosterImport.Status.FAILED
        locked.save(update_fields=["file", "report", "status"])


def purge_old_roster_uploads(*, now: dt.datetime | None = None) -> int:
    """Purge every upload older than the retention period that still holds data. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.ROSTER_UPLOAD_RETENTION_DAYS)
    due = RosterImport.objects.filter(created_at__lt=cutoff).exclude(report__has_key="purged_at")
    count = 0
    for roster_import in due.iterator():
        purge_roster_upload(roster_import, now=now)
        count += 1
    return count
