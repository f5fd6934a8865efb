"""Steps 7 and 9 of admission: the branch vote (6-KNĐ) and the base committee vote (8-KNĐ), counted exactly.

Each rule refused with a Vietnamese message that names it; the rules and their sources: docs/rules/."""

import datetime as dt

import pytest

from admissions import services
from admissions.models import DossierStage, Vote
from partyorg.lib.errors import DomainError

from .steps import branch_vote

D = dt.date


def test_branch_vote_needs_two_thirds_of_full_members(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    vote = branch_vote(p, dossier, in_favour_count=5, against_count=4)
    assert not vote.passed
    assert p.refresh().stage == DossierStage.PREPARING
    vote = branch_vote(p, dossier, in_favour_count=6, against_count=3)
    assert vote.passed and vote.eligible_count == 9
    assert p.refresh().stage == DossierStage.BRANCH_PROPOSED


def test_branch_vote_denominator_excludes_temporarily_attached_and_absent_exempted_members(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    # 12 full members, 2 attached elsewhere, 1 exempted and absent: 9 count; 6 of 9 is 2/3.
    vote = branch_vote(p, dossier, members_count=12, temporarily_attached_count=2, exempted_absent_count=1,
                        in_favour_count=6)  # fmt: skip
    assert vote.eligible_count == 9 and vote.passed


def test_absent_members_not_exempted_still_count_in_the_denominator(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    # 12 full members, 3 absent without exemption, 8 present all in favour: 8/12 = 2/3 passes, 7/12 does not.
    assert not branch_vote(p, dossier, members_count=12, present_count=7, in_favour_count=7).passed
    assert branch_vote(p, dossier, members_count=12, present_count=8, in_favour_count=8).passed


def test_vote_counts_seven_of_ten_six_of_nine_pass_five_of_eight_fails(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    assert not branch_vote(p, dossier, members_count=8, in_favour_count=5, against_count=3).passed
    assert Vote.objects.get().eligible_count == 8
    assert branch_vote(p, dossier, members_count=10, in_favour_count=7, against_count=3).passed


def test_base_committee_vote_needs_two_thirds_of_committee_members(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.BRANCH_PROPOSED)
    vote = services.record_base_committee_vote(
        actor=p.personas.base, dossier=dossier, held_on=p.d["base_vote_on"], resolution_number="1",
        members_count=11, in_favour_count=7,
    )  # fmt: skip
    assert not vote.passed and p.refresh().stage == DossierStage.BRANCH_PROPOSED
    vote = services.record_base_committee_vote(
        actor=p.personas.base, dossier=dossier, held_on=p.d["base_vote_on"], resolution_number="2",
        members_count=11, in_favour_count=8,
    )  # fmt: skip
    assert vote.passed and p.refresh().stage == DossierStage.BASE_PROPOSED


def test_admission_vote_may_be_held_again_after_three_failures(pipeline):
    # Three failed votes go upward on recognition or name removal only (docs/rules/probation.md "Three failed votes").
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    for _ in range(3):
        branch_vote(p, dossier, in_favour_count=1)
    assert branch_vote(p, dossier, in_favour_count=9).passed


def test_vote_counts_cannot_exceed_the_denominator(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="vượt quá"):
        branch_vote(p, dossier, members_count=9, in_favour_count=8, against_count=2)


def test_votes_cannot_exceed_the_members_present(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="vượt quá số có mặt"):
        branch_vote(p, dossier, members_count=9, present_count=6, in_favour_count=6, against_count=1)


def test_branch_with_fewer_than_three_full_members_cannot_vote(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="Điều lệ Đảng, Điều 21"):
        branch_vote(p, dossier, members_count=2, in_favour_count=2)
