"""Exports of the member list: read in chunks, written streamed, built by a task when large, kept for the requester.

Up to EXPORT_IMMEDIATE_MAX_ROWS members the request answers the file itself (members.views.member_export);
above, the request only records a MemberExport and queues run_member_export, and the page polls its progress.
Either way no query holds more than EXPORT_CHUNK_ROWS members and the workbook is written row by row
(openpyxl write-only: rows go to a temporary file, not to memory).

Order of the sheet: by branch (tree order), then the Vietnamese sort key within the branch. The members are read
per group of whole branches (`branch_id IN (…)`, the (branch, status) index) and each group, at most one chunk,
is sorted here; a branch larger than a chunk is paged by (sort_key, id), a sort of that branch alone. So no
query sorts or walks the whole scope: the one global ordering of the list (sort_key, id) would make each chunk of
a keyset walk the index over every member of the province, filtered or not.
"""

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit_event
from organizations.models import Organization
from organizations.scope import scope_paths
from partyorg.lib import jobs
from partyorg.lib.jobs import fail_silent_jobs, stale_minutes

from .models import Member, MemberExport
from .roster import write_roster

logger = logging.getLogger(__name__)

EXPORT_WHAT = "Danh sách đảng viên (Excel)"
STALE_MESSAGE = (
    "Tiến trình xuất danh sách đã dừng giữa chừng (không có tín hiệu quá {minutes} phút, có thể máy chủ đã khởi "
    "động lại). Hãy xuất lại từ trang danh sách."
)
CRASH_MESSAGE = "Tiến trình xuất danh sách gặp lỗi hệ thống. Hãy xuất lại, hoặc báo quản trị viên nếu lỗi lặp lại."


@dataclass
class ExportPlan:
    """The members to write, in the sheet's order, fetched chunk by chunk; `total` counted once, by branch."""

    total: int
    rows: Iterator[Member]


def plan_export(members: QuerySet[Member], *, chunk_size: int | None = None) -> ExportPlan:
    chunk_size = chunk_size or settings.EXPORT_CHUNK_ROWS
    members = members.order_by()
    # One aggregate: how many members each branch has, branches in tree order (path; a name breaks no tie).
    per_branch = list(members.values_list("branch_id").annotate(n=Count("id")).order_by("branch__path"))
    return ExportPlan(total=sum(n for _, n in per_branch), rows=_chunked(members, per_branch, chunk_size))


def _chunked(members: QuerySet[Member], per_branch: list[tuple[int, int]], chunk_size: int) -> Iterator[Member]:
    rows = members.select_related("branch")
    group: list[int] = []
    size = 0
    for branch_id, count in per_branch:
        if count > chunk_size:
            yield from _branch_group(rows, group)
            group, size = [], 0
            yield from _large_branch(rows, branch_id, chunk_size)
            continue
        if size + count > chunk_size:
            yield from _branch_group(rows, group)
            group, size = [], 0
        group.append(branch_id)
        size += count
    yield from _branch_group(rows, group)


def _branch_group(rows: QuerySet[Member], branch_ids: list[int]) -> list[Member]:
    if not branch_ids:
        return []
    position = {branch_id: i for i, branch_id in enumerate(branch_ids)}
    return sorted(rows.filter(branch_id__in=branch_ids), key=lambda m: (position[m.branch_id], m.sort_key, m.pk))


def _large_branch(rows: QuerySet[Member], branch_id: int, chunk_size: int) -> Iterator[Member]:
    # Keyset paging: each page starts after the last (sort_key, id) written, so none re-reads earlier rows.
    ordered = rows.filter(branch_id=branch_id).order_by("sort_key", "id")
    page = ordered
    while True:
        chunk = list(page[:chunk_size])
        yield from chunk
        if len(chunk) < chunk_size:
            return
        last = chunk[-1]
        page = ordered.filter(Q(sort_key__gt=last.sort_key) | Q(sort_key=last.sort_key, id__gt=last.pk))


def _with_progress(rows: Iterator[Member], report: Callable[[int], None], every: int) -> Iterator[Member]:
    done = 0
    for done, member in enumerate(rows, start=1):
        yield member
        if done % every == 0:
            report(done)
    report(done)


def write_members(members: QuerySet[Member], stream, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the members as a roster sheet, chunk by chunk, in the export's order; returns the row count."""
    plan = plan_export(members)
    rows = plan.rows
    if progress is not None:
        progress(0, plan.total)
        rows = _with_progress(rows, lambda done: progress(done, plan.total), settings.EXPORT_CHUNK_ROWS)
    return write_roster(rows, stream)


def export_is_immediate(members: QuerySet[Member]) -> bool:
    """At most EXPORT_IMMEDIATE_MAX_ROWS members: a count that stops there, whatever the scope's size."""
    limit = settings.EXPORT_IMMEDIATE_MAX_ROWS
    return members.order_by().values("pk")[: limit + 1].count() <= limit


def export_organization(user, chosen: Organization | None) -> Organization | None:
    """What the export covers, re-checked at download: the list's organization filter, else the requester's
    scope (its first root for a user with roles in several places; the tree's first root for an administrator)."""
    if chosen is not None:
        return chosen
    paths = scope_paths(user)
    if paths is None:
        return Organization.get_root_nodes().first()
    return Organization.objects.filter(path=paths[0]).first() if paths else None


def start_member_export(*, actor, filters: dict, organization: Organization) -> MemberExport:
    """Record the export and queue its task; the page that asked polls its progress."""
    from .tasks import run_member_export_task

    with transaction.atomic():
        export = MemberExport.objects.create(
            requested_by=actor, organization=organization, filters=filters, heartbeat_at=timezone.now()
        )
        transaction.on_commit(lambda: run_member_export_task.delay(export.pk))
    return export


def _beat(export_id: int, **fields) -> int:
    return MemberExport.objects.filter(pk=export_id).update(heartbeat_at=timezone.now(), **fields)


def run_member_export(*, export_id: int) -> MemberExport:
    """Build one queued export. Runs once: a redelivered task finds it no longer queued and leaves it."""
    from .selectors import filtered_members

    if not MemberExport.objects.filter(pk=export_id, status=MemberExport.Status.QUEUED).update(
        status=MemberExport.Status.RUNNING, heartbeat_at=timezone.now()
    ):
        return MemberExport.objects.get(pk=export_id)
    export = MemberExport.objects.select_related("requested_by").get(pk=export_id)
    try:
        # The requester's scope as it is now: a role lost since the request narrows the file.
        members = filtered_members(export.requested_by, export.filters).qs
        with tempfile.TemporaryFile() as handle:
            count = write_members(
                members, handle, progress=lambda done, total: _beat(export_id, progress_done=done, progress_total=total)
            )
            handle.seek(0)
            export.file.save(export.file_name, File(handle), save=False)
    except Exception:
        logger.exception("member export %s failed", export_id)
        MemberExport.objects.filter(pk=export_id, status=MemberExport.Status.RUNNING).update(
            status=MemberExport.Status.FAILED, error=CRASH_MESSAGE, finished_at=timezone.now()
        )
        return MemberExport.objects.get(pk=export_id)
    with transaction.atomic():
        current = MemberExport.objects.select_for_update().get(pk=export_id)
        if current.status != MemberExport.Status.RUNNING:
            # Taken for dead meanwhile (marked failed): the user was told so; the file goes.
            export.file.delete(save=False)
            return current
        current.file = export.file.name
        current.status = MemberExport.Status.DONE
        current.row_count = current.progress_done = current.progress_total = count
        current.finished_at = current.heartbeat_at = timezone.now()
        current.save()
        record_audit_event(
            actor=export.requested_by,
            action=AuditAction.EXPORT_PERSONAL_DATA,
            target=current,
            record_count=count,
            details={"what": EXPORT_WHAT, "filters": export.filters},
        )
    return current


def record_export_download(*, actor, export: MemberExport) -> None:
    """Each download of a kept export is its own line of the access log (the file may be fetched again)."""
    record_audit_event(
        actor=actor,
        action=AuditAction.DOWNLOAD_EXPORT,
        target=export,
        record_count=export.row_count,
        details={"what": EXPORT_WHAT, "filters": export.filters},
    )


def fail_stale_member_exports(*, job_id: int | None = None) -> int:
    """Mark failed every export whose task has been silent for ROSTER_IMPORT_STALE_AFTER. Returns how many."""
    failed = {
        "status": MemberExport.Status.FAILED,
        "error": STALE_MESSAGE.format(minutes=stale_minutes()),
        "finished_at": timezone.now(),
    }
    running = (MemberExport.Status.QUEUED, MemberExport.Status.RUNNING)
    return fail_silent_jobs(MemberExport.objects.all(), dict.fromkeys(running, failed), job_id=job_id)


def fail_if_stale(export: MemberExport) -> MemberExport:
    """The page of an export, shown or polled: a dead task's export becomes failed there and then."""
    return jobs.fail_if_stale(export, fail_stale_member_exports)


def purge_old_member_exports(*, now=None) -> int:
    """Delete the files of exports older than EXPORT_RETENTION_HOURS; the rows stay as the record. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    count = 0
    for export in MemberExport.objects.filter(created_at__lt=cutoff, purged_at__isnull=True).iterator():
        if export.file:
            export.file.delete(save=False)
        status = MemberExport.Status.FAILED if export.is_running else export.status
        MemberExport.objects.filter(pk=export.pk).update(file="", purged_at=now, status=status)
        count += 1
    return count
