"""Each rule of the admission pipeline, refused with a Vietnamese message that names it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from admissions import services
from admissions.models import (
    CandidateCategory,
    Dossier,
    DossierStage,
    Introduction,
    Opinion,
    OverdueRecord,
    Vote,
)
from admissions.organizations import deciding_organization_of
from members.models import MemberStatus
from partyorg.lib.errors import DomainError
from partyorg.lib.working_days import add_working_days
from tests.factories import make_member

D = dt.date


def _branch_vote(pipeline, dossier, **counts):
    data = dict(members_count=9, in_favour_count=6, against_count=0)
    data.update(counts)
    return services.record_branch_vote(
        actor=pipeline.personas.secretary_a,
        dossier=dossier,
        held_on=pipeline.d["branch_vote_on"],
        resolution_number="07-NQ/CB",
        **data,
    )


# ------------------------------------------------------------------ votes


def test_branch_vote_needs_two_thirds_of_full_members(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    vote = _branch_vote(p, dossier, in_favour_count=5, against_count=4)
    assert not vote.passed
    assert p.refresh().stage == DossierStage.PREPARING
    vote = _branch_vote(p, dossier, in_favour_count=6, against_count=3)
    assert vote.passed and vote.eligible_count == 9
    assert p.refresh().stage == DossierStage.BRANCH_PROPOSED


def test_branch_vote_denominator_excludes_temporarily_attached_and_absent_exempted_members(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    # 12 full members, 2 attached elsewhere, 1 exempted and absent: 9 count; 6 of 9 is 2/3.
    vote = _branch_vote(p, dossier, members_count=12, temporarily_attached_count=2, exempted_absent_count=1,
                        in_favour_count=6)  # fmt: skip
    assert vote.eligible_count == 9 and vote.passed


def test_absent_members_not_exempted_still_count_in_the_denominator(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    # 12 full members, 3 absent without exemption, 8 present all in favour: 8/12 = 2/3 passes, 7/12 does not.
    assert not _branch_vote(p, dossier, members_count=12, present_count=7, in_favour_count=7).passed
    assert _branch_vote(p, dossier, members_count=12, present_count=8, in_favour_count=8).passed


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


def test_admission_vote_may_be_held_again_after_three_failures(pipeline):
    # QĐ 29 §4.3 sends a case upward after three failed votes on recognition or name removal only (rules §4).
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    for _ in range(3):
        _branch_vote(p, dossier, in_favour_count=1)
    assert _branch_vote(p, dossier, in_favour_count=9).passed


def test_vote_counts_cannot_exceed_the_denominator(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="vượt quá"):
        _branch_vote(p, dossier, members_count=9, in_favour_count=8, against_count=2)


# ------------------------------------------------------------------ eligibility at the branch vote


def test_candidate_must_be_eighteen_in_full_months_at_the_branch_vote(pipeline):
    p = pipeline.default
    # Vote 15/04/2024: born 16/04/2006 is 17 years 11 months.
    dossier = p.to("ready_for_vote", birth_date=D(2006, 4, 16))
    with pytest.raises(DomainError, match="Chưa đủ 18 tuổi tính theo tháng.*Điều lệ Đảng, Điều 1"):
        _branch_vote(p, dossier)
    assert Vote.objects.count() == 0


def test_candidate_eighteen_on_the_vote_day_may_be_voted_on(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote", birth_date=D(2006, 4, 15))
    assert _branch_vote(p, dossier).passed


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


def test_education_must_be_at_least_lower_secondary(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote", general_education="primary")
    with pytest.raises(DomainError, match="Trình độ học vấn.*trung học cơ sở"):
        _branch_vote(p, dossier)


def test_special_areas_admit_primary_education(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote", general_education="primary", education_exception="special_area")
    assert _branch_vote(p, dossier).passed


def test_expired_certificate_blocks_the_branch_vote(pipeline):
    # Certificate 15/04/2019 is valid 60 months: no longer on 15/04/2024.
    p = pipeline.new(certificate_on=D(2019, 4, 15))
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="Giấy chứng nhận .* đã hết giá trị 60 tháng"):
        _branch_vote(p, dossier)


def test_certificate_valid_on_the_last_day(pipeline):
    p = pipeline.new(certificate_on=D(2019, 4, 16))
    dossier = p.to("ready_for_vote")
    assert _branch_vote(p, dossier).passed


def test_dossier_whose_certificate_expires_is_flagged_by_its_next_deadline(pipeline):
    p = pipeline.new(certificate_on=D(2019, 6, 1))
    dossier = p.to(DossierStage.PREPARING)
    assert dossier.next_deadline_on == D(2024, 5, 31)
    assert "giấy chứng nhận" in dossier.next_deadline_label


def test_branch_vote_needs_the_complete_file(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    with pytest.raises(DomainError, match="Hồ sơ còn thiếu: .*2-KNĐ"):
        _branch_vote(p, dossier)


# ------------------------------------------------------------------ introducers


def _introduce(p, dossier, introducer, **kwargs):
    data = dict(kind=Introduction.Kind.MEMBER, introduced_on=p.d["introduced_on"], known_since=p.d["known_since"])
    data.update(kwargs)
    return services.add_introduction(actor=p.personas.secretary_a, dossier=dossier, introducer=introducer, **data)


def _preparing(p, **person):
    dossier = p.to(DossierStage.PREPARING, **person)
    services.record_resume(actor=p.personas.secretary_a, dossier=dossier, submitted_on=p.d["resume_on"])
    return p.refresh()


def test_introducer_must_be_an_official_member(pipeline, personas, tree):
    p = pipeline.default
    dossier = _preparing(p)
    probationary = make_member(tree.branch_a, personas.admin, full_name="Vũ Văn Dự", official_on=None)
    assert probationary.status == MemberStatus.PROBATIONARY
    with pytest.raises(DomainError, match="phải là đảng viên chính thức"):
        _introduce(p, dossier, probationary)


def test_introducer_must_have_worked_with_the_candidate_twelve_months(pipeline, members):
    p = pipeline.default
    dossier = _preparing(p)
    with pytest.raises(DomainError, match="ít nhất 12 tháng; mới được 11 tháng"):
        _introduce(p, dossier, members.an, known_since=D(2023, 4, 1))
    assert _introduce(p, dossier, members.an, known_since=D(2023, 3, 12))


def test_introducer_must_belong_to_the_same_base_organization(pipeline, members):
    p = pipeline.default
    dossier = _preparing(p)
    # Phạm Văn Bình is in Chi bộ Khu phố 1, a base branch of its own.
    with pytest.raises(DomainError, match="cùng tổ chức cơ sở đảng"):
        _introduce(p, dossier, members.binh)
    # Lê Thị Yến is in another branch of the same base committee: allowed.
    assert _introduce(p, dossier, members.yen)


def test_youth_union_resolution_and_one_member_introduce_a_youth_union_member(pipeline, members):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING, categories=[CandidateCategory.YOUTH_UNION_MEMBER])
    _introduce(p, dossier, None, kind=Introduction.Kind.YOUTH_UNION, youth_union_resolution_number="12-NQ/ĐTN")
    _introduce(p, dossier, members.an)
    from admissions.eligibility import introduction_problems
    from admissions.rules import rules_in_force

    assert introduction_problems(dossier, rules_in_force(on=D(2024, 4, 15))) == []


def test_youth_union_route_is_only_for_youth_union_members(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING, categories=[CandidateCategory.WOMAN])
    with pytest.raises(DomainError, match="Chỉ đoàn viên"):
        _introduce(p, dossier, None, kind=Introduction.Kind.YOUTH_UNION, youth_union_resolution_number="12")


def test_one_member_alone_is_not_enough_to_introduce(pipeline, members):
    from admissions.eligibility import introduction_problems
    from admissions.rules import rules_in_force

    p = pipeline.default
    dossier = _preparing(p)
    _introduce(p, dossier, members.an)
    assert introduction_problems(dossier, rules_in_force(on=D(2024, 4, 15)))


# ------------------------------------------------------------------ résumé and verification


def test_verification_cannot_start_before_the_resume_is_stamped(pipeline):
    p = pipeline.default
    dossier = _preparing(p)
    with pytest.raises(DomainError, match="chưa được đảng ủy cơ sở đóng dấu giáp lai"):
        services.record_verification_request(
            actor=p.personas.secretary_a, dossier=dossier, relationship="self", person_name="X",
            request_sent_to="Công an", request_sent_on=p.d["request_on"],
        )  # fmt: skip
    services.stamp_resume(actor=p.personas.base, dossier=dossier, stamped_on=D(2024, 3, 11))
    with pytest.raises(DomainError, match="trước ngày đóng dấu giáp lai"):
        services.record_verification_request(
            actor=p.personas.secretary_a, dossier=dossier, relationship="self", person_name="X",
            request_sent_to="Công an", request_sent_on=D(2024, 3, 8),
        )  # fmt: skip


def test_relatives_who_are_party_members_are_exempt_from_verification(pipeline):
    p = pipeline.default
    dossier = _preparing(p)
    services.stamp_resume(actor=p.personas.base, dossier=dossier, stamped_on=D(2024, 3, 11))
    item = services.record_verification_request(
        actor=p.personas.secretary_a, dossier=dossier, relationship="mother", person_name="Y", is_party_member=True
    )
    assert item.is_done and item.request_sent_on is None


def test_resume_is_certified_only_after_every_verification_result(pipeline):
    p = pipeline.default
    dossier = _preparing(p)
    services.stamp_resume(actor=p.personas.base, dossier=dossier, stamped_on=D(2024, 3, 11))
    services.record_verification_request(
        actor=p.personas.secretary_a, dossier=dossier, relationship="self", person_name="Lê Thị Hồng Nhung",
        request_sent_to="Công an", request_sent_on=D(2024, 3, 12),
    )  # fmt: skip
    with pytest.raises(DomainError, match="sau khi có đủ kết quả thẩm tra"):
        services.certify_resume(actor=p.personas.base, dossier=dossier, certified_on=D(2024, 4, 5))


def test_resume_comes_after_the_application(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    with pytest.raises(DomainError, match="không được trước ngày nộp đơn"):
        services.record_resume(actor=p.personas.secretary_a, dossier=dossier, submitted_on=D(2024, 3, 1))


# ------------------------------------------------------------------ decision and ceremony


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


def test_decision_creates_the_probationary_member_dated_by_the_decision(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.ADMITTED)
    member = dossier.member
    assert member.status == MemberStatus.PROBATIONARY
    assert member.admission_decided_on == p.d["decision_on"] and member.ceremony_held_on is None
    assert member.branch == p.tree.branch_a
    assert dossier.deciding_organization == p.tree.base


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


# ------------------------------------------------------------------ probation and recognition


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


def test_recognition_decision_after_thirty_working_days_needs_a_reason(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.RECOGNITION_BASE)
    late = add_working_days(p.d["recognition_vote_on"], 31)
    with pytest.raises(DomainError, match="chậm 1 ngày làm việc"):
        services.record_recognition_decision(
            actor=p.personas.base, dossier=dossier, outcome="official", decision_number="1", decided_on=late
        )


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


# ------------------------------------------------------------------ source pool, overdue records


def test_a_member_cannot_be_added_to_the_source_pool(pipeline, members):
    from admissions.models import ProposedBy

    with pytest.raises(DomainError, match="đã là đảng viên"):
        services.add_to_source_pool(
            actor=pipeline.default.personas.secretary_a, branch=pipeline.default.tree.branch_a,
            proposed_by=ProposedBy.MEMBER, proposed_by_member=members.an, proposed_on=D(2024, 1, 1),
            full_name="X", gender=members.an.gender, birth_date=members.an.birth_date,
            personal_id=members.an.personal_id, general_education="upper_secondary",
        )  # fmt: skip


def test_overdue_task_records_each_overdue_deadline_once(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.BASE_PROPOSED)
    assert services.record_overdue_dossiers(on=D(2024, 6, 1)) == 0
    after = dossier.next_deadline_on + dt.timedelta(days=1)
    assert services.record_overdue_dossiers(on=after) == 1
    assert services.record_overdue_dossiers(on=after + dt.timedelta(days=1)) == 0
    record = OverdueRecord.objects.get()
    assert record.deadline_key == "decision" and record.detected_on == after
    services.record_admission_decision(
        actor=p.personas.base, dossier=Dossier.objects.get(pk=dossier.pk), decision_number="1",
        signed_on=after, late_reason="Chờ ý kiến cấp trên",
    )  # fmt: skip
    services.record_overdue_dossiers(on=after + dt.timedelta(days=2))
    record.refresh_from_db()
    assert record.resolved_on is not None


# ------------------------------------------------------------------ checklist of issue 4 (see test_rules.py)


def _shifted(to_branch_vote_on: dt.date) -> dict:
    """The pipeline's dates moved together so that the branch votes on `to_branch_vote_on`."""
    from tests.admissions.conftest import DATES

    offset = to_branch_vote_on - DATES["branch_vote_on"]
    return {key: day + offset for key, day in DATES.items()}


def _source_pool(p, **kwargs):
    from admissions.models import ProposedBy
    from tests.admissions.conftest import person

    data = dict(proposed_by=ProposedBy.WOMENS_UNION, proposed_on=D(2024, 1, 10))
    data.update(kwargs)
    return services.add_to_source_pool(actor=p.personas.secretary_a, branch=p.tree.branch_a, **data, **person())


@pytest.mark.parametrize("proposed_by", ["youth_union", "womens_union", "farmers_union", "veterans_union",
                                         "trade_union", "fatherland_front"])  # fmt: skip
def test_source_pool_takes_candidates_proposed_by_the_mass_organizations(pipeline, proposed_by):
    p = pipeline.default
    dossier = _source_pool(p, proposed_by=proposed_by, categories=["woman", "intellectual"], merits="Chiến sĩ thi đua")
    assert dossier.stage == DossierStage.SOURCE_POOL
    assert dossier.candidate.categories == ["woman", "intellectual"] and dossier.candidate.merits
    event = dossier.events.get()
    assert event.actor == p.personas.secretary_a and event.effective_on == D(2024, 1, 10)


def test_source_pool_refuses_an_unknown_proposer_and_a_member_route_without_the_member(pipeline, members):
    p = pipeline.default
    with pytest.raises(DomainError, match="Đoàn Thanh niên, Hội Liên hiệp Phụ nữ.*hoặc một đảng viên giới thiệu"):
        _source_pool(p, proposed_by="neighbour")
    with pytest.raises(DomainError, match="Chọn đảng viên đã giới thiệu"):
        _source_pool(p, proposed_by="member")
    with pytest.raises(DomainError, match="Đối tượng không hợp lệ"):
        _source_pool(p, categories=["astronaut"])
    assert (
        _source_pool(p, proposed_by="member", proposed_by_member=members.an).candidate.proposed_by_member == members.an
    )


def test_sympathizer_helper_must_be_an_official_member_of_the_branch(pipeline, members, personas, tree):
    p = pipeline.default
    dossier = p.to(DossierStage.SOURCE_POOL)
    probationary = make_member(tree.branch_a, personas.admin, full_name="Vũ Văn Dự", official_on=None)
    common = dict(actor=p.personas.secretary_a, dossier=dossier, listed_on=D(2024, 2, 1), resolution_number="05")
    with pytest.raises(DomainError, match="phải là đảng viên chính thức"):
        services.put_on_sympathizer_list(helper=probationary, **common)
    with pytest.raises(DomainError, match="phải là đảng viên của Chi bộ Giáo viên"):
        services.put_on_sympathizer_list(helper=members.yen, **common)
    with pytest.raises(DomainError, match="Chưa chọn đảng viên giúp đỡ"):
        services.put_on_sympathizer_list(helper=None, **common)
    dossier = services.put_on_sympathizer_list(helper=members.an, **common)
    assert dossier.stage == DossierStage.SYMPATHIZER and dossier.helper == members.an
    assert dossier.sympathizer_resolution_number == "05"


def test_certificate_is_issued_after_its_course_ends(pipeline, tree):
    from admissions.models import AwarenessCourse

    p = pipeline.default
    dossier = p.to(DossierStage.SYMPATHIZER)
    course = AwarenessCourse.objects.create(
        organization=tree.ward, name="Lớp NTVĐ khóa 1/2024", starts_on=D(2024, 2, 19), ends_on=D(2024, 2, 23)
    )
    with pytest.raises(DomainError, match="sau khi kết thúc lớp học"):
        services.record_certificate(actor=p.personas.secretary_a, dossier=dossier, issued_on=D(2024, 2, 22),
                                    course=course)  # fmt: skip
    certificate = services.record_certificate(
        actor=p.personas.secretary_a, dossier=dossier, issued_on=D(2024, 2, 26), course=course, number="12/CN"
    )
    assert certificate.course == course


def _opinion(pipeline, dossier, source, name):
    services.record_opinion(actor=pipeline.personas.secretary_a, dossier=dossier, source=source,
                            organization_name=name, given_on=D(2024, 4, 8))  # fmt: skip


def test_opinions_are_summarized_only_when_there_are_opinions(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    with pytest.raises(DomainError, match=r"5-KNĐ.*đoàn thể chính trị – xã hội.*chi ủy \(chi bộ\) nơi người vào Đảng"):
        services.summarize_opinions(actor=p.personas.secretary_a, dossier=dossier, summarized_on=D(2024, 4, 9))


def test_the_summary_needs_the_mass_organizations_and_the_residence_committee(pipeline):
    # Rules §3.4 #6: opinions of the socio-political organizations where the candidate works and of the committee
    # of the branch where they live; one kind alone is not enough.
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    summarize = dict(actor=p.personas.secretary_a, dossier=dossier, summarized_on=D(2024, 4, 9))
    _opinion(p, dossier, Opinion.Source.MASS_ORGANIZATION, "Công đoàn Trường THPT Ngô Sĩ Liên")
    with pytest.raises(DomainError, match=r"còn thiếu ý kiến nhận xét của chi ủy \(chi bộ\) nơi người vào") as error:
        services.summarize_opinions(**summarize)
    assert "đoàn thể" not in error.value.message and "cư trú trên địa bàn chi bộ" in error.value.message
    other = pipeline.new().to(DossierStage.PREPARING, full_name="Trần Văn Khoa")
    _opinion(p, other, Opinion.Source.RESIDENCE_BRANCH, "Chi bộ Khu phố 1")
    with pytest.raises(DomainError, match="còn thiếu ý kiến nhận xét của đoàn thể chính trị – xã hội") as error:
        services.summarize_opinions(actor=p.personas.secretary_a, dossier=other, summarized_on=D(2024, 4, 9))
    assert "chi ủy (chi bộ) nơi người vào Đảng cư trú" not in error.value.message

    _opinion(p, dossier, Opinion.Source.RESIDENCE_BRANCH, "Chi bộ Khu phố 1")
    dossier = services.summarize_opinions(**summarize)
    assert dossier.opinions_summarized_on == D(2024, 4, 9) and not dossier.resides_in_branch_area


def test_a_candidate_living_in_the_branchs_area_needs_no_other_residence_opinion(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    _opinion(p, dossier, Opinion.Source.MASS_ORGANIZATION, "Hội Liên hiệp Phụ nữ phường")
    dossier = services.summarize_opinions(actor=p.personas.secretary_a, dossier=dossier, summarized_on=D(2024, 4, 9),
                                          resides_in_branch_area=True)  # fmt: skip
    assert dossier.resides_in_branch_area
    assert dossier.events.get(step="opinions_summarized").notes == "Người vào Đảng cư trú trên địa bàn chi bộ"


def test_resume_is_stamped_only_once_submitted(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    with pytest.raises(DomainError, match="Chưa có lý lịch.*2-KNĐ"):
        services.stamp_resume(actor=p.personas.base, dossier=dossier, stamped_on=D(2024, 3, 11))


def test_introducer_who_left_the_party_no_longer_counts_at_the_vote(pipeline, members):
    from members.models import MemberTransition
    from members.services import change_member_status

    p = pipeline.default
    dossier = p.to("ready_for_vote")
    change_member_status(actor=p.personas.admin, member=members.dat, transition=MemberTransition.STRIKE_OFF,
                         effective_on=D(2024, 4, 1), decision_number="9-QĐ", reason="Bỏ sinh hoạt",
                         decided_by="Đảng ủy Trường THPT Ngô Sĩ Liên", decided_on=D(2024, 4, 1))  # fmt: skip
    with pytest.raises(DomainError, match="Trần Đức Đạt không còn là đảng viên.*Điều lệ Đảng, Điều 4"):
        _branch_vote(p, dossier)
    # Another full member of the base organization replaces the introducer.
    _introduce(p, dossier, members.yen)
    assert _branch_vote(p, dossier).passed


def test_vote_counts_seven_of_ten_six_of_nine_pass_five_of_eight_fails(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    assert not _branch_vote(p, dossier, members_count=8, in_favour_count=5, against_count=3).passed
    assert Vote.objects.get().eligible_count == 8
    assert _branch_vote(p, dossier, members_count=10, in_favour_count=7, against_count=3).passed


def test_branch_with_fewer_than_three_full_members_cannot_vote(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="Điều lệ Đảng, Điều 21"):
        _branch_vote(p, dossier, members_count=2, in_favour_count=2)


def test_votes_cannot_exceed_the_members_present(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    with pytest.raises(DomainError, match="vượt quá số có mặt"):
        _branch_vote(p, dossier, members_count=9, present_count=6, in_favour_count=6, against_count=1)


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


def test_born_on_29_february_is_eighteen_on_28_february(pipeline):
    # 28/02/2026: one born 29/02/2008 completes 216 months (Bộ luật Dân sự, Điều 148).
    p = pipeline.new(**_shifted(D(2026, 2, 28)))
    dossier = p.to("ready_for_vote", birth_date=D(2008, 2, 29))
    assert _branch_vote(p, dossier).passed


def test_under_eighteen_message_names_the_charter_and_the_regulation_in_force(pipeline):
    p = pipeline.new(**_shifted(D(2025, 8, 15)))
    dossier = p.to("ready_for_vote", birth_date=D(2007, 8, 16))
    with pytest.raises(DomainError, match="17 tuổi 11 tháng.*Điều lệ Đảng, Điều 1; Quy định 294-QĐ/TW"):
        _branch_vote(p, dossier)


def test_literate_village_elder_may_be_voted_on_but_not_without_the_exception(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote", general_education="literate", education_exception="village_elder")
    assert _branch_vote(p, dossier).passed
    p = pipeline.new()
    dossier = p.to("ready_for_vote", general_education="literate", education_exception="special_area",
                   full_name="Hà Văn Páo")  # fmt: skip
    with pytest.raises(DomainError, match="Trình độ học vấn.*tiểu học"):
        _branch_vote(p, dossier)


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


def test_recognition_branch_vote_late_is_recorded_as_late(pipeline):
    p = pipeline.new(recognition_vote_on=D(2025, 7, 15))
    dossier = p.to(DossierStage.RECOGNITION_BRANCH)
    event = dossier.events.get(step="recognition_branch_vote")
    due = add_working_days(D(2025, 5, 20), 30)
    assert f"chậm so với hạn {due:%d/%m/%Y}" in event.notes


def test_decision_deadline_crossing_tet_is_pushed_by_the_holidays(pipeline):
    # Branch resolution Friday 23/01/2026. Counted by hand: 15 working days to 13/02, none in the Tết week
    # 16–20/02/2026, then 45 more from 23/02: the 60th is Friday 24/04/2026 (17/04 without the Tết days off).
    p = pipeline.new(**_shifted(D(2026, 1, 23)))
    dossier = p.to(DossierStage.BRANCH_PROPOSED)
    assert dossier.next_deadline_on == D(2026, 4, 24)
    assert "60 ngày làm việc" in dossier.next_deadline_source


def test_dossier_dated_before_a_rule_change_keeps_the_old_rule(pipeline, monkeypatch):
    from admissions import rules

    new_rule = rules.Rule("Quy định thử nghiệm 999-QĐ/TW", effective=D(2024, 5, 1),
                          decision_within=rules.WorkingDays(45))  # fmt: skip
    monkeypatch.setattr(rules, "RULES", [*rules.RULES, new_rule])
    old = pipeline.default.to(DossierStage.BRANCH_PROPOSED)  # branch resolution 15/04/2024
    assert old.next_deadline_on == add_working_days(D(2024, 4, 15), 60)
    assert "24-QĐ/TW" in old.next_deadline_source
    p = pipeline.new(**_shifted(D(2024, 5, 6)))
    new = p.to(DossierStage.BRANCH_PROPOSED, full_name="Đỗ Minh Khoa")
    assert new.next_deadline_on == add_working_days(D(2024, 5, 6), 45)
    assert "999-QĐ/TW" in new.next_deadline_source
    # The late check of the decision reads the same rule as the deadline shown.
    services.record_base_committee_vote(
        actor=p.personas.base, dossier=new, held_on=D(2024, 5, 10), resolution_number="1", members_count=9,
        in_favour_count=9,
    )  # fmt: skip
    late = add_working_days(D(2024, 5, 6), 46)
    with pytest.raises(DomainError, match="chậm 1 ngày làm việc.*999-QĐ/TW"):
        services.record_admission_decision(
            actor=p.personas.base, dossier=Dossier.objects.get(pk=new.pk), decision_number="1", signed_on=late
        )


@pytest.mark.parametrize(
    "stage",
    [DossierStage.SYMPATHIZER, DossierStage.PREPARING, DossierStage.BRANCH_PROPOSED, DossierStage.BASE_PROPOSED,
     DossierStage.ADMITTED, DossierStage.PROBATION, DossierStage.RECOGNITION_BRANCH, DossierStage.RECOGNITION_BASE],
)  # fmt: skip
def test_every_open_dossier_with_a_certificate_shows_its_next_deadline(pipeline, stage):
    p = pipeline.default
    if stage == DossierStage.SYMPATHIZER:
        dossier = p.to(stage)
        services.record_certificate(actor=p.personas.secretary_a, dossier=dossier, issued_on=D(2024, 3, 1))
        dossier = p.refresh()
    else:
        dossier = p.to(stage)
    assert dossier.next_deadline_on and dossier.next_deadline_label and dossier.next_deadline_source


def test_overdue_beat_task_is_scheduled_daily_and_idempotent(pipeline, settings):
    from admissions import tasks

    schedule = settings.CELERY_BEAT_SCHEDULE["admissions-record-overdue"]
    assert schedule["task"] == "admissions.tasks.record_overdue_dossiers" and schedule["schedule"] == 86400
    p = pipeline.default
    p.to(DossierStage.ADMITTED)  # ceremony due 30 working days after the decision of 10/05/2024: long past
    assert tasks.record_overdue_dossiers() == 1
    assert tasks.record_overdue_dossiers() == 0
    assert OverdueRecord.objects.get().deadline_key == "ceremony"


# ------------------------------------------------------------------ plans


def test_plan_target_defaults_to_three_to_four_percent_of_members_at_start_of_year(tree, personas, members):
    from admissions.selectors import plan_progress

    # 4 members admitted before 2025 under the ward (An, Đạt, Yến, Bình): 3.5% rounds up to 1.
    progress = plan_progress(tree.ward, 2025)
    assert progress["members_at_start"] == 4 and progress["is_default"]
    assert (progress["target_low"], progress["target"], progress["target_high"]) == (1, 1, 1)
    with pytest.raises(PermissionDenied):  # base staff do not plan for the ward above them
        services.save_admission_plan(actor=personas.base, organization=tree.ward, year=2025, target_count=3)
    plan = services.save_admission_plan(actor=personas.superior, organization=tree.ward, year=2025, target_count=3,
                                        term="2025–2030")  # fmt: skip
    progress = plan_progress(tree.ward, 2025)
    assert progress["plan"] == plan and progress["target"] == 3 and not progress["is_default"]
    with pytest.raises(DomainError, match="không được âm"):
        services.save_admission_plan(actor=personas.superior, organization=tree.ward, year=2025, target_count=-1)


def test_plan_progress_counts_the_decisions_signed_in_the_year(pipeline, tree, personas):
    from admissions.selectors import plan_progress

    services.save_admission_plan(actor=personas.base, organization=tree.base, year=2024, target_count=2)
    pipeline.default.to(DossierStage.ADMITTED)  # decision 10/05/2024
    progress = plan_progress(tree.base, 2024)
    assert progress["admitted"] == 1 and progress["target"] == 2 and progress["percent"] == 50
    assert plan_progress(tree.base, 2025)["admitted"] == 0


def test_youth_union_route_ends_with_youth_age(pipeline):
    p = pipeline.default
    # 31 on the introduction of 12/03/2024: two full members must introduce (Điều lệ Đảng, Điều 4).
    dossier = p.to(DossierStage.PREPARING, categories=[CandidateCategory.YOUTH_UNION_MEMBER], birth_date=D(1993, 1, 1))
    with pytest.raises(DomainError, match="quá tuổi thanh niên.*Điều lệ Đảng, Điều 4"):
        _introduce(p, dossier, None, kind=Introduction.Kind.YOUTH_UNION, youth_union_resolution_number="12-NQ/ĐTN")
    p = pipeline.new()
    dossier = p.to(DossierStage.PREPARING, categories=[CandidateCategory.YOUTH_UNION_MEMBER], birth_date=D(1993, 3, 13),
                   full_name="Đinh Văn Tú")  # fmt: skip
    assert _introduce(p, dossier, None, kind=Introduction.Kind.YOUTH_UNION, youth_union_resolution_number="12")


def test_a_plan_change_is_audited_with_the_target_before_and_after(tree, personas):
    from audit.models import AuditAction, AuditEvent

    save = dict(organization=tree.ward, year=2025)
    plan = services.save_admission_plan(actor=personas.superior, target_count=3, term="2025–2030", **save)
    services.save_admission_plan(actor=personas.province, target_count=5, term="2025–2030", **save)
    services.save_admission_plan(actor=personas.province, target_count=5, term="2025–2030", **save)  # no change
    events = list(AuditEvent.objects.filter(action=AuditAction.ADMISSION_PLAN_CHANGE).order_by("at", "id"))
    assert [(e.actor, e.details["target_count"]) for e in events] == [
        (personas.superior, {"old": None, "new": 3}),
        (personas.province, {"old": 3, "new": 5}),
    ]
    assert events[1].target_id == str(plan.pk) and events[1].details["changed"] == ["target_count"]
    assert events[1].target_label == "Kế hoạch kết nạp năm 2025 – Đảng bộ phường Xương Giang"
    history = list(
        plan.history.order_by("history_date").values_list("target_count", "history_user", "history_change_reason")
    )
    assert history == [(3, personas.superior.pk, "Lập kế hoạch"), (5, personas.province.pk, "Sửa chỉ tiêu 3 → 5")]
