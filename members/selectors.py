"""Reads of the member registry. Every function starts from the acting user's scope."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from organizations.scope import in_scope
from partyorg.lib import history
from partyorg.lib.dates import full_years_between, latest_start_for, today
from partyorg.lib.text import fold

from .choices import AGE_BANDS
from .models import Member
from .personal_ids import personal_id_in_query


def members_visible_to(user) -> QuerySet[Member]:
    return in_scope(user, Member.objects.all())


def birth_date_range_for_age_band(band: str, *, on: dt.date) -> tuple[dt.date, dt.date]:
    """Birth dates of people aged lo..hi full years on `on` (inclusive), ages counted as age_in_full_months."""
    lo, hi = AGE_BANDS[band]
    return latest_start_for((hi + 1) * 12, on) + dt.timedelta(days=1), latest_start_for(lo * 12, on)


def search_members(queryset: QuerySet[Member], text: str, *, personal_id_holder: int | None = None) -> QuerySet[Member]:
    """Diacritic-insensitive name search ('nguyen van an' finds 'Nguyễn Văn An'), or a card / profile number.

    Digits never match the CCCD here: a search by a full CCCD is an audited, limited reveal
    (members.personal_ids.find_member_by_personal_id) whose hit comes in as `personal_id_holder`. Digits match
    card and profile numbers exactly, so part of a CCCD narrows nothing."""
    text = (text or "").strip()
    if not text:
        return queryset
    digits = personal_id_in_query(text) or text
    if digits.isdigit():
        matches = Q(card_number=digits) | Q(profile_number=digits)
        if personal_id_holder is not None:
            matches |= Q(pk=personal_id_holder)
        return queryset.filter(matches)
    return queryset.filter(search_name__contains=fold(text))


def party_age_days(member: Member, *, on: dt.date | None = None) -> int:
    """Days of party age: from the admission decision, minus gaps (Điều lệ Đảng, Điều 5 khoản 4)."""
    on = on or today()
    end = on if member.is_active else min(on, member.status_since or on)
    days = (end - member.admission_decided_on).days
    for gap in member.activity_gaps.all():
        overlap_end = min(gap.ended_on, end)
        if overlap_end > gap.started_on:
            days -= (overlap_end - gap.started_on).days
    return max(days, 0)


def party_age_years(member: Member, *, on: dt.date | None = None) -> int:
    """Full years of party age, as badges and reports count them."""
    on = on or today()
    anchor = member.admission_decided_on + dt.timedelta(days=party_age_days(member, on=on))
    return full_years_between(member.admission_decided_on, anchor)


def status_counts(queryset: QuerySet[Member]) -> dict[str, int]:
    return dict(queryset.values_list("status").annotate(n=Count("id")).order_by())


def history_entries(member: Member, *, limit: int = 50) -> list[history.HistoryEntry]:
    """The member file's history, newest first: when, who, why, and each changed field from what to what
    (Vietnamese labels, choice labels, dd/mm/yyyy; the CCCD masked). A few queries, whatever the length."""
    return history.history_entries(member.history.all(), Member, limit=limit, masked=Member.MASKED_FIELDS)
