"""Scope cases of the admissions URLs (merged into tests/test_scope_matrix.py)."""

import datetime as dt

from admissions import services
from admissions.models import ProposedBy
from tests.factories import personal_id_for


def _dossier_in(branch_name):
    def case(fx):
        branch = getattr(fx.tree, branch_name)
        birth = dt.date(2001, 3, 4)
        dossier = services.add_to_source_pool(
            actor=fx.personas.admin,
            branch=branch,
            proposed_by=ProposedBy.YOUTH_UNION,
            proposed_on=dt.date(2024, 1, 10),
            full_name=f"Quần chúng {branch.code}",
            gender="male",
            birth_date=birth,
            personal_id=personal_id_for("male", birth),
            general_education="upper_secondary",
        )
        return dossier, branch

    return case


def _org(name):
    return lambda fx: (getattr(fx.tree, name), getattr(fx.tree, name))


def _action(branch_name, action):
    make = _dossier_in(branch_name)
    return lambda fx: (*make(fx), {"action": action})


def _print_form(branch_name, form):
    make = _dossier_in(branch_name)
    return lambda fx: (*make(fx), {"form": form})


CASES = {
    "admissions:board": [_org("branch_a"), _org("branch_b"), _org("base"), _org("other_ward")],
    "admissions:deadlines_panel": [_org("branch_b"), _org("other_ward")],
    "admissions:plan_panel": [_org("branch_a"), _org("other_branch")],
    "admissions:plan_edit": [_org("branch_b"), _org("other_ward")],
    "admissions:dossier": [_dossier_in("branch_a"), _dossier_in("branch_b"), _dossier_in("other_branch")],
    "admissions:dossier_action": [
        _action("branch_b", "sympathizer"),
        _action("other_branch", "sympathizer"),
    ],
    "admissions:print_form": [_print_form("branch_b", "1-knd"), _print_form("other_branch", "6-knd")],
    "admissions:print_dossier": [_dossier_in("branch_a"), _dossier_in("other_branch")],
}
