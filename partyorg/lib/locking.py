"""Optimistic locking: no save silently undoes another person's.

A versioned row counts its writes in `version`. A form carries the version it was filled from (a hidden
field); the service that saves it locks the row (select_for_update, inside its transaction) and refuses
the save when the version has moved on since, telling who changed what and when (from the row's
simple-history records). Every save moves the version on; bulk writes that bypass save() bump it themselves.
"""

from django.db import models
from django.utils import timezone

from .errors import DomainError
from .history import HistoryEntry, net_changes


class VersionedModel(models.Model):
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class EditConflict(DomainError):
    """The row changed after the user loaded the form; `current_version` lets the form be saved again."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


def lock_seen(queryset: models.QuerySet, pk, *, seen_version: int | None):
    """The row, locked until the transaction ends; refused when the caller saw an older version of it.

    `seen_version=None` is for callers working on what they have just read themselves (no form)."""
    # of=("self",): the rows a select_related joins (branch, candidate) are read, not locked.
    row = queryset.select_for_update(of=("self",)).get(pk=pk)
    if seen_version is not None and row.version != seen_version:
        raise EditConflict(conflict_message(row, seen_version), current_version=row.version)
    return row


def conflict_message(row: VersionedModel, seen_version: int) -> str:
    """'Hồ sơ đã được <người> sửa lúc <dd/mm/yyyy HH:MM>: <trường: cũ → mới>; … Hãy xem lại và lưu lại.'"""
    records = list(
        row.history.filter(version__gte=min(seen_version, row.version))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    seen = [r for r in records if r.version <= seen_version]
    later = [r for r in records if r.version > seen_version] or records[-1:]
    if not later:
        return "Hồ sơ đã được người khác sửa sau khi bạn mở trang. Hãy xem lại và lưu lại."
    entries = [HistoryEntry.of(record) for record in later]
    people = ", ".join(dict.fromkeys(entry.user for entry in entries))
    reasons = "; ".join(dict.fromkeys(entry.reason for entry in entries if entry.reason))
    changes = net_changes(type(row), seen[-1] if seen else None, later[-1], masked=getattr(row, "MASKED_FIELDS", ()))
    at = timezone.localtime(later[-1].history_date)
    message = f"Hồ sơ đã được {people} sửa lúc {at:%d/%m/%Y %H:%M}"
    if reasons:
        message += f" ({reasons})"
    if changes:
        message += ": " + "; ".join(str(change) for change in changes)
    return message + ". Hãy xem lại và lưu lại."
