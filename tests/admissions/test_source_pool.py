"""Step 0–1 of admission: the source pool, the sympathizer list and the Party-awareness certificate.

Each rule refused with a Vietnamese message that names it; the rules and their sources: docs/rules/."""

import datetime as dt

import pytest

from admissions import services
from admissions.models import DossierStage
from partyorg.lib.errors import DomainError
from tests.factories import make_member

from .steps import into_source_pool

D = dt.date


@pytest.mark.parametrize("proposed_by", ["youth_union", "womens_union", "farmers_union", "veterans_union",
                                         "trade_union", "fatherland_front"])  # fmt: skip
def test_source_pool_takes_candidates_proposed_by_the_mass_organizations(pipeline, proposed_by):
    p = pipeline.default
    dossier = into_source_pool(
        p, proposed_by=proposed_by, categories=["woman", "intellectual"], merits="Chiến sĩ thi đua"
    )
    assert dossier.stage == DossierStage.SOURCE_POOL
    assert dossier.candidate.categories == ["woman", "intellectual"] and dossier.candidate.merits
    event = dossier.events.get()
    assert event.actor == p.personas.secretary_a and event.effective_on == D(2024, 1, 10)


def test_source_pool_refuses_an_unknown_proposer_and_a_member_route_without_the_member(pipeline, members):
    p = pipeline.default
    with pytest.raises(DomainError, match="Đoàn Thanh niên, Hội Liên hiệp Phụ nữ.*hoặc một đảng viên giới thiệu"):
        into_source_pool(p, proposed_by="neighbour")
    with pytest.raises(DomainError, match="Chọn đảng viên đã giới thiệu"):
        into_source_pool(p, proposed_by="member")
    with pytest.raises(DomainError, match="Đối tượng không hợp lệ"):
        into_source_pool(p, categories=["astronaut"])
    assert (
        into_source_pool(p, proposed_by="member", proposed_by_member=members.an).candidate.proposed_by_member
        == members.an
    )


def test_a_member_cannot_be_added_to_the_source_pool(pipeline, members):
    from admissions.models import ProposedBy

    # Said without naming whose or where: the number may belong to anyone in the country (members.personal_ids).
    with pytest.raises(DomainError, match="đã có trong hệ thống"):
        services.add_to_source_pool(
            actor=pipeline.default.personas.secretary_a, branch=pipeline.default.tree.branch_a,
            proposed_by=ProposedBy.MEMBER, proposed_by_member=members.an, proposed_on=D(2024, 1, 1),
            full_name="X", gender=members.an.gender, birth_date=members.an.birth_date,
            personal_id=members.an.personal_id, general_education="upper_secondary",
        )  # fmt: skip


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
