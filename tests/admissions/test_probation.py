"""Probation and recognition: the 12 months, the recognition file, the votes 13-/15-KNĐ and the decision 16-KNĐ.

Each rule refused with a Vietnamese message that names it; the rules and their sources: docs/rules/."""

import datetime as dt

import pytest

from admissions import services
from admissions.models import DossierStage
from members.models import MemberStatus
from partyorg.lib.errors import DomainError
from partyorg.lib.working_days import add_working_days

D = dt.date


def test_probation_deadline_is_thirty_working_days_after_twelve_months(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PROBATION)
    assert dossier.next_deadline_on == add_working_days(D(2025, 5, 20), 30)


def test_branch_reviews_only_after_the_twelve_months(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_recognition")
    with pytest.raises(DomainError, match="sau khi hết 12 tháng dự bị"):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="official", held_on=D(2025, 5, 19),
            resolution_number="1", members_count=9, in_favour_count=9,
        )  # fmt: skip


def test_recognition_needs_the_self_assessment_and_the_helpers_comment(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PROBATION)
    with pytest.raises(DomainError, match="10-KNĐ.*11-KNĐ"):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="official", held_on=D(2025, 5, 26),
            resolution_number="1", members_count=9, in_favour_count=9,
        )  # fmt: skip


def test_recognition_needs_the_new_member_course(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PROBATION)
    services.record_opinion(
        actor=p.personas.secretary_a, dossier=dossier, phase="recognition", source="residence_branch",
        organization_name="Chi bộ Khu phố 1", given_on=D(2025, 5, 21),
    )  # fmt: skip
    for step in ("self_assessment", "helper_comment", "recognition_opinions"):
        services.record_recognition_paper(actor=p.personas.secretary_a, dossier=dossier, step=step,
                                          dated_on=D(2025, 5, 21))  # fmt: skip
    with pytest.raises(DomainError, match="lớp bồi dưỡng lý luận chính trị cho đảng viên mới.*Điều lệ Đảng, Điều 5"):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="official", held_on=D(2025, 5, 26),
            resolution_number="1", members_count=9, in_favour_count=9,
        )  # fmt: skip


def test_recognition_branch_vote_late_is_recorded_as_late(pipeline):
    p = pipeline.new(recognition_vote_on=D(2025, 7, 15))
    dossier = p.to(DossierStage.RECOGNITION_BRANCH)
    event = dossier.events.get(step="recognition_branch_vote")
    due = add_working_days(D(2025, 5, 20), 30)
    assert f"chậm so với hạn {due:%d/%m/%Y}" in event.notes


def test_qualified_member_is_official_as_of_the_day_the_twelve_months_end_even_when_decided_late(pipeline):
    p = pipeline.new(recognition_vote_on=D(2025, 7, 15), recognition_base_on=D(2025, 7, 20),
                     recognition_decision_on=D(2025, 8, 1))  # fmt: skip
    dossier = p.to(DossierStage.OFFICIAL)
    dossier.member.refresh_from_db()
    assert dossier.member.official_on == D(2025, 5, 20)
    assert dossier.member.status == MemberStatus.OFFICIAL


def test_unqualified_member_is_struck_off_without_extension(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PROBATION)
    s, base = p.personas.secretary_a, p.personas.base
    services.record_recognition_branch_vote(
        actor=s, dossier=dossier, proposal="struck_off", held_on=D(2025, 5, 26), resolution_number="21",
        members_count=9, in_favour_count=8,
    )  # fmt: skip
    services.record_recognition_base_vote(
        actor=base, dossier=dossier, held_on=D(2025, 6, 2), resolution_number="61", members_count=9, in_favour_count=9
    )
    with pytest.raises(DomainError, match="theo đề nghị đã được biểu quyết"):
        services.record_recognition_decision(
            actor=base, dossier=dossier, outcome="official", decision_number="151", decided_on=D(2025, 6, 10)
        )
    dossier = services.record_recognition_decision(
        actor=base, dossier=dossier, outcome="struck_off", decision_number="151", decided_on=D(2025, 6, 10)
    )
    assert dossier.stage == DossierStage.STRUCK_OFF
    dossier.member.refresh_from_db()
    assert dossier.member.status == MemberStatus.STRUCK_OFF


def test_probation_cannot_be_extended(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_recognition")
    with pytest.raises(DomainError, match="không kéo dài thời gian dự bị"):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="extend", held_on=D(2025, 5, 26),
            resolution_number="1", members_count=9, in_favour_count=9,
        )  # fmt: skip
    for n in range(3):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="official", held_on=D(2025, 5, 26),
            resolution_number=str(n), members_count=9, in_favour_count=5,
        )  # fmt: skip
    with pytest.raises(DomainError, match="không kéo dài thời gian dự bị"):
        services.record_recognition_decision(
            actor=p.personas.base, dossier=dossier, outcome="extend", decision_number="9", decided_on=D(2025, 6, 30)
        )
    assert p.refresh().stage == DossierStage.PROBATION


def test_recognition_decision_after_thirty_working_days_needs_a_reason(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.RECOGNITION_BASE)
    late = add_working_days(p.d["recognition_vote_on"], 31)
    with pytest.raises(DomainError, match="chậm 1 ngày làm việc"):
        services.record_recognition_decision(
            actor=p.personas.base, dossier=dossier, outcome="official", decision_number="1", decided_on=late
        )


def test_three_recognition_votes_without_two_thirds_are_reported_upward(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_recognition")
    for n in range(3):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="official", held_on=D(2025, 5, 26),
            resolution_number=str(n), members_count=9, in_favour_count=5,
        )  # fmt: skip
    with pytest.raises(DomainError, match="3 lần không đạt 2/3.*Quy định 232-QĐ/TW"):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="official", held_on=D(2025, 5, 27),
            resolution_number="4", members_count=9, in_favour_count=9,
        )  # fmt: skip


def test_three_failed_base_committee_votes_leave_the_case_waiting_on_the_competent_committee(pipeline):
    from admissions.deadlines import ESCALATED_LABEL, escalated_decision_due_on

    p = pipeline.default
    dossier = p.to(DossierStage.RECOGNITION_BRANCH)
    assert dossier.next_deadline_label != ESCALATED_LABEL
    for day in (2, 3, 4):
        services.record_recognition_base_vote(actor=p.personas.base, dossier=dossier, held_on=D(2025, 6, day),
                                              resolution_number="", members_count=9, in_favour_count=5)  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.stage == DossierStage.RECOGNITION_BRANCH
    assert dossier.next_deadline_label == ESCALATED_LABEL
    assert dossier.next_deadline_on == escalated_decision_due_on(D(2025, 6, 4)).due_on


def test_competent_committee_decides_after_three_failed_branch_votes(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_recognition")
    for n in range(3):
        services.record_recognition_branch_vote(
            actor=p.personas.secretary_a, dossier=dossier, proposal="official", held_on=D(2025, 5, 26),
            resolution_number=str(n), members_count=9, in_favour_count=5,
        )  # fmt: skip
    dossier = services.record_recognition_decision(
        actor=p.personas.base, dossier=dossier, outcome="official", decision_number="9", decided_on=D(2025, 6, 30)
    )
    assert dossier.stage == DossierStage.OFFICIAL
