"""The Party's numbers are read from the rules modules, not written into messages, labels or pages: a rule
with other numbers changes the check and the message together (members/rules.py, admissions/rules.py)."""

import dataclasses
import datetime as dt
from fractions import Fraction

import pytest
from django.urls import reverse

from admissions import rules, services
from admissions.models import DossierStage, Vote
from admissions.selectors import plan_progress
from members import rules as member_rules
from partyorg.lib.errors import DomainError
from partyorg.lib.working_days import add_working_days

from .steps import branch_vote

D = dt.date


def _with_numbers(monkeypatch, **numbers):
    """Every admission rule and registry regulation with these numbers instead."""
    monkeypatch.setattr(rules, "RULES", [dataclasses.replace(rule, **numbers) for rule in rules.RULES])
    registry = {k: v for k, v in numbers.items() if k in {f.name for f in dataclasses.fields(member_rules.Regulation)}}
    monkeypatch.setattr(
        member_rules, "REGULATIONS", [dataclasses.replace(r, **registry) for r in member_rules.REGULATIONS]
    )


def test_minimum_age_message_names_the_rules_age(pipeline, monkeypatch):
    _with_numbers(monkeypatch, minimum_age_months=20 * 12)
    p = pipeline.default
    dossier = p.to("ready_for_vote", birth_date=D(2005, 4, 16))  # 18 years 11 months at the vote
    with pytest.raises(DomainError, match="Chưa đủ 20 tuổi tính theo tháng"):
        branch_vote(p, dossier)


def test_branch_minimum_and_threshold_come_from_the_rule(pipeline, monkeypatch):
    _with_numbers(monkeypatch, branch_minimum_full_members=5, branch_vote_threshold=Fraction(3, 4))
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="dưới 5: không đủ điều kiện biểu quyết"):
        branch_vote(p, dossier, members_count=4, in_favour_count=4)
    assert not branch_vote(p, dossier, members_count=9, in_favour_count=6).passed  # 2/3 is no longer enough
    vote = branch_vote(p, dossier, members_count=8, in_favour_count=6)  # 3/4 exactly
    assert vote.passed and vote.threshold_text == "3/4"
    notes = list(dossier.events.filter(step="branch_vote").values_list("notes", flat=True))
    assert ["không đạt tỷ lệ 3/4" in n for n in notes] == [True, False] and "— đạt tỷ lệ 3/4" in notes[1]


def test_probation_length_comes_from_the_rule(pipeline, monkeypatch):
    _with_numbers(monkeypatch, probation_months=18)
    p = pipeline.default
    dossier = p.to(DossierStage.PROBATION)
    assert dossier.member.probation_ends_on == D(2025, 11, 20)  # ceremony 20/05/2024 + 18 months
    assert dossier.next_deadline_on == add_working_days(D(2025, 11, 20), 30)
    assert "sau khi hết 18 tháng dự bị" in dossier.next_deadline_source
    with pytest.raises(DomainError, match="sau khi hết 18 tháng dự bị \\(20/11/2025\\)"):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="official", held_on=D(2025, 11, 19),
            resolution_number="1", members_count=9, in_favour_count=9,
        )  # fmt: skip


def test_plan_panel_states_the_resolutions_shares(client, personas, tree, members, monkeypatch):
    progress = plan_progress(tree.ward, 2025)
    assert (progress["default_share"], progress["share_range"]) == ("3,5%", "3–4%")
    client.force_login(personas.superior)
    body = client.get(reverse("admissions:plan_panel", args=[tree.ward.pk]), {"nam": 2025}).content.decode()
    assert "mặc định 3,5% của 4 đảng viên đầu năm; mức 3–4% theo Nghị quyết 21-NQ/TW: 1–1" in body
    monkeypatch.setattr(rules, "ADMISSION_TARGET_SHARES", (Fraction(5, 100), Fraction(55, 1000), Fraction(6, 100)))
    progress = plan_progress(tree.ward, 2025)
    assert (progress["default_share"], progress["share_range"]) == ("5,5%", "5–6%")


def test_vote_page_shows_the_threshold_of_the_rule_it_was_judged_by(client, pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.BRANCH_PROPOSED)
    assert Vote.objects.get().threshold_text == "2/3"
    client.force_login(p.personas.secretary_a)
    body = client.get(reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    assert "Đạt 2/3" in body
