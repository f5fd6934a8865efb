"""Reads of the member registry. Every function starts from the acting user's scope."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr

from organizations.models import Organization, parent_name_of, qualify
from organizations.scope import in_scope
from organizations.selectors import subunits
from partyorg.lib import history
from partyorg.lib.dates import full_years_between, latest_start_for, today
from partyorg.lib.text import fold

from .choices import AGE_BANDS
from .models import Member, MemberStatus, OrganizationMemberCount
from .personal_ids import personal_id_in_query
from .rules import member_rules_in_force, probation_ends_on


def members_visible_to(user) -> QuerySet[Member]:
    return in_scope(user, Member.objects.all())


def filtered_members(user, filters):
    """The one selector of the member list and of its export: the user's scope, the list's filters (a QueryDict:
    search, organization, status, age band…) applied. Returns the bound filter: `.form` for the page, `.qs` the
    members, in no particular order (the list orders by sort key, the export by branch)."""
    from .forms import MemberFilter  # the filter's fields are the page's form; its methods call the reads here

    return MemberFilter(filters, queryset=members_visible_to(user), user=user)


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


def status_counts(organization: Organization) -> dict[str, int]:
    """Members of the organization's whole subtree per status, from the count table: one query over at most
    (branches × statuses) rows, whatever the number of members."""
    rows = (
        OrganizationMemberCount.objects.filter(organization__path__startswith=organization.path)
        .values_list("status")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {status: n for status, n in rows if n}


def history_entries(member: Member, *, limit: int = 50) -> list[history.HistoryEntry]:
    """The member file's history, newest first: when, who, why, and each changed field from what to what
    (Vietnamese labels, choice labels, dd/mm/yyyy; the CCCD masked). A few queries, whatever the length."""
    return history.history_entries(member.history.all(), Member, limit=limit, masked=Member.MASKED_FIELDS)


def subunits_with_counts(organization: Organization) -> list[dict]:
    """Direct sub-units with member counts of their whole subtree, in two queries (the count table, not members)."""
    children = subunits(organization)
    prefix_length = len(organization.path) + Organization.steplen
    rows = (
        OrganizationMemberCount.objects.filter(
            organization__path__startswith=organization.path, organization__depth__gt=organization.depth
        )
        .annotate(prefix=Substr("organization__path", 1, prefix_length))
        .values("prefix")
        .annotate(
            official=Sum("count", filter=Q(status=MemberStatus.OFFICIAL)),
            probationary=Sum("count", filter=Q(status=MemberStatus.PROBATIONARY)),
        )
        .order_by()
    )
    counts = {row["prefix"]: row for row in rows}
    result = []
    for child in children:
        row = counts.get(child.path, {})
        official, probationary = row.get("official") or 0, row.get("probationary") or 0
        result.append(
            {
                "organization": child,
                "official": official,
                "probationary": probationary,
                "total": official + probationary,
            }
        )
    return result


# ---------------------------------------------------------------- probation: who is due for recognition, when

# The branch reviews a probationary member when the 12 months end (Điều lệ Đảng, Điều 5): these windows, in
# days before that day, are the badges of the lists and the choices of the member list's filter.
PROBATION_DUE_WINDOWS = (30, 60)
_WINDOW_TONES = ("warning", "info")  # the Bootstrap colours of their badges
# The probation panel of an organization lists at most this many members; the filtered member list has them all.
PROBATION_LISTED = 20
_DAY = dt.timedelta(days=1)


def _last_ceremony_ending_by(day: dt.date) -> dt.date:
    """The last ceremony date whose probation (members.rules.probation_ends_on) ends on or before `day`: the
    inverse of the month count (latest_start_for: 29/02/2024 and 28/02/2024 both end on 28/02/2025). The months are
    those of the rule in force at the ceremony; the steps make the bound exact should a rule change them."""
    ceremony = latest_start_for(member_rules_in_force(on=day).probation_months, day)
    while probation_ends_on(ceremony + _DAY) <= day:
        ceremony += _DAY
    while probation_ends_on(ceremony) > day:
        ceremony -= _DAY
    return ceremony


def probation_ends_between(first: dt.date | None, last: dt.date) -> Q:
    """A filter of members whose probation ends from `first` to `last` (both included; no `first`: up to `last`).
    Bounds on ceremony_held_on, so the database filters (members without a ceremony date never match)."""
    condition = Q(ceremony_held_on__lte=_last_ceremony_ending_by(last))
    if first is not None:
        condition &= Q(ceremony_held_on__gt=_last_ceremony_ending_by(first - _DAY))
    return condition


def probation_due(queryset: QuerySet[Member], window: str, *, on: dt.date) -> QuerySet[Member]:
    """Probationary members by `window`: "ended" (the 12 months are over and the member is still probationary:
    the branch owes its review) or a number of days of PROBATION_DUE_WINDOWS (ending from `on` to that many days
    later)."""
    probationary = queryset.filter(status=MemberStatus.PROBATIONARY)
    if window == "ended":
        return probationary.filter(probation_ends_between(None, on - _DAY))
    return probationary.filter(probation_ends_between(on, on + dt.timedelta(days=int(window))))


@dataclass(frozen=True)
class ProbationBadge:
    label: str
    tone: str  # a Bootstrap colour: danger, warning, info


def probation_badge(ends_on: dt.date | None, *, on: dt.date) -> ProbationBadge | None:
    """How soon the branch must review a probationary member whose 12 months end on `ends_on`."""
    if ends_on is None:
        return None
    if ends_on < on:
        return ProbationBadge("Đã hết 12 tháng dự bị, chưa xét", "danger")
    for days, tone in zip(PROBATION_DUE_WINDOWS, _WINDOW_TONES, strict=True):
        if ends_on <= on + dt.timedelta(days=days):
            return ProbationBadge(f"Đến hạn trong {days} ngày", tone)
    return None


def probation_overview(queryset: QuerySet[Member], *, on: dt.date, limit: int = PROBATION_LISTED) -> dict:
    """The probationary members of `queryset` (already scoped), soonest end of probation first, with the day it ends
    and its badge, and the counts of each window: two queries, however many members."""
    probationary = queryset.filter(status=MemberStatus.PROBATIONARY)
    ended = probation_ends_between(None, on - _DAY)
    windows = {
        f"due_{days}": Count("id", filter=probation_ends_between(on, on + dt.timedelta(days=days)))
        for days in PROBATION_DUE_WINDOWS
    }
    counts = probationary.aggregate(
        total=Count("id"),
        ended=Count("id", filter=ended),
        without_ceremony=Count("id", filter=Q(ceremony_held_on__isnull=True)),
        **windows,
    )
    rows = (
        probationary.order_by(F("ceremony_held_on").asc(nulls_last=True), "sort_key", "id")
        .annotate(branch_parent_name=parent_name_of("branch__path"))
        .values("id", "full_name", "ceremony_held_on", "branch__name", "branch_parent_name")[:limit]
    )
    members = []
    for row in rows:
        ends_on = probation_ends_on(row["ceremony_held_on"]) if row["ceremony_held_on"] else None
        members.append(
            {
                "id": row["id"],
                "full_name": row["full_name"],
                "branch": qualify(row["branch__name"], row["branch_parent_name"]),
                "ceremony_held_on": row["ceremony_held_on"],
                "ends_on": ends_on,
                "badge": probation_badge(ends_on, on=on),
            }
        )
    windows = [
        {"days": days, "tone": tone, "count": counts[f"due_{days}"]}
        for days, tone in zip(PROBATION_DUE_WINDOWS, _WINDOW_TONES, strict=True)
    ]
    return {"members": members, "counts": counts, "windows": windows}
