"""Eligibility at the branch vote: age in full months, schooling, a valid certificate, introducers, a complete file.

Each rule refused with a Vietnamese message that names it; the rules and their sources: docs/rules/."""

import datetime as dt

import pytest

from admissions.models import DossierStage, Vote
from partyorg.lib.errors import DomainError

from .steps import branch_vote, introduce, shifted_dates

D = dt.date


def test_candidate_must_be_eighteen_in_full_months_at_the_branch_vote(pipeline):
    p = pipeline.default
    # Vote 15/04/2024: born 16/04/2006 is 17 years 11 months.
    dossier = p.to("ready_for_vote", birth_date=D(2006, 4, 16))
    with pytest.raises(DomainError, match="Chưa đủ 18 tuổi tính theo tháng.*Điều lệ Đảng, Điều 1"):
        branch_vote(p, dossier)
    assert Vote.objects.count() == 0


def test_candidate_eighteen_on_the_vote_day_may_be_voted_on(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote", birth_date=D(2006, 4, 15))
    assert branch_vote(p, dossier).passed


def test_born_on_29_february_is_eighteen_on_28_february(pipeline):
    # 28/02/2026: one born 29/02/2008 completes 216 months (Bộ luật Dân sự, Điều 148).
    p = pipeline.new(**shifted_dates(D(2026, 2, 28)))
    dossier = p.to("ready_for_vote", birth_date=D(2008, 2, 29))
    assert branch_vote(p, dossier).passed


def test_under_eighteen_message_names_the_charter_and_the_regulation_in_force(pipeline):
    p = pipeline.new(**shifted_dates(D(2025, 8, 15)))
    dossier = p.to("ready_for_vote", birth_date=D(2007, 8, 16))
    with pytest.raises(DomainError, match="17 tuổi 11 tháng.*Điều lệ Đảng, Điều 1; Quy định 294-QĐ/TW"):
        branch_vote(p, dossier)


def test_education_must_be_at_least_lower_secondary(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote", general_education="primary")
    with pytest.raises(DomainError, match="Trình độ học vấn.*trung học cơ sở"):
        branch_vote(p, dossier)


def test_special_areas_admit_primary_education(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote", general_education="primary", education_exception="special_area")
    assert branch_vote(p, dossier).passed


def test_literate_village_elder_may_be_voted_on_but_not_without_the_exception(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote", general_education="literate", education_exception="village_elder")
    assert branch_vote(p, dossier).passed
    p = pipeline.new()
    dossier = p.to("ready_for_vote", general_education="literate", education_exception="special_area",
                   full_name="Hà Văn Páo")  # fmt: skip
    with pytest.raises(DomainError, match="Trình độ học vấn.*tiểu học"):
        branch_vote(p, dossier)


def test_expired_certificate_blocks_the_branch_vote(pipeline):
    # Certificate 15/04/2019 is valid 60 months: no longer on 15/04/2024.
    p = pipeline.new(certificate_on=D(2019, 4, 15))
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="Giấy chứng nhận .* đã hết giá trị 60 tháng"):
        branch_vote(p, dossier)


def test_certificate_valid_on_the_last_day(pipeline):
    p = pipeline.new(certificate_on=D(2019, 4, 16))
    dossier = p.to("ready_for_vote")
    assert branch_vote(p, dossier).passed


def test_branch_vote_needs_the_complete_file(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    with pytest.raises(DomainError, match="Hồ sơ còn thiếu: .*2-KNĐ"):
        branch_vote(p, dossier)


def test_introducer_who_left_the_party_no_longer_counts_at_the_vote(pipeline, members):
    from members.models import MemberTransition
    from members.services import change_member_status

    p = pipeline.default
    dossier = p.to("ready_for_vote")
    change_member_status(actor=p.personas.admin, member=members.dat, transition=MemberTransition.STRIKE_OFF,
                         effective_on=D(2024, 4, 1), decision_number="9-QĐ", reason="Bỏ sinh hoạt",
                         decided_by="Đảng ủy Trường THPT Ngô Sĩ Liên", decided_on=D(2024, 4, 1))  # fmt: skip
    with pytest.raises(DomainError, match="Trần Đức Đạt không còn là đảng viên.*Điều lệ Đảng, Điều 4"):
        branch_vote(p, dossier)
    # Another full member of the base organization replaces the introducer: Yến, of another branch, is named.
    introduce(p, dossier, None, introducer_name="Lê Thị Yến", introducer_confirmed=True)
    assert branch_vote(p, dossier).passed
