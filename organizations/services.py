"""Changes to the organization tree. Members keep their history through every move and merge."""

import datetime as dt

from django.db import transaction

from partyorg.lib.dates import today
from partyorg.lib.errors import DomainError
from partyorg.lib.text import normalize_text

from .models import BRANCH_KINDS, Organization, OrganizationEvent, OrganizationKind, ResidentialGroup
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


def _check_child_kind(parent: Organization | None, kind: str) -> None:
    allowed = ALLOWED_CHILD_KINDS[parent.kind if parent else None]
    if kind not in allowed:
        parent_label = parent.get_kind_display() if parent else "cấp cao nhất"
        raise DomainError(f"«{OrganizationKind(kind).label}» không thể trực thuộc «{parent_label}».", field="kind")


@transaction.atomic
def create_organization(
    *,
    actor,
    parent: Organization | None,
    kind: str,
    code: str,
    name: str,
    authorized_to_admit: bool = False,
    active_from: dt.date | None = None,
    decision_number: str = "",
) -> Organization:
    """Found a unit under `parent` (or a province at the top: the system administrator only)."""
    if parent is None:
        if not actor.is_superuser:
            raise DomainError("Chỉ quản trị hệ thống lập đảng bộ tỉnh.")
    else:
        require_action(actor, Action.EDIT_TREE, parent)
    _check_child_kind(parent, kind)
    code, name = normalize_text(code), normalize_text(name)
    if not code or not name:
        raise DomainError("Mã và tên tổ chức là bắt buộc.")
    if Organization.objects.filter(code=code).exists():
        raise DomainError(f"Mã tổ chức «{code}» đã được dùng.", field="code")
    fields = dict(kind=kind, code=code, name=name, authorized_to_admit=authorized_to_admit, active_from=active_from)
    organization = Organization.objects.add_child(parent, fields) if parent else Organization.objects.add_root(fields)
    OrganizationEvent.objects.create(
        organization=organization,
        action=OrganizationEvent.Action.CREATED,
        actor=actor,
        effective_on=active_from or today(),
        decision_number=decision_number,
    )
    return organization


@transaction.atomic
def move_organization(
    *, actor, organization: Organization, new_parent: Organization, effective_on: dt.date, decision_number: str = ""
) -> Organization:
    """Put a whole subtree under another parent; members stay in their branches, history intact."""
    organization = Organization.objects.get(pk=organization.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    # Both ends: the unit leaves one place and joins another; the actor must act in both.
    require_action(actor, Action.EDIT_TREE, organization, new_parent)
    if new_parent.pk == organization.pk or new_parent.path.startswith(organization.path):
        raise DomainError("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức cấp dưới của nó.")
    _check_child_kind(new_parent, organization.kind)
    old_parent = Organization.objects.get_parent(organization)
    Organization.objects.move(organization, new_parent, pos="last-child")
    OrganizationEvent.objects.create(
        organization=organization,
        action=OrganizationEvent.Action.MOVED,
        actor=actor,
        effective_on=effective_on,
        decision_number=decision_number,
        details={
            "from": old_parent.name if old_parent else "",
            "from_id": old_parent.pk if old_parent else None,
            "to": new_parent.name,
            "to_id": new_parent.pk,
        },
    )
    return Organization.objects.get(pk=organization.pk)


@transaction.atomic
def merge_organizations(
    *, actor, source: Organization, target: Organization, effective_on: dt.date, decision_number: str = ""
) -> Organization:
    """Merge `source` into `target` (the 2025 reorganization): its sub-units, residential groups and
    members pass to `target`; `source` is closed and points to `target`. Every member's branch history
    gets a dated period, so who was in which branch when is never lost."""
    from members.services import transfer_member  # members build on organizations, not the reverse

    source = Organization.objects.get(pk=source.pk)
    target = Organization.objects.get(pk=target.pk)
    require_action(actor, Action.EDIT_TREE, source, target)
    if source.pk == target.pk:
        raise DomainError("Không thể hợp nhất một tổ chức với chính nó.")
    if target.path.startswith(source.path):
        raise DomainError("Không thể hợp nhất vào một tổ chức cấp dưới của chính nó.")
    if source.kind != target.kind and not (source.kind in BRANCH_KINDS and target.kind in BRANCH_KINDS):
        raise DomainError("Chỉ hợp nhất các tổ chức cùng loại hình.")
    if not target.is_active or not source.is_active:
        raise DomainError("Tổ chức đã ngừng hoạt động không thể hợp nhất.")
    for child in list(Organization.objects.get_children(source)):
        move_organization(
            actor=actor,
            organization=child,
            new_parent=target,
            effective_on=effective_on,
            decision_number=decision_number,
        )
    ResidentialGroup.objects.filter(organization=source).update(organization=target)
    moved_members = 0
    for member in source.members.filter(status__in=("probationary", "official")):
        transfer_member(
            actor=actor,
            member=member,
            to_branch=target,
            effective_on=effective_on,
            reason=f"Hợp nhất {source.name} vào {target.name}",
            decision_number=decision_number,
        )
        moved_members += 1
    source = Organization.objects.get(pk=source.pk)
    source.active_to = effective_on
    source.merged_into = target
    source._history_user = actor
    source.save()
    OrganizationEvent.objects.create(
        organization=source,
        action=OrganizationEvent.Action.MERGED,
        actor=actor,
        effective_on=effective_on,
        decision_number=decision_number,
        details={"into": target.name, "into_id": target.pk, "members_moved": moved_members},
    )
    return target
