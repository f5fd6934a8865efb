"""The decision an irreversible change stands on: its number, the body that issued it, its date, its reason.

Member status changes and changes to the organization tree cite decisions the same way; what each change must
carry is declared next to it (members.models.TRANSITION_DECISION_FIELDS, organizations.services)."""

import datetime as dt

from .errors import DomainError

DECISION_FIELD_LABELS = {
    "decision_number": "số quyết định",
    "decided_by": "cơ quan quyết định",
    "decided_on": "ngày quyết định",
    "reason": "lý do",
    "effective_on": "ngày hiệu lực",
    "active_from": "ngày hiệu lực (hoạt động từ ngày)",
}


class DecisionIncomplete(DomainError):
    """Required parts of a decision are missing: one message per field, so a form marks each input."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(" ".join(message for _, message in problems), field=problems[0][0])
        self.problems = problems


def require_decision(change: str, required, values: dict) -> None:
    """Refuse `change` (its Vietnamese name) unless every field of `required` has a value in `values`."""
    problems = [
        (field, f"«{change}» phải ghi {DECISION_FIELD_LABELS[field]}.")
        for field in required
        if not (values.get(field).strip() if isinstance(values.get(field), str) else values.get(field))
    ]
    if problems:
        raise DecisionIncomplete(problems)


def cite_decision(decision_number: str, decided_by: str = "", decided_on: dt.date | None = None) -> str:
    """'Quyết định số 12-QĐ/ĐU ngày 05/01/2026 của Đảng ủy phường X', leaving out what is not known."""
    if not decision_number and not decided_by:
        return ""
    text = f"Quyết định số {decision_number}" if decision_number else "Quyết định"
    if decided_on:
        text += f" ngày {decided_on:%d/%m/%Y}"
    if decided_by:
        text += f" của {decided_by}"
    return text
