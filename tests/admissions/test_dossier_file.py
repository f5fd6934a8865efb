"""Steps 2–6 of admission: application, résumé, introducers, background verification, opinions.

Each rule refused with a Vietnamese message that names it; the rules and their sources: docs/rules/."""

import datetime as dt

import pytest

from admissions import services
from admissions.models import CandidateCategory, DossierStage, Introduction, Opinion
from members.models import MemberStatus
from partyorg.lib.errors import DomainError
from tests.factories import make_member

from .steps import introduce, preparing, shifted_dates

D = dt.date


def test_resume_comes_after_the_application(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    with pytest.raises(DomainError, match="không được trước ngày nộp đơn"):
        services.record_resume(actor=p.personas.secretary_a, dossier=dossier, submitted_on=D(2024, 3, 1))


def test_resume_is_stamped_only_once_submitted(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    with pytest.raises(DomainError, match="Chưa có lý lịch.*2-KNĐ"):
        services.stamp_resume(actor=p.personas.base, dossier=dossier, stamped_on=D(2024, 3, 11))


def test_introducer_must_be_an_official_member(pipeline, personas, tree):
    p = pipeline.default
    dossier = preparing(p)
    probationary = make_member(tree.branch_a, personas.admin, full_name="Vũ Văn Dự", official_on=None)
    assert probationary.status == MemberStatus.PROBATIONARY
    with pytest.raises(DomainError, match="phải là đảng viên chính thức"):
        introduce(p, dossier, probationary)


def test_introducer_must_have_worked_with_the_candidate_twelve_months(pipeline, members):
    p = pipeline.default
    dossier = preparing(p)
    with pytest.raises(DomainError, match="ít nhất 12 tháng; mới được 11 tháng"):
        introduce(p, dossier, members.an, known_since=D(2023, 4, 1))
    assert introduce(p, dossier, members.an, known_since=D(2023, 3, 12))


def test_introducer_must_belong_to_the_same_base_organization(pipeline, members):
    p = pipeline.default
    dossier = preparing(p)
    # Picked by someone who sees both (a secretary sees only their branch: see test_privacy.py).
    admin = p.personas.admin
    # Phạm Văn Bình is in Chi bộ Khu phố 1, a base branch of its own.
    with pytest.raises(DomainError, match="cùng tổ chức cơ sở đảng"):
        introduce(p, dossier, members.binh, actor=admin)
    # Lê Thị Yến is in another branch of the same base committee: allowed.
    assert introduce(p, dossier, members.yen, actor=admin)


def test_youth_union_resolution_and_one_member_introduce_a_youth_union_member(pipeline, members):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING, categories=[CandidateCategory.YOUTH_UNION_MEMBER])
    introduce(p, dossier, None, kind=Introduction.Kind.YOUTH_UNION, youth_union_resolution_number="12-NQ/ĐTN")
    introduce(p, dossier, members.an)
    from admissions.eligibility import introduction_problems
    from admissions.rules import rules_in_force

    assert introduction_problems(dossier, rules_in_force(on=D(2024, 4, 15))) == []


def test_youth_union_route_is_only_for_youth_union_members(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING, categories=[CandidateCategory.WOMAN])
    with pytest.raises(DomainError, match="Chỉ đoàn viên"):
        introduce(p, dossier, None, kind=Introduction.Kind.YOUTH_UNION, youth_union_resolution_number="12")


def test_youth_union_route_ends_with_youth_age(pipeline):
    p = pipeline.default
    # 31 on the introduction of 12/03/2024: two full members must introduce (Điều lệ Đảng, Điều 4).
    dossier = p.to(DossierStage.PREPARING, categories=[CandidateCategory.YOUTH_UNION_MEMBER], birth_date=D(1993, 1, 1))
    with pytest.raises(DomainError, match="quá tuổi thanh niên.*Điều lệ Đảng, Điều 4"):
        introduce(p, dossier, None, kind=Introduction.Kind.YOUTH_UNION, youth_union_resolution_number="12-NQ/ĐTN")
    p = pipeline.new()
    dossier = p.to(DossierStage.PREPARING, categories=[CandidateCategory.YOUTH_UNION_MEMBER], birth_date=D(1993, 3, 13),
                   full_name="Đinh Văn Tú")  # fmt: skip
    assert introduce(p, dossier, None, kind=Introduction.Kind.YOUTH_UNION, youth_union_resolution_number="12")


def test_one_member_alone_is_not_enough_to_introduce(pipeline, members):
    from admissions.eligibility import introduction_problems
    from admissions.rules import rules_in_force

    p = pipeline.default
    dossier = preparing(p)
    introduce(p, dossier, members.an)
    assert introduction_problems(dossier, rules_in_force(on=D(2024, 4, 15)))


def test_verification_cannot_start_before_the_resume_is_stamped(pipeline):
    p = pipeline.default
    dossier = preparing(p)
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
    dossier = preparing(p)
    services.stamp_resume(actor=p.personas.base, dossier=dossier, stamped_on=D(2024, 3, 11))
    item = services.record_verification_request(
        actor=p.personas.secretary_a, dossier=dossier, relationship="mother", person_name="Y", is_party_member=True
    )
    assert item.is_done and item.request_sent_on is None


def test_resume_is_certified_only_after_every_verification_result(pipeline):
    p = pipeline.default
    dossier = preparing(p)
    services.stamp_resume(actor=p.personas.base, dossier=dossier, stamped_on=D(2024, 3, 11))
    services.record_verification_request(
        actor=p.personas.secretary_a, dossier=dossier, relationship="self", person_name="Lê Thị Hồng Nhung",
        request_sent_to="Công an", request_sent_on=D(2024, 3, 12),
    )  # fmt: skip
    with pytest.raises(DomainError, match="sau khi có đủ kết quả thẩm tra"):
        services.certify_resume(actor=p.personas.base, dossier=dossier, certified_on=D(2024, 4, 5))


def _opinion(pipeline, dossier, source, name):
    services.record_opinion(actor=pipeline.personas.secretary_a, dossier=dossier, source=source,
                            organization_name=name, given_on=D(2024, 4, 8))  # fmt: skip


def test_opinions_are_summarized_only_when_there_are_opinions(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    with pytest.raises(DomainError, match=r"5-KNĐ.*đoàn thể chính trị – xã hội.*chi ủy \(chi bộ\) nơi người vào Đảng"):
        services.summarize_opinions(actor=p.personas.secretary_a, dossier=dossier, summarized_on=D(2024, 4, 9))


def test_the_summary_needs_the_mass_organizations_and_the_residence_committee(pipeline):
    # docs/rules/admission.md "The dossier, in order": opinions of the socio-political organizations where the
    # candidate works and of the committee
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


def test_introducer_known_since_29_february_completes_twelve_months_on_28_february(pipeline, members):
    # Together since 29/02/2024: the 12 months end on 28/02/2025 (no 29/02 in 2025; Bộ luật Dân sự, Điều 148).
    p = pipeline.new(**shifted_dates(D(2025, 4, 15)))
    dossier = preparing(p)
    with pytest.raises(DomainError, match="ít nhất 12 tháng; mới được 11 tháng"):
        introduce(p, dossier, members.an, known_since=D(2024, 2, 29), introduced_on=D(2025, 2, 27))
    assert introduce(p, dossier, members.an, known_since=D(2024, 2, 29), introduced_on=D(2025, 2, 28))
