"""Answers about a full personal id (CCCD): each is an audited act, limited per user per hour.

A CCCD has 12 digits. The masked form shows six of them and the birth date and gender give three more, so
anything that says "this number is (not) on file" lets a user guess the rest in a few hundred tries. Every
such answer therefore goes through this module, and all of them spend from one hourly allowance per user,
PERSONAL_ID_LOOKUPS_PER_HOUR, counted from the audit log itself (no other store to keep):

- the member list searched by a full CCCD (`find_member_by_personal_id`): one AuditEvent per search, hit or
  not, allowed only to roles that may reveal a CCCD and matching only members in organizations where they may;
- the duplicate check when a member or a candidate is registered, or a member's CCCD is changed
  (`ensure_personal_id_unused`): the answer says only "already in the system", never where or whose, and a
  refusal is logged and counted. An accepted number is not: it becomes a record of its own (a member or a
  dossier, with its history), so probing with unused numbers leaves that trail instead.

The log keeps the number masked plus a keyed digest (HMAC with the SECRET_KEY), never in clear: an auditor who
has a number can find the searches for it, a reader of the log cannot recover it.
"""

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audit.models import AuditAction, AuditEvent
from audit.services import record_audit_event
from organizations.permissions import Action, may_act_anywhere, organizations_for
from partyorg.lib.errors import DomainError
from partyorg.lib.masking import mask_identifier

from .models import Member

LOOKUP_ACTIONS = (AuditAction.SEARCH_PERSONAL_ID, AuditAction.CHECK_PERSONAL_ID)
LOOKUP_WINDOW = dt.timedelta(hours=1)
PERSONAL_ID_TAKEN = "Số CCCD này đã có trong hệ thống. Liên hệ cấp ủy cấp trên để được hướng dẫn."
_DIGEST_SALT = "members.personal_ids"
# People write a CCCD in groups: "024 085 000 123", "024.085.000.123".
_SEPARATORS = re.compile(r"[\s.\-]+")
_FULL_PERSONAL_ID = re.compile(r"[0-9]{12}")


class PersonalIdTaken(DomainError):
    """The number is already on file (a member, or an open admission dossier)."""


class PersonalIdLookupsExhausted(DomainError):
    """The user has used up the hour's lookups by CCCD."""


def personal_id_in_query(text: str | None) -> str | None:
    """The 12 digits of a full CCCD typed with or without separators, or None for anything else."""
    compact = _SEPARATORS.sub("", text or "")
    return compact if _FULL_PERSONAL_ID.fullmatch(compact) else None


def lookup_details(personal_id: str) -> dict:
    """What the audit log keeps of a looked-up number: masked, and a keyed digest to match it later."""
    return {
        "personal_id": mask_identifier(personal_id),
        "digest": salted_hmac(_DIGEST_SALT, personal_id, algorithm="sha256").hexdigest(),
    }


def _recent_lookups(user, now: dt.datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor=user, action__in=LOOKUP_ACTIONS, at__gt=now - LOOKUP_WINDOW)


def lookups_left(user) -> int:
    """How many lookups by CCCD the user has left in the current hour."""
    return max(settings.PERSONAL_ID_LOOKUPS_PER_HOUR - _recent_lookups(user, timezone.now()).count(), 0)


def _take_lookup(user) -> None:
    """Refuse when the hour's lookups are used up. Call inside the transaction that writes the audit row: the
    user's row is locked so that two parallel requests cannot both take the last lookup."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
    now = timezone.now()
    limit = settings.PERSONAL_ID_LOOKUPS_PER_HOUR
    recent = list(_recent_lookups(user, now).order_by("-at").values_list("at", flat=True)[: max(limit, 1)])
    if len(recent) < limit:
        return
    free_again_at = (recent[-1] + LOOKUP_WINDOW) if recent else now
    minutes = max(1, -(-int((free_again_at - now).total_seconds()) // 60))
    raise PersonalIdLookupsExhausted(
        f"Bạn đã dùng hết {limit} lượt tra cứu số CCCD trong một giờ (tìm theo số CCCD, nhập số CCCD đã có "
        f"trong hệ thống). Thử lại sau khoảng {minutes} phút; tìm theo họ tên vẫn dùng được.",
        field="personal_id",
    )


def find_member_by_personal_id(*, actor, queryset: QuerySet[Member], personal_id: str) -> Member | None:
    """The member of `queryset` (already the user's scope and filters) holding `personal_id`, as one audited
    reveal. Only members of organizations where the user may reveal a CCCD can be found."""
    if not may_act_anywhere(actor, Action.REVEAL_PERSONAL_ID):
        raise DomainError("Bạn không có quyền tìm đảng viên theo số CCCD.", field="personal_id")
    with transaction.atomic():
        _take_lookup(actor)
        revealable = queryset.filter(branch__in=organizations_for(actor, Action.REVEAL_PERSONAL_ID))
        member = revealable.filter(personal_id=personal_id).only("id", "full_name").first()
        record_audit_event(
            actor=actor,
            action=AuditAction.SEARCH_PERSONAL_ID,
            target=member,
            record_count=int(member is not None),
            details=lookup_details(personal_id),
        )
    return member


def ensure_personal_id_unused(
    *, actor, personal_id: str, exclude_pk: int | None = None, also_held_by: tuple[QuerySet, ...] = ()
) -> None:
    """Refuse a CCCD already held by a member (other than `exclude_pk`) or by a row of `also_held_by` (querysets
    already narrowed to this number), saying no more than that. A refusal is logged and counted.

    Call it outside the transaction that then writes the record: the refusal's audit row must outlive the
    refusal. Inside an outer transaction (an admission decision) it is rolled back with it; there the number
    was chosen, and checked, at an earlier step."""
    if not personal_id:
        return
    with transaction.atomic():
        _take_lookup(actor)
        taken = Member.objects.filter(personal_id=personal_id).exclude(pk=exclude_pk).exists() or any(
            queryset.exists() for queryset in also_held_by
        )
        if taken:
            record_audit_event(
                actor=actor, action=AuditAction.CHECK_PERSONAL_ID, record_count=1, details=lookup_details(personal_id)
            )
    if taken:
        raise PersonalIdTaken(PERSONAL_ID_TAKEN, field="personal_id")
