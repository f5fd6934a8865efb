"""Admissions show no one outside the user's scope: the introducer picker, the printed 3-KNĐ, the CCCD check."""

import datetime as dt

import pytest
from django.urls import reverse

from admissions import printing, services
from admissions.eligibility import branch_vote_problems
from admissions.models import DossierStage, Introduction
from audit.models import AuditAction, AuditEvent
from members.personal_ids import PERSONAL_ID_TAKEN
from partyorg.lib.errors import DomainError

from .conftest import DATES, person

D = dt.date


def _preparing(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.PREPARING)
    services.record_resume(actor=p.personas.secretary_a, dossier=dossier, submitted_on=DATES["resume_on"])
    return p.refresh()


def _named(dossier, actor, name="Lê Thị Yến", confirmed=True):
    return services.add_introduction(
        actor=actor,
        dossier=dossier,
        kind=Introduction.Kind.MEMBER,
        introducer_name=name,
        introducer_confirmed=confirmed,
        known_since=DATES["known_since"],
        introduced_on=DATES["introduced_on"],
    )


# ---------------------------------------------------------------- 4. the introducer


def test_introducer_picker_offers_only_members_in_the_users_scope(client, pipeline, personas, members):
    dossier = _preparing(pipeline)
    client.force_login(personas.secretary_a)
    url = reverse("admissions:dossier_action", args=[dossier.pk, "introduction"])
    response = client.get(url)
    offered = set(response.context["form"].fields["introducer"].queryset)
    assert offered == {members.an, members.dat}  # Yến (Chi bộ Văn phòng) is in the base but not the secretary's
    page = response.content.decode()
    assert members.yen.full_name not in page
    # Her id posted anyway is not a valid choice.
    response = client.post(
        url,
        {"kind": "member", "introducer": members.yen.pk, "known_since": "01/01/2022", "introduced_on": "12/03/2024"},
    )
    assert response.status_code == 200 and response.context["form"].errors["introducer"]
    assert not dossier.introductions.exists()


def test_the_service_refuses_an_introducer_outside_the_users_scope(pipeline, personas, members):
    dossier = _preparing(pipeline)
    with pytest.raises(DomainError, match="ngoài phạm vi quản lý của bạn"):
        services.add_introduction(
            actor=personas.secretary_a,
            dossier=dossier,
            kind=Introduction.Kind.MEMBER,
            introducer=members.yen,
            known_since=DATES["known_since"],
            introduced_on=DATES["introduced_on"],
        )


def test_an_introducer_from_another_branch_is_named_and_vouched_for_by_the_branch(pipeline, personas, members):
    dossier = _preparing(pipeline)
    secretary = personas.secretary_a
    with pytest.raises(DomainError, match="chi ủy xác minh") as refusal:
        _named(dossier, secretary, confirmed=False)
    assert refusal.value.field == "introducer_confirmed"
    # The twelve months are still checked: they are typed, not read from the registry.
    with pytest.raises(DomainError, match="ít nhất 12 tháng"):
        services.add_introduction(
            actor=secretary, dossier=dossier, kind=Introduction.Kind.MEMBER, introducer_name="Lê Thị Yến",
            introducer_confirmed=True, known_since=D(2023, 6, 1), introduced_on=DATES["introduced_on"],
        )  # fmt: skip
    introduction = _named(dossier, secretary, name="  Lê Thị   Yến ")
    assert (str(introduction), introduction.introducer, introduction.is_typed_by_name) == ("Lê Thị Yến", None, True)
    with pytest.raises(DomainError, match="đã giới thiệu người này"):
        _named(dossier, secretary, name="LÊ THỊ YẾN")
    services.add_introduction(
        actor=secretary, dossier=dossier, kind=Introduction.Kind.MEMBER, introducer=members.an,
        known_since=DATES["known_since"], introduced_on=DATES["introduced_on"],
    )  # fmt: skip
    # A named introducer counts toward the two the vote needs.
    problems = branch_vote_problems(dossier, on=DATES["branch_vote_on"])
    assert not any("người giới thiệu" in problem for problem in problems), problems


def test_a_named_introducer_is_recorded_through_the_page(client, pipeline, personas):
    dossier = _preparing(pipeline)
    client.force_login(personas.secretary_a)
    url = reverse("admissions:dossier_action", args=[dossier.pk, "introduction"])
    data = {"kind": "member", "introducer_name": "Lê Thị Yến", "known_since": "01/01/2022"}
    data.update(introduced_on="12/03/2024", version=dossier.version)
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["introducer_confirmed"]
    response = client.post(url, {**data, "introducer_confirmed": "on"})
    assert response.status_code == 302
    page = client.get(reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    assert "Lê Thị Yến" in page and "chi ủy xác nhận" in page


def test_the_printed_introduction_of_a_named_introducer_carries_only_the_name(pipeline, personas, members):
    dossier = _preparing(pipeline)
    _named(dossier, personas.secretary_a)
    _, context = printing._introduction(printing.load_facts(dossier))
    [sheet] = context["sheets"]
    assert sheet["introducer"] == "Lê Thị Yến"
    assert members.yen.branch.name not in str(sheet)
    assert f"{members.yen.birth_date:%d/%m/%Y}" not in str(sheet)


def test_the_new_members_file_names_a_named_introducer_among_the_members(pipeline, personas, members):
    from admissions.services.votes import introducer_names

    dossier = _preparing(pipeline)
    services.add_introduction(
        actor=personas.secretary_a, dossier=dossier, kind=Introduction.Kind.MEMBER, introducer=members.an,
        known_since=DATES["known_since"], introduced_on=DATES["introduced_on"],
    )  # fmt: skip
    _named(dossier, personas.secretary_a)
    assert introducer_names(dossier) == ["Nguyễn Văn An", "Lê Thị Yến"]


# ---------------------------------------------------------------- 3. the CCCD check of the source pool


def test_the_source_pool_refuses_a_members_personal_id_without_details(client, tree, personas, members):
    client.force_login(personas.secretary_a)
    other = members.other  # another ward: nothing the secretary may see
    data = {
        "branch": tree.branch_a.pk, "full_name": "Đỗ Minh Khôi", "gender": "male",
        "birth_date": f"{other.birth_date:%d/%m/%Y}", "personal_id": other.personal_id, "ethnicity": "Kinh",
        "religion": "Không", "general_education": "upper_secondary", "proposed_by": "youth_union",
        "proposed_on": "01/09/2025",
    }  # fmt: skip
    response = client.post(reverse("admissions:candidate_create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and PERSONAL_ID_TAKEN in page
    for detail in (other.personal_id, other.full_name, tree.other_branch.name, "đã là đảng viên"):
        assert detail not in page
    event = AuditEvent.objects.get(action=AuditAction.CHECK_PERSONAL_ID)
    assert event.actor == personas.secretary_a and other.personal_id not in str(event.details)


def test_the_source_pool_refuses_a_person_with_an_open_dossier_the_same_way(pipeline, personas):
    p = pipeline.default
    dossier = p.to(DossierStage.SOURCE_POOL)
    with pytest.raises(DomainError) as refusal:
        services.add_to_source_pool(
            actor=personas.secretary_b, branch=p.tree.branch_b, proposed_by="youth_union", proposed_on=D(2024, 2, 1),
            **person(full_name="Người Khác", personal_id=dossier.candidate.personal_id),
        )  # fmt: skip
    assert refusal.value.message == PERSONAL_ID_TAKEN
    assert AuditEvent.objects.get(action=AuditAction.CHECK_PERSONAL_ID).actor == personas.secretary_b
