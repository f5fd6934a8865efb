"""simple-history records as people read them: when, who, why, and which fields went from what to what.

Fields are named by their Vietnamese verbose_name; choices show their label, dates dd/mm/yyyy, foreign keys
the name of the row they point to (one query per related model, whatever the number of records), and the
fields a model lists in MASKED_FIELDS (the CCCD) only masked: history never shows them in full.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from .masking import mask_identifier

# Bookkeeping, not content: never listed as a change.
NOT_SHOWN = frozenset({"id", "version", "created_at", "updated_at"})
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.label}: {self.old} → {self.new}"


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: str
    reason: str
    created: bool
    changes: list[FieldChange] = field(default_factory=list)

    @classmethod
    def of(cls, record, changes: list[FieldChange] | None = None) -> "HistoryEntry":
        return cls(
            at=record.history_date,
            user=str(record.history_user) if record.history_user_id else "hệ thống",
            reason=record.history_change_reason or "",
            created=record.history_type == "+",
            changes=changes or [],
        )


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's fields its history keeps, less the bookkeeping ones."""
    kept = {f.name for f in model.history.model._meta.fields}
    return [f for f in model._meta.concrete_fields if f.name in kept and f.name not in NOT_SHOWN]


def _changed_fields(fields, older, newer) -> list[models.Field]:
    return [f for f in fields if getattr(older, f.attname) != getattr(newer, f.attname)]


def _names_of(pairs: list[tuple[object, object, list[models.Field]]]) -> dict:
    """{(related model, pk): name} for every foreign key value the changes show, one query per related model."""
    wanted = defaultdict(set)
    for older, newer, fields in pairs:
        for f in fields:
            if f.is_relation:
                for record in (older, newer):
                    if getattr(record, f.attname) is not None:
                        wanted[f.related_model].add(getattr(record, f.attname))
    names = {}
    for related_model, pks in wanted.items():
        for row in related_model._default_manager.filter(pk__in=pks):
            names[related_model, row.pk] = str(row)
    return names


def display(model_field: models.Field, value, *, names: dict, masked=()) -> str:
    if model_field.choices and value in (labels := dict(model_field.flatchoices)):
        return str(labels[value])  # a blank choice may have a label too ("Chưa qua đào tạo")
    if value is None or value == "":
        return EMPTY
    if model_field.name in masked:
        return mask_identifier(str(value))
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(value)


def _describe(fields, older, newer, names, masked) -> list[FieldChange]:
    return [
        FieldChange(
            label=str(f.verbose_name),
            old=display(f, getattr(older, f.attname), names=names, masked=masked),
            new=display(f, getattr(newer, f.attname), names=names, masked=masked),
        )
        for f in fields
    ]


def net_changes(model: type[models.Model], older, newer, *, masked=()) -> list[FieldChange]:
    """What differs between two historical records of one row (older may be None: nothing to compare)."""
    if older is None:
        return []
    fields = _changed_fields(tracked_fields(model), older, newer)
    return _describe(fields, older, newer, _names_of([(older, newer, fields)]), masked)


def history_entries(
    records: models.QuerySet, model: type[models.Model], *, limit: int, masked=()
) -> list[HistoryEntry]:
    """The newest `limit` records of one row, newest first, each with its changes against the one before.

    One query for the records and their users (one record more than shown, to diff the oldest shown),
    plus one per related model whose foreign key changed."""
    rows = list(records.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    fields = tracked_fields(model)
    pairs = []
    for index, record in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        changed = [] if previous is None or record.history_type == "+" else _changed_fields(fields, previous, record)
        pairs.append((previous, record, changed))
    names = _names_of(pairs)
    return [
        HistoryEntry.of(record, _describe(changed, previous, record, names, masked))
        for previous, record, changed in pairs
    ]
