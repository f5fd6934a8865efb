"""What the apps built on the tree keep under an organization, as far as the tree's own changes need to know.

The tree is the lowest layer: it imports no app built on it (imports run organizations → members → workflows).
Yet a move tells how many members go with a unit, and a merge moves the source's members into the target. So an
app that keeps people under organizations registers a participant in settings.TREE_PARTICIPANTS (a dotted path
to an object with the methods of `TreeParticipant`), the way pages register panels in ORGANIZATION_PANELS; the
tree's services ask every registered participant.
"""

import datetime as dt
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Organization


class TreeParticipant:
    """The questions the tree asks; the defaults say "nothing of mine is here"."""

    noun = ""  # what is counted, in Vietnamese ("đảng viên")
    moved_key = ""  # the key of the count in a merge's audit details ("members_moved")

    def count_in(self, organization: Organization) -> int:
        """Held directly in `organization` (not in its sub-units)."""
        return 0

    def count_below(self, organization: Organization) -> int:
        """Held in the sub-units of `organization`, at any depth."""
        return 0

    def check_merge(self, source: Organization, target: Organization, effective_on: dt.date) -> None:
        """Raise DomainError when what is held in `source` cannot pass to `target` on `effective_on`."""

    def apply_merge(
        self, *, actor, source: Organization, target: Organization, effective_on: dt.date, decision_number: str
    ) -> int:
        """Pass what is held directly in `source` to `target`; return how many passed."""
        return 0


@cache
def _participants(paths: tuple[str, ...]) -> list[TreeParticipant]:
    return [import_string(path) for path in paths]


def tree_participants() -> list[TreeParticipant]:
    return _participants(tuple(settings.TREE_PARTICIPANTS))
