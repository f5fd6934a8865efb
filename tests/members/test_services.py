import datetime as dt

import pytest
from django.urls import reverse

from members import services
from members.models import ActivityGap, BranchMembership, Member, MemberStatus, MemberTransition
from members.selectors import party_age_years
from members.services import (
    MemberValidationError,
    change_member_status,
    create_member,
    transfer_member,
    update_member,
)
from partyorg.lib.errors import DomainError
from tests.factories import decision, make_member, member_data


def problems_of(excinfo) -> dict[str, str]:
    return {field: message for field, message in excinfo.value.problems}


def test_create_member_stores_name_in_nfc_and_trimmed(tree, personas):
    decomposed = "  Nguye\u0302\u0303n  Va\u0306n   An "
    member = create_member(actor=personas.admin, branch=tree.branch_a, **member_data(full_name=decomposed))
    assert member.full_name == "Nguyễn Văn An"
    assert member.search_name == "nguyen van an"
    assert member.status == MemberStatus.OFFICIAL
    assert BranchMembership.objects.get(member=member).branch == tree.branch_a
    assert member.history.first().history_user == personas.admin


def test_member_without_official_date_is_probationary(tree, personas):
    member = create_member(
        actor=personas.admin,
        branch=tree.branch_a,
        **member_data(
            official_on=None, ceremony_held_on=dt.date(2026, 3, 1), admission_decided_on=dt.date(2026, 2, 20)
        ),
    )
    assert member.status == MemberStatus.PROBATIONARY
    assert member.probation_ends_on == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"personal_id": "12345"}, "personal_id", "12 chữ số"),
        ({"personal_id": "02408500012A"}, "personal_id", "12 chữ số"),
        ({"personal_id": "999085000123"}, "personal_id", "Mã tỉnh"),
        ({"personal_id": "024185000123"}, "personal_id", "giới tính"),  # 1 = female, 20th century
        ({"personal_id": "024086000123"}, "personal_id", "năm sinh"),  # born 1985, not 1986
        (
            {
                "birth_date": dt.date(1995, 1, 1),
                "admission_decided_on": dt.date(2012, 12, 31),
                "ceremony_held_on": None,
                "official_on": None,
            },
            "admission_decided_on",
            "18 tuổi",
        ),
        ({"official_on": dt.date(2009, 1, 1)}, "official_on", "trước ngày kết nạp"),
        ({"ceremony_held_on": dt.date(2010, 1, 1)}, "ceremony_held_on", "trước ngày quyết định"),
        (
            {"admission_decided_on": dt.date(2099, 1, 1), "ceremony_held_on": None, "official_on": None},
            "admission_decided_on",
            "sau ngày hôm nay",
        ),
        ({"full_name": "   "}, "full_name", "họ và tên"),
    ],
)
def test_member_record_rules_refuse_bad_input_in_vietnamese(tree, personas, overrides, field, fragment):
    with pytest.raises(MemberValidationError) as excinfo:
        create_member(actor=personas.admin, branch=tree.branch_a, **member_data(**overrides))
    assert fragment in problems_of(excinfo)[field]
    assert not Member.objects.exists()


def test_personal_id_is_unique(tree, personas):
    data = member_data()
    create_member(actor=personas.admin, branch=tree.branch_a, **data)
    with pytest.raises(DomainError) as excinfo:
        create_member(actor=personas.admin, branch=tree.branch_b, **{**data, "full_name": "Người Khác"})
    # Refused without saying whose or where (see tests/members/test_personal_ids.py).
    assert excinfo.value.field == "personal_id" and "đã có trong hệ thống" in excinfo.value.message


def test_members_live_only_in_branches(tree, personas):
    with pytest.raises(
        DomainError, match=r"Đảng viên chỉ sinh hoạt tại chi bộ \(chi bộ trực thuộc hoặc chi bộ cơ sở\)"
    ):
        create_member(actor=personas.admin, branch=tree.base, **member_data())


def test_update_cannot_change_status_or_branch(members, personas, tree):
    with pytest.raises(DomainError, match="Tình trạng và chi bộ chỉ thay đổi qua nghiệp vụ chuyển sinh hoạt"):
        update_member(actor=personas.admin, member=members.an, status=MemberStatus.EXPELLED)
    update_member(actor=personas.admin, member=members.an, occupation="Giáo viên")
    members.an.refresh_from_db()
    assert members.an.occupation == "Giáo viên"
    assert members.an.history.count() == 2


def test_status_change_is_logged_with_decision(members, personas):
    change = change_member_status(
        actor=personas.base,
        member=members.an,
        transition=MemberTransition.STRIKE_OFF,
        effective_on=dt.date(2026, 1, 5),
        **decision(reason="Bỏ sinh hoạt 3 tháng", decided_by="Đảng ủy Trường THPT Ngô Sĩ Liên"),
    )
    members.an.refresh_from_db()
    assert members.an.status == MemberStatus.STRUCK_OFF
    assert (change.actor, change.decision_number, change.from_status) == (personas.base, "12-QĐ/ĐU", "official")
    assert (change.decided_by, change.decided_on, change.reason) == (
        "Đảng ủy Trường THPT Ngô Sĩ Liên",
        dt.date(2026, 1, 5),
        "Bỏ sinh hoạt 3 tháng",
    )
    assert members.an.memberships.get().ended_on == dt.date(2026, 1, 5)
    assert Member.objects.filter(pk=members.an.pk).exists()  # never deleted


def test_probationary_member_cannot_be_expelled(tree, personas):
    member = create_member(
        actor=personas.admin,
        branch=tree.branch_a,
        **member_data(
            official_on=None, admission_decided_on=dt.date(2026, 2, 1), ceremony_held_on=dt.date(2026, 2, 10)
        ),
    )
    with pytest.raises(DomainError, match="Không thể"):
        change_member_status(
            actor=personas.base,
            member=member,
            transition=MemberTransition.EXPEL,
            effective_on=dt.date(2026, 5, 1),
            **decision(),
        )


def test_recognition_is_dated_to_the_end_of_probation(tree, personas):
    member = create_member(
        actor=personas.admin,
        branch=tree.branch_a,
        **member_data(
            official_on=None, admission_decided_on=dt.date(2025, 5, 20), ceremony_held_on=dt.date(2025, 6, 1)
        ),
    )
    with pytest.raises(DomainError, match="01/06/2026"):
        change_member_status(
            actor=personas.base,
            member=member,
            transition=MemberTransition.RECOGNIZE_OFFICIAL,
            effective_on=dt.date(2026, 7, 15),
            **decision(decided_on=dt.date(2026, 7, 15)),
        )
    change_member_status(
        actor=personas.base,
        member=member,
        transition=MemberTransition.RECOGNIZE_OFFICIAL,
        effective_on=dt.date(2026, 6, 1),
        **decision(decided_on=dt.date(2026, 6, 20)),
    )
    member.refresh_from_db()
    assert (member.status, member.official_on) == (MemberStatus.OFFICIAL, dt.date(2026, 6, 1))


def test_exited_member_cannot_take_an_exit_twice(members, personas):
    change_member_status(
        actor=personas.base,
        member=members.an,
        transition=MemberTransition.RECORD_DEATH,
        effective_on=dt.date(2026, 1, 5),
        **decision(),
    )
    with pytest.raises(DomainError, match="Không thể «Xóa tên» khi đảng viên đang ở tình trạng «Từ trần»"):
        change_member_status(
            actor=personas.base,
            member=members.an,
            transition=MemberTransition.STRIKE_OFF,
            effective_on=dt.date(2026, 2, 5),
            **decision(),
        )


def test_party_age_counts_from_decision_minus_gaps(members, personas):
    member = members.an  # decided 19/05/2010
    assert party_age_years(member, on=dt.date(2020, 5, 19)) == 10
    change_member_status(
        actor=personas.base,
        member=member,
        transition=MemberTransition.STRIKE_OFF,
        effective_on=dt.date(2015, 5, 19),
        **decision(decided_on=dt.date(2015, 5, 19)),
    )
    change_member_status(
        actor=personas.base,
        member=member,
        transition=MemberTransition.REINSTATE,
        effective_on=dt.date(2017, 5, 19),
        **decision(decision_number="5-QĐ/TU", decided_by="Ban Thường vụ Tỉnh ủy", decided_on=dt.date(2017, 5, 10)),
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert ActivityGap.objects.get(member=member).started_on == dt.date(2015, 5, 19)
    assert party_age_years(member, on=dt.date(2020, 5, 19)) == 8


def test_transfer_keeps_branch_history(members, personas, tree):
    transfer_member(actor=personas.base, member=members.an, to_branch=tree.branch_b, effective_on=dt.date(2026, 3, 1))
    periods = list(members.an.memberships.order_by("started_on"))
    assert [(p.branch, p.ended_on) for p in periods] == [(tree.branch_a, dt.date(2026, 3, 1)), (tree.branch_b, None)]


@pytest.mark.parametrize("field", ["official_on", "ceremony_held_on"])
def test_dates_set_by_their_steps_are_not_corrected_in_the_file(personas, members, field):
    """The ceremony starts the probation and the recognition decision makes a member official: editing the file
    must not move either date without the step behind it."""
    before = getattr(members.an, field)
    with pytest.raises(DomainError, match="chỉ ghi qua bước") as refused:
        services.update_member(
            actor=personas.base, member=members.an, seen_version=members.an.version, **{field: dt.date(2012, 1, 1)}
        )
    assert refused.value.field == field
    members.an.refresh_from_db()
    assert getattr(members.an, field) == before


def test_the_edit_form_offers_no_step_dates(client, personas, members):
    client.force_login(personas.base)
    form = client.get(reverse("members:edit", kwargs={"pk": members.an.pk})).context["form"]
    assert "official_on" not in form.fields and "ceremony_held_on" not in form.fields
    assert "admission_decided_on" in form.fields
    create_form = client.get(reverse("members:create")).context["form"]
    assert "official_on" in create_form.fields  # registering a member already admitted gives their dates


def test_the_ceremony_is_recorded_once_for_a_probationary_member(personas, tree):
    member = make_member(tree.branch_a, personas.admin, ceremony_held_on=None, official_on=None)
    assert member.status == "probationary"
    member = services.record_ceremony(actor=personas.secretary_a, member=member, held_on=dt.date(2010, 6, 2))
    assert member.ceremony_held_on == dt.date(2010, 6, 2)
    assert member.history.first().history_change_reason == "Lễ kết nạp"
    with pytest.raises(DomainError, match="Đã ghi lễ kết nạp"):
        services.record_ceremony(actor=personas.secretary_a, member=member, held_on=dt.date(2010, 6, 3))
