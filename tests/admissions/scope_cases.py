"""Scope cases of the admissions URLs (merged into tests/test_scope_matrix.py)."""

import datetime as dt

from admissions import services
from admissions.models import ProposedBy
from tests.factories import personal_id_for
from tests.matrix import act, read


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


def _sympathizer_payload(helper_name):
    def payload(fx, dossier):
        helper = getattr(fx.members, helper_name)
        return {
            "listed_on": "01/02/2024",
            "resolution_number": "05-NQ/CB",
            "helper": helper.pk,
            "version": dossier.version,
        }

    return payload


def _plan_payload(fx, organization):
    return {"year": 2026, "term": "2025–2030", "target_count": 3, "notes": ""}


EVERY_ROLE_OVER_BRANCH_B = {"secretary_b", "base", "base_and_secretary", "superior", "province"}

CASES = {
    "admissions:board": [read(_org(n)) for n in ("branch_a", "branch_b", "base", "other_ward")],
    "admissions:deadlines_panel": [read(_org("branch_b")), read(_org("other_ward"))],
    "admissions:plan_panel": [read(_org("branch_a")), read(_org("other_branch"))],
    "admissions:plan_edit": [
        act(_org("branch_b"), EVERY_ROLE_OVER_BRANCH_B, _plan_payload),
        act(_org("other_ward"), {"outsider", "province", "superior_and_secretary"}, _plan_payload),
        # Secretary of a branch, not of the ward above it.
        act(_org("ward"), {"superior", "province"}, _plan_payload),
    ],
    "admissions:dossier": [read(_dossier_in(n)) for n in ("branch_a", "branch_b", "other_branch")],
    # The branch's own secretary records the branch's steps; staff above it see the dossier but may not.
    "admissions:dossier_action": [
        act(_action("branch_b", "sympathizer"), {"secretary_b"}, _sympathizer_payload("yen")),
        act(_action("other_branch", "sympathizer"), {"base_and_secretary"}, _sympathizer_payload("other")),
        act(_action("base_branch", "sympathizer"), {"superior_and_secretary"}, _sympathizer_payload("binh")),
    ],
    # A blank 1-KNĐ prints from the source pool; 6-KNĐ waits for the branch vote (409).
    "admissions:print_form": [
        read(_print_form("branch_b", "1-knd"), get_only=True),
        read(_print_form("other_branch", "6-knd"), read_status=409, get_only=True),
    ],
    "admissions:print_dossier": [read(_dossier_in("branch_a")), read(_dossier_in("other_branch"))],
}
