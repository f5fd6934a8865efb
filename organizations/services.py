"""Changes to the organization tree. Members keep their history through every move and merge.

Each change stands on its decision (number, deciding body, effective date) and a reason. Its plan_* function checks
every rule and says what will happen (the confirmation page shows it); the change itself runs the same checks, then
writes the OrganizationEvent and its audit line in one transaction."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from audit.models import AuditAction
from audit.services import record_audit_event
from partyorg.lib.dates import check_party_date
from partyorg.lib.decisions import cite_decision, require_decision
from partyorg.lib.errors import DomainError
from partyorg.lib.text import normalize_text

from .models import BRANCH_KINDS, Organization, OrganizationEvent, OrganizationKind, ResidentialGroup
from .participants import tree_participants
from .permissions import Action, require_action

# Which kinds may sit under which (Điều lệ Đảng, Điều 21–25; QĐ 294-QĐ/TW for the two-tier system).
ALLOWED_CHILD_KINDS = {
    None: {OrganizationKind.PROVINCE},
    OrganizationKind.PROVINCE: {
        OrganizationKind.SUPERIOR,
        OrganizationKind.BASE_COMMITTEE,
        OrganizationKind.BASE_BRANCH,
    },
    OrganizationKind.SUPERIOR: {
        OrganizationKind.SUPERIOR,
        OrganizationKind.BASE_COMMITTEE,
        OrganizationKind.BASE_BRANCH,
    },
    OrganizationKind.BASE_COMMITTEE: {OrganizationKind.SUB_COMMITTEE, OrganizationKind.BRANCH},
    OrganizationKind.SUB_COMMITTEE: {OrganizationKind.BRANCH},
    OrganizationKind.BASE_BRANCH: set(),
    OrganizationKind.BRANCH: set(),
}


def parent_kinds_for(kind: str) -> set[str]:
    """The kinds of organization that may hold a unit of `kind` (read off ALLOWED_CHILD_KINDS)."""
    return {parent for parent, children in ALLOWED_CHILD_KINDS.items() if parent and kind in children}


def merge_kinds_for(organization: Organization) -> tuple[str, ...]:
    """What `organization` may be merged into: the same kind; a branch into any branch (chi bộ cơ sở or trực thuộc)."""
    return BRANCH_KINDS if organization.is_branch else (organization.kind,)


def _check_child_kind(parent: Organization | None, kind: str) -> None:
    allowed = ALLOWED_CHILD_KINDS[parent.kind if parent else None]
    if kind not in allowed:
        parent_label = parent.get_kind_display() if parent else "cấp cao nhất"
        raise DomainError(f"«{OrganizationKind(kind).label}» không thể trực thuộc «{parent_label}».", field="kind")


# Every change of the tree stands on a decision of the competent committee — its number, the body that issued it —
# and a reason; its date is the day the change takes effect (not in the future: see partyorg.lib.dates).
TREE_DECISION_FIELDS = ("decision_number", "decided_by", "reason")


def _decision(change: str, effective_on: dt.date | None, date_field: str, **values) -> dict:
    """The decision of a tree change, normalized, or DecisionIncomplete / DomainError naming the field."""
    decision = {
        "decision_number": normalize_text(values.get("decision_number")),
        "decided_by": normalize_text(values.get("decided_by")),
        "reason": (values.get("reason") or "").strip(),
    }
    require_decision(change, (date_field, *TREE_DECISION_FIELDS), {date_field: effective_on, **decision})
    check_party_date(effective_on, "Ngày hiệu lực", date_field)
    return decision


def _not_before_start(effective_on: dt.date, field: str, *organizations: Organization) -> None:
    for organization in organizations:
        if organization.active_from and effective_on < organization.active_from:
            raise DomainError(
                f"Ngày hiệu lực không được trước ngày {organization.name} bắt đầu hoạt động "
                f"({organization.active_from:%d/%m/%Y}).",
                field=field,
            )


def _counted(count) -> str:
    """'12 đảng viên' for each participant that keeps people under organizations; '' when none is installed."""
    return ", ".join(f"{count(participant)} {participant.noun}" for participant in tree_participants())


@dataclass(frozen=True)
class TreeChangePlan:
    """A tree change checked against every rule, not yet applied: its consequence, for the confirmation page."""

    consequence: str
    decision: dict
    effective_on: dt.date
    members_affected: int = 0

    @property
    def summary(self) -> list[str]:
        citation = cite_decision(self.decision["decision_number"], self.decision["decided_by"])
        return [
            self.consequence,
            f"Căn cứ: {citation}, hiệu lực từ {self.effective_on:%d/%m/%Y}.",
            f"Lý do: {self.decision['reason']}",
        ]


def _record(actor, organization: Organization, action: str, plan: TreeChangePlan, details=None, *, audit=True):
    """The event in the organization's history and, for the change the user asked for, its line in the audit log;
    both inside the caller's transaction."""
    details = details or {}
    event = OrganizationEvent.objects.create(
        organization=organization,
        action=action,
        actor=actor,
        effective_on=plan.effective_on,
        details=details,
        **plan.decision,
    )
    if audit:
        record_audit_event(
            actor=actor,
            action=AuditAction.ORGANIZATION_CHANGE,
            target=organization,
            record_count=plan.members_affected,
            details={"event": action, "effective_on": plan.effective_on.isoformat(), **plan.decision, **details},
        )
    return event


def plan_create_organization(
    *,
    actor,
    parent: Organization | None,
    kind: str,
    code: str,
    name: str,
    authorized_to_admit: bool = False,
    active_from: dt.date | None = None,
    decision_number: str = "",
    decided_by: str = "",
    reason: str = "",
    place_name: str = "",
) -> TreeChangePlan:
    """Check the founding of a unit under `parent` (a province at the top: the system administrator only)."""
    if parent is None:
        if not actor.is_superuser:
            raise DomainError("Chỉ quản trị hệ thống lập đảng bộ tỉnh.")
    else:
        require_action(actor, Action.EDIT_TREE, parent)
        if not parent.is_active:
            raise DomainError(f"{parent.name} đã ngừng hoạt động, không thể thành lập tổ chức trực thuộc.")
    _check_child_kind(parent, kind)
    code, name = normalize_text(code), normalize_text(name)
    if not code or not name:
        raise DomainError("Mã và tên tổ chức là bắt buộc.")
    if Organization.objects.filter(code=code).exists():
        raise DomainError(f"Mã tổ chức «{code}» đã được dùng.", field="code")
    decision = _decision(
        OrganizationEvent.Action.CREATED.label,
        active_from,
        "active_from",
        decision_number=decision_number,
        decided_by=decided_by,
        reason=reason,
    )
    if parent:
        _not_before_start(active_from, "active_from", parent)
    where = f"trực thuộc {parent.name}" if parent else "ở cấp cao nhất"
    return TreeChangePlan(
        consequence=f"{name} ({OrganizationKind(kind).label}, mã {code}) sẽ được thành lập {where}, "
        f"hoạt động từ {active_from:%d/%m/%Y}.",
        decision=decision,
        effective_on=active_from,
    )


@transaction.atomic
def create_organization(*, actor, parent: Organization | None, **founding) -> Organization:
    """Found a unit under `parent` on the decision that founds it.

    `founding`: kind, code, name, authorized_to_admit, active_from, place_name and the decision (decision_number,
    decided_by, reason), as plan_create_organization checks them."""
    plan = plan_create_organization(actor=actor, parent=parent, **founding)
    fields = {
        "kind": founding["kind"],
        "code": normalize_text(founding["code"]),
        "name": normalize_text(founding["name"]),
        "authorized_to_admit": founding.get("authorized_to_admit", False),
        "active_from": plan.effective_on,
        "place_name": normalize_text(founding.get("place_name", "")),
    }
    organization = Organization.objects.add_child(parent, fields) if parent else Organization.objects.add_root(fields)
    _record(actor, organization, OrganizationEvent.Action.CREATED, plan)
    return organization


def plan_move_organization(
    *,
    actor,
    organization: Organization,
    new_parent: Organization,
    effective_on: dt.date | None,
    decision_number: str = "",
    decided_by: str = "",
    reason: str = "",
) -> TreeChangePlan:
    """Check moving a whole subtree under another parent, and count what moves with it."""
    organization = Organization.objects.get(pk=organization.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    # Both ends: the unit leaves one place and joins another; the actor must act in both.
    require_action(actor, Action.EDIT_TREE, organization, new_parent)
    if not organization.is_active or not new_parent.is_active:
        raise DomainError("Tổ chức đã ngừng hoạt động không thể chuyển trực thuộc.", field="target")
    if new_parent.pk == organization.pk or new_parent.path.startswith(organization.path):
        raise DomainError("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức cấp dưới của nó.", field="target")
    old_parent = Organization.objects.get_parent(organization)
    if old_parent and old_parent.pk == new_parent.pk:
        raise DomainError(f"{organization.name} đã trực thuộc {new_parent.name}.", field="target")
    _check_child_kind(new_parent, organization.kind)
    decision = _decision(
        OrganizationEvent.Action.MOVED.label,
        effective_on,
        "effective_on",
        decision_number=decision_number,
        decided_by=decided_by,
        reason=reason,
    )
    _not_before_start(effective_on, "effective_on", organization, new_parent)
    units = Organization.objects.filter(path__startswith=organization.path, depth__gt=organization.depth).count()
    counts = {p: p.count_in(organization) + p.count_below(organization) for p in tree_participants()}
    held, members = _counted(counts.get), sum(counts.values())
    moving = organization.name + (f" cùng {units} tổ chức trực thuộc" if units else "")
    return TreeChangePlan(
        consequence=f"{moving}{f' và {held}' if held else ''} sẽ chuyển từ trực thuộc "
        f"{old_parent.name if old_parent else 'cấp cao nhất'} sang trực thuộc {new_parent.name} từ "
        f"{effective_on:%d/%m/%Y}; đảng viên vẫn sinh hoạt tại chi bộ của mình, cán bộ của "
        f"{old_parent.name if old_parent else 'cấp cao nhất'} không còn quản lý các tổ chức này.",
        decision=decision,
        effective_on=effective_on,
        members_affected=members,
    )


def _move(actor, organization: Organization, new_parent: Organization, plan: TreeChangePlan, *, audit: bool):
    old_parent = Organization.objects.get_parent(organization)
    Organization.objects.move(organization, new_parent, pos="last-child")
    _record(
        actor,
        organization,
        OrganizationEvent.Action.MOVED,
        plan,
        {
            "from": old_parent.name if old_parent else "",
            "from_id": old_parent.pk if old_parent else None,
            "to": new_parent.name,
            "to_id": new_parent.pk,
        },
        audit=audit,
    )


@transaction.atomic
def move_organization(*, actor, organization: Organization, new_parent: Organization, **decision) -> Organization:
    """Put a whole subtree under another parent; members stay in their branches, history intact.

    `decision`: effective_on, decision_number, decided_by, reason, as plan_move_organization checks them."""
    plan = plan_move_organization(actor=actor, organization=organization, new_parent=new_parent, **decision)
    organization = Organization.objects.get(pk=organization.pk)
    _move(actor, organization, Organization.objects.get(pk=new_parent.pk), plan, audit=True)
    return Organization.objects.get(pk=organization.pk)


def plan_merge_organizations(
    *,
    actor,
    source: Organization,
    target: Organization,
    effective_on: dt.date | None,
    decision_number: str = "",
    decided_by: str = "",
    reason: str = "",
) -> TreeChangePlan:
    """Check merging `source` into `target`, and count the members, units and residential groups that pass."""

    source = Organization.objects.get(pk=source.pk)
    target = Organization.objects.get(pk=target.pk)
    require_action(actor, Action.EDIT_TREE, source, target)
    if source.pk == target.pk:
        raise DomainError("Không thể hợp nhất một tổ chức với chính nó.", field="target")
    if target.path.startswith(source.path):
        raise DomainError("Không thể hợp nhất vào một tổ chức cấp dưới của chính nó.", field="target")
    if target.kind not in merge_kinds_for(source):
        raise DomainError("Chỉ hợp nhất các tổ chức cùng loại hình.", field="target")
    if not target.is_active or not source.is_active:
        raise DomainError("Tổ chức đã ngừng hoạt động không thể hợp nhất.", field="target")
    decision = _decision(
        OrganizationEvent.Action.MERGED.label,
        effective_on,
        "effective_on",
        decision_number=decision_number,
        decided_by=decided_by,
        reason=reason,
    )
    _not_before_start(effective_on, "effective_on", source, target)
    for participant in tree_participants():
        participant.check_merge(source, target, effective_on)
    held_in = {p: p.count_in(source) for p in tree_participants()}
    held_below = {p: p.count_below(source) for p in tree_participants()}
    members_affected = sum(held_in.values()) + sum(held_below.values())
    unit_count = Organization.objects.get_children(source).count()
    group_count = ResidentialGroup.objects.filter(organization=source).count()
    units = f"{unit_count} tổ chức trực thuộc"
    if any(held_below.values()):
        units += f" (cùng {_counted(held_below.get)} sinh hoạt tại đó)"
    held_in = _counted(held_in.get)
    return TreeChangePlan(
        consequence=f"{held_in + ', ' if held_in else ''}{units}, {group_count} tổ dân phố / thôn sẽ chuyển sang "
        f"{target.name}; {source.name} ngừng hoạt động từ {effective_on:%d/%m/%Y}. Không thể hoàn tác.",
        decision=decision,
        effective_on=effective_on,
        members_affected=members_affected,
    )


@transaction.atomic
def merge_organizations(*, actor, source: Organization, target: Organization, **decision) -> Organization:
    """Merge `source` into `target` (the 2025 reorganization): its sub-units, residential groups and
    members pass to `target`; `source` is closed and points to `target`. Every member's branch history
    gets a dated period, so who was in which branch when is never lost.

    `decision`: effective_on, decision_number, decided_by, reason, as plan_merge_organizations checks them."""
    plan = plan_merge_organizations(actor=actor, source=source, target=target, **decision)
    effective_on = plan.effective_on
    source = Organization.objects.get(pk=source.pk)
    target = Organization.objects.get(pk=target.pk)
    children = list(Organization.objects.get_children(source))
    for child in children:
        # Part of the merge: each unit's history records the move, the audit log the merge once.
        _move(actor, Organization.objects.get(pk=child.pk), Organization.objects.get(pk=target.pk), plan, audit=False)
    groups_moved = ResidentialGroup.objects.filter(organization=source).update(organization=target)
    moved = {
        participant.moved_key: participant.apply_merge(
            actor=actor,
            source=source,
            target=target,
            effective_on=effective_on,
            decision_number=plan.decision["decision_number"],
        )
        for participant in tree_participants()
    }
    source = Organization.objects.get(pk=source.pk)
    source.active_to = effective_on
    source.merged_into = target
    source._history_user = actor
    source.save()
    _record(
        actor,
        source,
        OrganizationEvent.Action.MERGED,
        plan,
        {
            "into": target.name,
            "into_id": target.pk,
            **moved,
            "units_moved": len(children),
            "groups_moved": groups_moved,
        },
    )
    return Organization.objects.get(pk=target.pk)
