"""The members' part in the tree's changes (organizations.participants): counted on moves, carried on merges."""

import datetime as dt

from organizations.models import Organization
from organizations.participants import TreeParticipant
from partyorg.lib.errors import DomainError

from .models import ACTIVE_STATUSES, BranchMembership, Member


def _active(**lookup):
    return Member.objects.filter(status__in=ACTIVE_STATUSES, **lookup)


class MembersInTree(TreeParticipant):
    noun = "đảng viên"
    moved_key = "members_moved"

    def count_in(self, organization: Organization) -> int:
        return _active(branch=organization).count()

    def count_below(self, organization: Organization) -> int:
        return _active(branch__path__startswith=organization.path, branch__depth__gt=organization.depth).count()

    def check_merge(self, source: Organization, target: Organization, effective_on: dt.date) -> None:
        # A branch period cannot end before it began: the merge date is the day each member changes branch.
        later = BranchMembership.objects.filter(
            member__in=_active(branch=source), ended_on__isnull=True, started_on__gt=effective_on
        )
        if later.exists():
            raise DomainError(
                f"Có đảng viên bắt đầu sinh hoạt tại {source.name} sau ngày hiệu lực; kiểm tra lại ngày hiệu lực.",
                field="effective_on",
            )

    def apply_merge(
        self, *, actor, source: Organization, target: Organization, effective_on: dt.date, decision_number: str
    ) -> int:
        from .services import transfer_member

        moved = 0
        for member in _active(branch=source):
            transfer_member(
                actor=actor,
                member=member,
                to_branch=target,
                effective_on=effective_on,
                reason=f"Hợp nhất {source.name} vào {target.name}",
                decision_number=decision_number,
            )
            moved += 1
        return moved


MEMBERS_IN_TREE = MembersInTree()
