"""Roster import and export: rows matched to members (by CCCD) and branches, checked, written all or none.

The checks are the registry's own (members/validation.py), so a sheet row and the member form obey
one set of rules. Writes are bulk (10,000 rows in seconds): one query fetches the branches, one per
few thousand CCCDs fetches the members already registered, and every created or updated member gets
a history row naming the import and the user.
"""

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audit.models import AuditAction
from audit.services import record_audit_event
from organizations.models import Organization
from organizations.permissions import Action, require_action
from organizations.selectors import active_branches_under
from partyorg.lib import jobs
from partyorg.lib.dates import today
from partyorg.lib.errors import DomainError
from partyorg.lib.jobs import fail_silent_jobs, stale_minutes

from .counts import apply_count_deltas
from .exports import EXPORT_WHAT, write_members
from .models import BranchMembership, Member, MemberStatus, RosterImport
from .roster import (
    COLUMN_BY_FIELD,
    MEMBER_FIELDS,
    NOT_BLANK_CHOICE_FIELDS,
    RosterFileError,
    Sheet,
    SheetRow,
    header_key,
    read_roster,
)
from .validation import member_record_problems

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# SQLite allows 32,766 parameters per query; PostgreSQL far more. Few queries, none too large.
LOOKUP_CHUNK = 5000
# The report keeps this many problems (their count is complete): a sheet of 20,000 bad rows would otherwise
# put megabytes of messages into the database and one page.
REPORT_PROBLEMS_KEPT = 1000
Progress = Callable[[int, int], None]


@dataclass
class RosterPlan:
    """What an import would do: members to create, members to update, and every problem found."""

    sheet: Sheet
    new: list[Member] = field(default_factory=list)
    updates: list[tuple[Member, list[str]]] = field(default_factory=list)
    unchanged_count: int = 0
    problems: list[dict] = field(default_factory=list)  # {"row", "column", "message"}
    held_elsewhere: int = 0  # rows whose CCCD is a member's outside the organization: answers to log

    @property
    def is_clean(self) -> bool:
        return not self.problems

    def report(self) -> dict:
        return {
            "row_count": len(self.sheet.rows),
            "new_count": len(self.new),
            "update_count": len(self.updates),
            "unchanged_count": self.unchanged_count,
            "problem_count": len(self.problems),
            "problems": self.problems[:REPORT_PROBLEMS_KEPT],
            "unknown_columns": [f"{letter} ({header})" for letter, header in self.sheet.unknown_columns],
            "read_only_columns": [
                f"{letter} ({header})"
                for name, (letter, header) in self.sheet.columns.items()
                if name != "row_number" and not COLUMN_BY_FIELD[name].imported
            ],
            "updated_rows": [
                {"row": row, "name": m.full_name, "fields": [COLUMN_BY_FIELD[f].header for f in fs]}
                for m, fs, row in self._updated_rows()
            ],
        }

    def _updated_rows(self):
        return [(member, fields, getattr(member, "_roster_row", None)) for member, fields in self.updates[:200]]


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_members(personal_ids: list[str], *, lock: bool = False) -> dict[str, Member]:
    found = {}
    members = Member.objects.select_related("branch")
    if lock:
        # The write bumps each version from the value read here: no edit may slip in between.
        members = members.select_for_update(of=("self",))
    for chunk in _chunks(personal_ids, LOOKUP_CHUNK):
        for member in members.filter(personal_id__in=chunk):
            found[member.personal_id] = member
    return found


class _BranchResolver:
    def __init__(self, organization: Organization):
        self.organization = organization
        self.by_name: dict[str, list[Organization]] = defaultdict(list)
        self.by_code: dict[str, Organization] = {}
        for branch in active_branches_under(organization):
            self.by_name[header_key(branch.name)].append(branch)
            self.by_code[branch.code.upper()] = branch

    def resolve(self, row: SheetRow, member: Member | None) -> tuple[Organization | None, tuple[str, str] | None]:
        org_name = self.organization.name
        if row.branch_code:
            branch = self.by_code.get(row.branch_code.upper())
            if branch is None:
                return None, ("branch_code", f"Không có chi bộ mã «{row.branch_code}» thuộc {org_name}.")
            if row.branch_name and header_key(row.branch_name) != header_key(branch.name):
                return None, ("branch", f"Chi bộ «{row.branch_name}» không khớp mã {branch.code} ({branch.name}).")
            return branch, None
        if row.branch_name:
            candidates = self.by_name.get(header_key(row.branch_name), [])
            if not candidates:
                return None, ("branch", f"Không có chi bộ «{row.branch_name}» thuộc {org_name}.")
            if len(candidates) > 1:
                return None, (
                    "branch",
                    f"Có {len(candidates)} chi bộ tên «{row.branch_name}» thuộc {org_name}: "
                    "ghi thêm cột «Mã chi bộ» hoặc chọn tổ chức cấp dưới.",
                )
            return candidates[0], None
        if self.organization.is_branch:
            return self.organization, None
        if member is not None and member.branch.path.startswith(self.organization.path):
            return member.branch, None
        return None, ("branch", "Chưa ghi chi bộ sinh hoạt.")


def plan_roster(
    *, organization: Organization, sheet: Sheet, on: dt.date | None = None, lock: bool = False
) -> RosterPlan:
    """Match and check every row of a parsed sheet; writes nothing. `lock` (inside the writing transaction)
    locks the members matched until it ends."""
    on = on or today()
    plan = RosterPlan(sheet=sheet)
    branches = _BranchResolver(organization)
    personal_ids = sorted({r.values["personal_id"] for r in sheet.rows if r.values.get("personal_id")})
    existing = _existing_members(personal_ids, lock=lock)
    first_row_of: dict[str, int] = {}
    for row in sheet.rows:
        problems = list(row.problems)
        unreadable = {f for f, _ in problems}
        values = {f: v for f, v in row.values.items() if not (v is None and f in NOT_BLANK_CHOICE_FIELDS)}
        personal_id = values.get("personal_id")
        member = existing.get(personal_id) if personal_id else None
        if personal_id:
            if personal_id in first_row_of:
                problems.append(("personal_id", f"Số CCCD {personal_id} trùng với dòng {first_row_of[personal_id]}."))
            else:
                first_row_of[personal_id] = row.number
        branch, branch_problem = branches.resolve(row, member)
        if branch_problem:
            problems.append(branch_problem)
        if member is not None and not member.branch.path.startswith(organization.path):
            # Say no more than that: the other organization is outside the user's scope.
            plan.held_elsewhere += 1
            problems.append(
                (
                    "personal_id",
                    f"Số CCCD {personal_id} đã có trong danh sách đảng viên của tổ chức khác; "
                    "đề nghị cấp ủy quản lý làm thủ tục chuyển sinh hoạt.",
                )
            )
            member = None
        elif member is not None and branch is not None and member.branch_id != branch.pk:
            problems.append(
                (
                    "branch",
                    f"Đảng viên có số CCCD {personal_id} đang sinh hoạt tại {member.branch.name}; "
                    "đổi chi bộ bằng nghiệp vụ chuyển sinh hoạt.",
                )
            )
        record = {f: getattr(member, f) for f in MEMBER_FIELDS} if member is not None else {}
        record.update(values)
        problems += [p for p in member_record_problems(record, on=on) if p[0] not in unreadable]
        if problems:
            plan.problems += [
                {"row": row.number, "column": sheet.column_label(f), "message": message} for f, message in problems
            ]
            continue
        if member is None:
            new = Member(branch=branch, **values)
            new.status = MemberStatus.OFFICIAL if new.official_on else MemberStatus.PROBATIONARY
            new.status_since = new.official_on or new.ceremony_held_on or new.admission_decided_on
            new._roster_row = row.number
            plan.new.append(new)
            continue
        changed = [f for f, v in values.items() if getattr(member, f) != v]
        if not changed:
            plan.unchanged_count += 1
            continue
        for f in changed:
            setattr(member, f, values[f])
        member._roster_row = row.number
        plan.updates.append((member, changed))
    return plan


def _write(plan: RosterPlan, *, actor, reason: str) -> None:
    """Create and update the planned members, with history; the caller holds the transaction."""
    for member in plan.new:
        member.refresh_derived_fields()
    created = bulk_create_with_history(
        plan.new, Member, batch_size=BATCH_SIZE, default_user=actor, default_change_reason=reason
    )
    BranchMembership.objects.bulk_create(
        [
            BranchMembership(
                member=m, branch=m.branch, started_on=m.ceremony_held_on or m.admission_decided_on, reason=reason
            )
            for m in created
        ],
        batch_size=BATCH_SIZE,
    )
    # The updates below change neither status nor branch (_plan refuses a branch change): only new rows count.
    apply_count_deltas(Counter((m.branch_id, m.status) for m in created))
    if plan.updates:
        now = timezone.now()
        # bulk_update bypasses save(): move each version on here, or an edit form opened before the import
        # would save over it unchecked.
        fields = {"search_name", "sort_key", "updated_at", "version"}
        members = []
        for member, changed in plan.updates:
            member.refresh_derived_fields()
            member.updated_at = now
            member.version += 1
            fields.update(changed)
            members.append(member)
        bulk_update_with_history(
            members,
            Member,
            sorted(fields),
            batch_size=BATCH_SIZE,
            default_user=actor,
            default_change_reason=reason,
        )


def history_reason(roster_import: RosterImport) -> str:
    # simple-history keeps 100 characters of reason; the user is in history_user.
    return f"Nhập danh sách đảng viên, lần nhập số {roster_import.pk} ({roster_import.file_name})"[:100]


# The import as the pages and the command run it: upload → check (preview) → confirm → write.


# A task that stops without a word (killed, out of memory, the server restarted) leaves its import "running":
# tasks write a heartbeat as they go, and an import silent for ROSTER_IMPORT_STALE_AFTER is marked failed.
# Nothing was written (the write is one transaction), so the user checks the same upload again.
_ACTIVITY = {RosterImport.Status.CHECKING: "kiểm tra", RosterImport.Status.IMPORTING: "ghi"}
_RETRY_HINT = "chưa ghi dòng nào vào danh sách đảng viên. Bấm «Kiểm tra lại» để chạy lại trên tệp đã tải lên"
STALE_MESSAGE = (
    "Tiến trình {activity} danh sách đã dừng giữa chừng (không có tín hiệu quá {minutes} phút, có thể máy chủ "
    "đã khởi động lại); " + _RETRY_HINT + "."
)
CRASH_MESSAGE = (
    "Tiến trình {activity} danh sách gặp lỗi hệ thống; " + _RETRY_HINT + ", hoặc báo quản trị viên nếu lỗi lặp lại."
)


def _beat(roster_import_id: int, **fields) -> None:
    RosterImport.objects.filter(pk=roster_import_id).update(heartbeat_at=timezone.now(), **fields)


def _progress_saver(roster_import: RosterImport) -> Progress:
    def save(done: int, expected: int) -> None:
        _beat(roster_import.pk, progress_done=done, progress_total=expected)

    return save


def _fail(roster_import_id: int, *, running: str, message: str) -> int:
    """Mark failed an import still in the `running` status (a task that finished meanwhile is left alone)."""
    return RosterImport.objects.filter(pk=roster_import_id, status=running).update(
        status=RosterImport.Status.FAILED, report={"failure": message}, heartbeat_at=timezone.now()
    )


def fail_stale_roster_imports(*, job_id: int | None = None) -> int:
    """Mark failed every check or write whose task has been silent for ROSTER_IMPORT_STALE_AFTER (beat, every
    5 minutes; and the page of one import). Returns how many were marked."""
    failures = {
        running: {
            "status": RosterImport.Status.FAILED,
            "report": {"failure": STALE_MESSAGE.format(activity=activity, minutes=stale_minutes())},
            "heartbeat_at": timezone.now(),
        }
        for running, activity in _ACTIVITY.items()
    }
    return fail_silent_jobs(RosterImport.objects.all(), failures, job_id=job_id)


def fail_if_stale(roster_import: RosterImport) -> RosterImport:
    """The page of an import, shown or polled: a dead task's import becomes failed there and then."""
    return jobs.fail_if_stale(roster_import, fail_stale_roster_imports)


def _save_result(roster_import: RosterImport, *, running: str) -> RosterImport:
    """Save what the task found, unless the import left `running` meanwhile (taken for dead and marked failed)."""
    with transaction.atomic():
        current = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if current.status != running:
            return current
        roster_import.heartbeat_at = timezone.now()
        roster_import.save()
    return roster_import


def _crashed(roster_import: RosterImport, *, running: str) -> RosterImport:
    # Shown on the page (with a retry) instead of a request that fails or an import left running.
    logger.exception("roster import %s failed while %s", roster_import.pk, running)
    _fail(roster_import.pk, running=running, message=CRASH_MESSAGE.format(activity=_ACTIVITY[running]))
    return RosterImport.objects.get(pk=roster_import.pk)


def _read(roster_import: RosterImport, progress: Progress | None) -> Sheet:
    with roster_import.file.open("rb") as handle:
        return read_roster(handle, progress=progress)


def _parsed_name(roster_import: RosterImport) -> str:
    return f"{roster_import.file.name}.parsed.json"


def _keep_parsed(roster_import: RosterImport, sheet: Sheet) -> None:
    """Store the parsed sheet beside the upload: the confirmed run checks it again without re-reading Excel."""
    storage = roster_import.file.storage
    name = _parsed_name(roster_import)
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(sheet.to_json().encode()))


def _read_kept_or_file(roster_import: RosterImport, progress: Progress | None) -> Sheet:
    storage = roster_import.file.storage
    name = _parsed_name(roster_import)
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            return Sheet.from_json(handle.read().decode())
    return _read(roster_import, progress)


def _store_report(roster_import: RosterImport, plan: RosterPlan, *, status: str) -> None:
    report = plan.report()
    roster_import.status = status
    roster_import.row_count = report["row_count"]
    roster_import.new_count = report["new_count"]
    roster_import.update_count = report["update_count"]
    roster_import.unchanged_count = report["unchanged_count"]
    roster_import.problem_count = len(plan.problems)
    roster_import.report = report
    roster_import.progress_done = roster_import.progress_total = report["row_count"]


def _store_file_error(roster_import: RosterImport, error: RosterFileError) -> None:
    roster_import.status = RosterImport.Status.REJECTED
    roster_import.problem_count = 1
    roster_import.report = {"file_error": error.message, "problems": [], "unknown_columns": []}


def start_roster_import(
    *, actor, organization: Organization, file: File, file_name: str, queue: bool = True
) -> RosterImport:
    """Store an uploaded roster and queue its check; nothing is written to the registry yet."""
    from .tasks import check_roster_import_task

    require_action(actor, Action.IMPORT_ROSTER, organization)
    file_name = Path(file_name).name
    with transaction.atomic():
        roster_import = RosterImport(
            organization=organization, uploaded_by=actor, file_name=file_name[:255], heartbeat_at=timezone.now()
        )
        roster_import.file.save(file_name, file, save=False)
        roster_import.save()
        if queue:
            transaction.on_commit(lambda: check_roster_import_task.delay(roster_import.pk))
    return roster_import


def check_roster_import(*, roster_import_id: int) -> RosterImport:
    """Read and check a stored roster, saving the preview. Runs once: later calls return the result."""
    checking = RosterImport.Status.CHECKING
    roster_import = RosterImport.objects.select_related("organization").get(pk=roster_import_id)
    if roster_import.status != checking:
        return roster_import
    _beat(roster_import.pk)
    try:
        try:
            sheet = _read(roster_import, _progress_saver(roster_import))
        except RosterFileError as error:
            _store_file_error(roster_import, error)
        else:
            _keep_parsed(roster_import, sheet)
            _beat(roster_import.pk)
            plan = plan_roster(organization=roster_import.organization, sheet=sheet)
            _store_report(roster_import, plan, status=RosterImport.Status.CHECKED)
            if plan.held_elsewhere and roster_import.uploaded_by is not None:
                # The report tells the importer which of their CCCDs are members' elsewhere: logged like the
                # registry's duplicate check (members.personal_ids), one line for the sheet.
                record_audit_event(
                    actor=roster_import.uploaded_by,
                    action=AuditAction.CHECK_PERSONAL_ID,
                    target=roster_import,
                    record_count=plan.held_elsewhere,
                    details={"rows": plan.held_elsewhere, "file": roster_import.file_name},
                )
        return _save_result(roster_import, running=checking)
    except Exception:
        return _crashed(roster_import, running=checking)


def confirm_roster_import(*, actor, roster_import: RosterImport, queue: bool = True) -> RosterImport:
    """The user has seen a clean preview: queue the write."""
    from .tasks import run_roster_import_task

    require_action(actor, Action.IMPORT_ROSTER, roster_import.organization)
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if not locked.can_confirm:
            raise DomainError("Chỉ nhập được danh sách đã kiểm tra và không còn lỗi.")
        locked.status = RosterImport.Status.IMPORTING
        locked.progress_done = 0
        locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["status", "progress_done", "heartbeat_at"])
        if queue:
            transaction.on_commit(lambda: run_roster_import_task.delay(locked.pk))
    return locked


def run_roster_import(*, roster_import_id: int) -> RosterImport:
    """Check the roster again (the registry may have changed since the preview) and write all rows or none.
    The sheet parsed at the preview is reused; the rules and the registry lookups run again."""
    roster_import = RosterImport.objects.select_related("organization", "uploaded_by").get(pk=roster_import_id)
    if roster_import.status != RosterImport.Status.IMPORTING:
        return roster_import  # already done, or a second delivery of the task
    _beat(roster_import.pk)
    try:
        return _run(roster_import)
    except Exception:
        # The transaction of the write was rolled back: nothing of this import is in the registry.
        return _crashed(roster_import, running=RosterImport.Status.IMPORTING)


def _run(roster_import: RosterImport) -> RosterImport:
    try:
        sheet = _read_kept_or_file(roster_import, _progress_saver(roster_import))
    except RosterFileError as error:
        _store_file_error(roster_import, error)
        return _save_result(roster_import, running=RosterImport.Status.IMPORTING)
    _beat(roster_import.pk)
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if locked.status != RosterImport.Status.IMPORTING:
            return locked
        plan = plan_roster(organization=roster_import.organization, sheet=sheet, lock=True)
        if not plan.is_clean:
            _store_report(roster_import, plan, status=RosterImport.Status.REJECTED)
            roster_import.save()
            return roster_import
        _write(plan, actor=roster_import.uploaded_by, reason=history_reason(roster_import))
        _store_report(roster_import, plan, status=RosterImport.Status.DONE)
        roster_import.imported_at = timezone.now()
        roster_import.save()
        if roster_import.uploaded_by is not None:
            record_audit_event(
                actor=roster_import.uploaded_by,
                action=AuditAction.IMPORT_ROSTER,
                target=roster_import,
                record_count=len(plan.new) + len(plan.updates),
                details={
                    "organization": roster_import.organization.code,
                    "file": roster_import.file_name,
                    "new": len(plan.new),
                    "updated": len(plan.updates),
                },
            )
    return roster_import


def retry_roster_import(*, actor, roster_import: RosterImport, queue: bool = True) -> RosterImport:
    """Check a failed import's upload again (its worker died or crashed; nothing was written): the user gets
    a fresh preview and confirms it as before."""
    from .tasks import check_roster_import_task

    require_action(actor, Action.IMPORT_ROSTER, roster_import.organization)
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if not locked.can_retry:
            raise DomainError("Chỉ kiểm tra lại được lần nhập bị dừng do lỗi hệ thống.")
        locked.status = RosterImport.Status.CHECKING
        locked.report = {}
        locked.row_count = locked.new_count = locked.update_count = locked.unchanged_count = 0
        locked.problem_count = locked.progress_done = locked.progress_total = 0
        locked.heartbeat_at = timezone.now()
        locked.save()
        if queue:
            transaction.on_commit(lambda: check_roster_import_task.delay(locked.pk))
    return locked


def export_roster(*, actor, members: QuerySet[Member], stream, filters: dict) -> int:
    """Write the (already scoped and filtered) members as a roster sheet and log the export of personal data:
    the immediate export of a small list (members.exports runs the large ones as tasks)."""
    count = write_members(members, stream)
    record_audit_event(
        actor=actor,
        action=AuditAction.EXPORT_PERSONAL_DATA,
        record_count=count,
        details={"what": EXPORT_WHAT, "filters": filters},
    )
    return count
