"""Reads of admission dossiers, always from the user's scope."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet

from members.models import Member, MemberStatus
from organizations.models import Organization, attach_parent_names, with_unit_parent_name
from organizations.scope import in_scope
from partyorg.lib.text import percent_text

from . import rules
from .deadlines import ESCALATED_LABEL
from .models import AWAITING_DECISION_STAGES, BOARD_STAGES, OPEN_STAGES, AdmissionPlan, Dossier, DossierStage


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    return in_scope(user, Dossier.objects.all())


def board_columns(user, organization: Organization, *, branch: Organization | None = None, on: dt.date) -> list[dict]:
    """Open dossiers under `organization` (or one branch), by stage, soonest deadline first: one query.

    Cards are plain dicts (id, stage, due date, label, candidate and branch names): a board of a few hundred
    dossiers renders in a fraction of the time model instances with their related objects would take."""
    root = branch or organization
    cards = (
        dossiers_visible_to(user)
        .filter(branch__path__startswith=root.path, stage__in=OPEN_STAGES)
        .order_by(F("next_deadline_on").asc(nulls_last=True), "candidate__full_name", "id")
        .values(
            "id",
            "stage",
            "next_deadline_on",
            "next_deadline_label",
            "branch_id",
            candidate_name=F("candidate__full_name"),
            branch_name=F("branch__name"),
        )
    )
    columns = {
        stage: {"stage": stage, "label": DossierStage(stage).label, "cards": [], "count": 0, "overdue_count": 0}
        for stage in BOARD_STAGES
    }
    for card in cards:
        card["is_overdue"] = bool(card["next_deadline_on"] and card["next_deadline_on"] < on)
        column = columns[card["stage"]]
        column["cards"].append(card)
        column["count"] += 1
        column["overdue_count"] += card["is_overdue"]
    return list(columns.values())


# A panel lists at most this many dossiers of each kind; the board has them all.
DEADLINES_LISTED = 15
# "Due soon" is a rolling window, not the calendar month: on the 30th a month-end window shows next to nothing.
DUE_WITHIN_DAYS = 30


def deadlines_of(user, organization: Organization, *, on: dt.date, limit: int = DEADLINES_LISTED) -> dict:
    """Open dossiers under `organization` that are overdue, and those due in the next DUE_WITHIN_DAYS days from
    `on` (the first `limit` of each, soonest first, with the full counts). Branch names come qualified with their
    parent's (`d.branch.qualified_name`)."""
    due_until = on + dt.timedelta(days=DUE_WITHIN_DAYS)
    base = with_unit_parent_name(
        dossiers_visible_to(user)
        .filter(branch__path__startswith=organization.path, stage__in=OPEN_STAGES, next_deadline_on__isnull=False)
        .select_related("candidate", "branch")
        .only("id", "next_deadline_on", "next_deadline_label", "candidate__full_name", "branch__name")
        .order_by("next_deadline_on", "id")
    )
    is_overdue = Q(next_deadline_on__lt=on)
    is_due = Q(next_deadline_on__gte=on, next_deadline_on__lte=due_until)
    # Cases a lower body could not settle (three failed recognition votes) wait on the competent committee whatever
    # their date: listed apart, so that the committee above finds them.
    is_awaiting = Q(next_deadline_label=ESCALATED_LABEL)
    counts = base.aggregate(
        overdue_count=Count("id", filter=is_overdue),
        due_count=Count("id", filter=is_due),
        awaiting_superior_count=Count("id", filter=is_awaiting),
    )
    return {
        "overdue": attach_parent_names(base.filter(is_overdue)[:limit]),
        "due": attach_parent_names(base.filter(is_due)[:limit]),
        "awaiting_superior": attach_parent_names(base.filter(is_awaiting)[:limit])
        if counts["awaiting_superior_count"]
        else [],
        "due_within_days": DUE_WITHIN_DAYS,
        "due_until": due_until,
        **counts,
    }


def members_at_start_of_year(organization: Organization, year: int) -> int:
    """Members active in the subtree on 1 January: admitted before, and not gone before that day."""
    start = dt.date(year, 1, 1)
    return (
        Member.objects.filter(branch__path__startswith=organization.path, admission_decided_on__lt=start)
        .filter(Q(status__in=[MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL]) | Q(status_since__gte=start))
        .count()
    )


def plan_progress(organization: Organization, year: int) -> dict:
    """The plan of the year (or the default target of Nghị quyết 21) against the decisions signed that year."""
    plan = AdmissionPlan.objects.filter(organization=organization, year=year).first()
    members = members_at_start_of_year(organization, year)
    counts = Dossier.objects.filter(branch__path__startswith=organization.path).aggregate(
        admitted=Count("id", filter=Q(decision_signed_on__year=year, member__isnull=False)),
        in_pipeline=Count("id", filter=Q(stage__in=[DossierStage.PREPARING, *AWAITING_DECISION_STAGES])),
        sympathizers=Count("id", filter=Q(stage=DossierStage.SYMPATHIZER)),
    )  # fmt: skip
    target_low, default_target, target_high = rules.admission_targets(members)
    low_share, default_share, high_share = rules.ADMISSION_TARGET_SHARES
    target = plan.target_count if plan else default_target
    return {
        "year": year,
        "plan": plan,
        "members_at_start": members,
        "target": target,
        "target_low": target_low,
        "target_high": target_high,
        "is_default": plan is None,
        "default_share": percent_text(default_share),
        "target_source": rules.ADMISSION_TARGET_DOCUMENT,
        "share_range": f"{percent_text(low_share).removesuffix('%')}–{percent_text(high_share)}",
        "percent": min(100, round(100 * counts["admitted"] / target)) if target else 0,
        **counts,
    }
