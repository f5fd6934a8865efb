"""Steps 10–11 of admission: the decision (9-KNĐ) within its deadline, consent for those over 60, the ceremony.

Each rule refused with a Vietnamese message that names it; the rules and their sources: docs/rules/."""

import datetime as dt

import pytest

from admissions import services
from admissions.models import DossierStage
from admissions.organizations import deciding_organization_of
from members.models import MemberStatus
from partyorg.lib.errors import DomainError
from partyorg.lib.working_days import add_working_days
from tests.factories import assert_member_counts_fresh

from .steps import shifted_dates

D = dt.date


def test_decision_after_sixty_working_days_needs_a_reason(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.BASE_PROPOSED)
    late = add_working_days(p.d["branch_vote_on"], 61)
    with pytest.raises(DomainError, match="chậm 1 ngày làm việc"):
        services.record_admission_decision(actor=p.personas.base, dossier=dossier, decision_number="1", signed_on=late)
    # Within an extension of up to 30 working days it is on time.
    services.extend_decision_deadline(
        actor=p.personas.base, dossier=dossier, working_days=30, reason="Chờ kết quả thẩm tra bổ sung",
        decided_on=D(2024, 6, 1),
    )  # fmt: skip
    with pytest.raises(DomainError, match="không quá 30 ngày làm việc"):
        services.extend_decision_deadline(
            actor=p.personas.base, dossier=dossier, working_days=1, reason="x", decided_on=D(2024, 6, 2)
        )
    dossier = services.record_admission_decision(
        actor=p.personas.base, dossier=dossier, decision_number="1", signed_on=late
    )
    assert dossier.stage == DossierStage.ADMITTED


def test_next_deadline_of_a_proposed_dossier_is_the_decision(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.BASE_PROPOSED)
    assert dossier.next_deadline_on == add_working_days(p.d["branch_vote_on"], 60)


def test_decision_deadline_crossing_tet_is_pushed_by_the_holidays(pipeline):
    # Branch resolution Friday 23/01/2026. Counted by hand: 15 working days to 13/02, none in the Tết week
    # 16–20/02/2026, then 45 more from 23/02: the 60th is Friday 24/04/2026 (17/04 without the Tết days off).
    p = pipeline.new(**shifted_dates(D(2026, 1, 23)))
    dossier = p.to(DossierStage.BRANCH_PROPOSED)
    assert dossier.next_deadline_on == D(2026, 4, 24)
    assert "60 ngày làm việc" in dossier.next_deadline_source


def test_decision_creates_the_probationary_member_dated_by_the_decision(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.ADMITTED)
    member = dossier.member
    assert member.status == MemberStatus.PROBATIONARY
    assert member.admission_decided_on == p.d["decision_on"] and member.ceremony_held_on is None
    assert member.branch == p.tree.branch_a
    assert dossier.deciding_organization == p.tree.base
    # The new member is counted in the branch's member counts (the organization page reads those).
    assert_member_counts_fresh()


def test_branch_under_base_committee_needs_the_base_committee_vote_before_the_decision(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.BRANCH_PROPOSED)
    with pytest.raises(DomainError, match="Không thể «ra quyết định kết nạp»"):
        services.record_admission_decision(
            actor=p.personas.base, dossier=dossier, decision_number="1", signed_on=p.d["decision_on"]
        )


def test_base_branch_is_decided_by_the_superior_committee_without_a_base_vote(tree):
    assert deciding_organization_of(tree.base_branch) == tree.ward
    assert deciding_organization_of(tree.branch_a) == tree.base


def test_refused_decision_closes_the_dossier(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.BASE_PROPOSED)
    dossier = services.record_admission_decision(
        actor=p.personas.base, dossier=dossier, decision_number="2", signed_on=p.d["decision_on"], approved=False,
        refusal_reason="Chưa đủ tiêu chuẩn chính trị",
    )  # fmt: skip
    assert dossier.stage == DossierStage.CLOSED and dossier.member is None


def test_over_sixty_needs_province_consent_before_the_decision(pipeline):
    p = pipeline.default
    # Born 10/01/1963: 61 years 3 months at the vote on 15/04/2024.
    dossier = p.to(DossierStage.BASE_PROPOSED, birth_date=D(1963, 1, 10))
    with pytest.raises(DomainError, match="trên 60 tuổi.*Ban Thường vụ Tỉnh ủy"):
        services.record_admission_decision(
            actor=p.personas.base, dossier=dossier, decision_number="1", signed_on=p.d["decision_on"]
        )
    services.record_province_consent(
        actor=p.personas.province, dossier=dossier, consented_on=D(2024, 5, 6), reference="789-CV/TU"
    )
    dossier = services.record_admission_decision(
        actor=p.personas.base, dossier=dossier, decision_number="1", signed_on=p.d["decision_on"]
    )
    assert dossier.stage == DossierStage.ADMITTED


def test_candidate_exactly_sixty_needs_no_province_consent(pipeline):
    p = pipeline.default
    # Born 15/04/1964: 60 years 0 months on the vote of 15/04/2024, still within "đủ 60 tuổi".
    dossier = p.to(DossierStage.ADMITTED, birth_date=D(1964, 4, 15))
    assert dossier.stage == DossierStage.ADMITTED


def test_candidate_sixty_and_one_month_needs_province_consent(pipeline):
    p = pipeline.default
    # Born 15/03/1964: 60 years 1 month on 15/04/2024.
    dossier = p.to(DossierStage.BASE_PROPOSED, birth_date=D(1964, 3, 15))
    with pytest.raises(DomainError, match="trên 60 tuổi.*Ban Thường vụ Tỉnh ủy.*Quy định 24-QĐ/TW"):
        services.record_admission_decision(
            actor=p.personas.base, dossier=dossier, decision_number="1", signed_on=p.d["decision_on"]
        )


def test_ceremony_within_thirty_working_days_of_receiving_the_decision(pipeline, members):
    p = pipeline.default
    dossier = p.to(DossierStage.ADMITTED)
    services.record_decision_received(actor=p.personas.secretary_a, dossier=dossier, received_on=p.d["received_on"])
    late = add_working_days(p.d["received_on"], 31)
    with pytest.raises(DomainError, match="cấp ủy cấp trên trực tiếp"):
        services.record_ceremony(
            actor=p.personas.secretary_a, dossier=dossier, held_on=late, probation_helper=members.dat
        )
    dossier = services.record_ceremony(
        actor=p.personas.secretary_a, dossier=dossier, held_on=late, probation_helper=members.dat,
        late_consent="Công văn 15-CV/ĐU",
    )  # fmt: skip
    assert dossier.stage == DossierStage.PROBATION
    assert dossier.member.ceremony_held_on == late


def test_ceremony_assigns_an_official_member_of_the_branch_as_helper(pipeline, members):
    p = pipeline.default
    dossier = p.to(DossierStage.ADMITTED)
    with pytest.raises(DomainError, match="đảng viên của Chi bộ Giáo viên"):
        services.record_ceremony(
            actor=p.personas.secretary_a, dossier=dossier, held_on=p.d["ceremony_on"], probation_helper=members.yen
        )
