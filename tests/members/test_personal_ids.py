"""Personal ids (CCCD) do not leak around the audited reveal: the edit form, the search, the duplicate check."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from members.models import Member
from members.personal_ids import PERSONAL_ID_TAKEN, lookup_details, personal_id_in_query
from members.services import change_personal_id, create_member, update_member
from organizations.permissions import ACTION_ROLES, FILE_KEEPER_ROLES, Action
from partyorg.lib.errors import DomainError
from tests.factories import member_data, personal_id_for

from .test_views import form_payload, names_in


def audit_rows(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("at", "id"))


def assert_not_in_clear(event: AuditEvent, personal_id: str) -> None:
    assert personal_id not in str(event.details) and personal_id not in event.target_label


# ---------------------------------------------------------------- 1. the edit form and the change of a CCCD


def test_edit_form_shows_the_personal_id_masked_and_read_only(client, personas, members):
    client.force_login(personas.secretary_a)
    page = client.get(reverse("members:edit", args=[members.an.pk])).content.decode()
    assert members.an.personal_id not in page
    assert members.an.masked_personal_id in page
    assert 'name="personal_id"' not in page


def test_edit_form_ignores_a_posted_personal_id(client, personas, members):
    client.force_login(personas.base)
    before = members.an.personal_id
    payload = form_payload(**{f: getattr(members.an, f) for f in ("full_name", "gender", "birth_date")})
    payload.update(personal_id=personal_id_for("male", members.an.birth_date), occupation="Kỹ sư")
    payload["version"] = members.an.version
    response = client.post(reverse("members:edit", args=[members.an.pk]), payload)
    assert response.status_code == 302
    members.an.refresh_from_db()
    assert (members.an.occupation, members.an.personal_id) == ("Kỹ sư", before)


def test_update_member_refuses_a_personal_id(personas, members):
    with pytest.raises(DomainError, match="Đổi số CCCD"):
        update_member(actor=personas.admin, member=members.an, personal_id=personal_id_for("male", dt.date(1985, 1, 1)))


def test_edit_form_links_to_the_change_only_for_file_keepers(client, personas, members):
    url = reverse("members:change_personal_id", args=[members.an.pk])
    client.force_login(personas.secretary_a)
    assert url not in client.get(reverse("members:edit", args=[members.an.pk])).content.decode()
    client.force_login(personas.base)
    assert url in client.get(reverse("members:edit", args=[members.an.pk])).content.decode()


def test_changing_a_personal_id_is_its_own_audited_act(personas, members):
    old, new = members.an.personal_id, personal_id_for("male", members.an.birth_date)
    change_personal_id(actor=personas.base, member=members.an, new_personal_id=new, reason="Cấp lại thẻ CCCD")
    members.an.refresh_from_db()
    assert members.an.personal_id == new
    latest = members.an.history.first()
    assert (latest.history_user, latest.history_change_reason) == (personas.base, "Đổi số CCCD: Cấp lại thẻ CCCD")
    [event] = audit_rows(AuditAction.CHANGE_PERSONAL_ID)
    assert (event.actor, event.target_id) == (personas.base, str(members.an.pk))
    assert event.details["reason"] == "Cấp lại thẻ CCCD"
    for number in (old, new):
        assert_not_in_clear(event, number)


def test_a_number_typed_into_the_reason_is_not_kept(personas, members, client):
    new = personal_id_for("male", members.an.birth_date)
    change_personal_id(actor=personas.base, member=members.an, new_personal_id=new, reason=f"Sửa thành {new}")
    client.force_login(personas.base)
    assert new not in client.get(reverse("members:detail", args=[members.an.pk])).content.decode()
    assert new not in str(AuditEvent.objects.get(action=AuditAction.CHANGE_PERSONAL_ID).details)


def test_only_file_keepers_change_a_personal_id(personas, members):
    new = personal_id_for("male", members.an.birth_date)
    with pytest.raises(PermissionDenied):
        change_personal_id(actor=personas.secretary_a, member=members.an, new_personal_id=new, reason="Sửa")
    with pytest.raises(PermissionDenied):
        change_personal_id(actor=personas.outsider, member=members.an, new_personal_id=new, reason="Sửa")


@pytest.mark.parametrize(
    "new, reason, fragment",
    [
        ("024185000999", "Sửa số nhập sai", "giới tính"),  # An is male: the 4th digit must be 0
        ("12345", "Sửa số nhập sai", "12 chữ số"),
        ("024085000777", "  ", "lý do"),
    ],
)
def test_a_changed_personal_id_obeys_the_registry_rules(personas, members, new, reason, fragment):
    with pytest.raises(DomainError, match=fragment):
        change_personal_id(actor=personas.base, member=members.an, new_personal_id=new, reason=reason)
    assert Member.objects.get(pk=members.an.pk).personal_id == members.an.personal_id


def test_a_changed_personal_id_taken_elsewhere_is_refused_without_details(personas, members):
    taken = members.dat.personal_id  # same birth century and gender as An
    dat = Member.objects.get(pk=members.dat.pk)
    dat.personal_id = personal_id_for("male", members.an.birth_date)
    dat.save()
    with pytest.raises(DomainError) as refusal:
        change_personal_id(
            actor=personas.base, member=members.an, new_personal_id=dat.personal_id, reason="Sửa số nhập sai"
        )
    assert refusal.value.message == PERSONAL_ID_TAKEN
    [event] = audit_rows(AuditAction.CHECK_PERSONAL_ID)
    assert_not_in_clear(event, dat.personal_id)
    assert taken


def test_change_page_for_file_keepers_never_shows_the_stored_number(client, personas, members):
    url = reverse("members:change_personal_id", args=[members.an.pk])
    client.force_login(personas.secretary_a)
    assert client.get(url).status_code == 403
    client.force_login(personas.base)
    page = client.get(url).content.decode()
    assert members.an.personal_id not in page and members.an.masked_personal_id in page
    new = personal_id_for("male", members.an.birth_date)
    data = {"personal_id": new, "reason": "Cấp lại thẻ CCCD", "gender": "male", "birth_date": "14/03/1985"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Member.objects.get(pk=members.an.pk).personal_id == new


def test_a_birth_year_typed_wrong_with_the_personal_id_is_corrected_in_the_same_act(personas, members):
    # Both entered wrong: neither the edit form (the CCCD must agree) nor a CCCD change alone could mend it.
    right_birth = dt.date(1986, 3, 14)
    right_id = personal_id_for("male", right_birth)
    with pytest.raises(DomainError, match="năm sinh"):
        change_personal_id(actor=personas.base, member=members.an, new_personal_id=right_id, reason="Sửa")
    with pytest.raises(DomainError, match="không khớp"):
        update_member(actor=personas.base, member=Member.objects.get(pk=members.an.pk), birth_date=right_birth)
    change_personal_id(
        actor=personas.base, member=members.an, new_personal_id=right_id, reason="Sửa", birth_date=right_birth
    )
    members.an.refresh_from_db()
    assert (members.an.personal_id, members.an.birth_date) == (right_id, right_birth)
    assert AuditEvent.objects.get(action=AuditAction.CHANGE_PERSONAL_ID).details["also_corrected"] == ["birth_date"]


def test_the_admin_site_neither_shows_nor_searches_the_personal_id(client, personas, members):
    client.force_login(personas.admin)
    page = client.get(reverse("admin:members_member_change", args=[members.an.pk])).content.decode()
    assert members.an.masked_personal_id in page and members.an.personal_id not in page
    listing = client.get(reverse("admin:members_member_changelist"), {"q": members.an.personal_id})
    assert members.an.full_name not in listing.content.decode()


# ---------------------------------------------------------------- 3. the duplicate check on registration


def test_a_duplicate_personal_id_is_refused_without_saying_whose_or_where(client, personas, members, tree):
    client.force_login(personas.base)
    other = members.other  # Khu phố 5, another ward: outside the base staff's scope
    payload = form_payload(full_name="Người Thử", birth_date=other.birth_date, personal_id=other.personal_id)
    payload["branch"] = tree.branch_a.pk
    response = client.post(reverse("members:create"), payload)
    page = response.content.decode()
    assert response.status_code == 200 and PERSONAL_ID_TAKEN in page
    for detail in (other.personal_id, other.full_name, tree.other_branch.name):
        assert detail not in page
    assert not Member.objects.filter(full_name="Người Thử").exists()
    [event] = audit_rows(AuditAction.CHECK_PERSONAL_ID)
    assert (event.actor, event.record_count, event.target_id) == (personas.base, 1, "")
    assert event.details == lookup_details(other.personal_id)
    assert_not_in_clear(event, other.personal_id)


def test_registering_with_an_unused_personal_id_writes_no_lookup(personas, tree):
    create_member(actor=personas.base, branch=tree.branch_a, **member_data())
    assert not AuditEvent.objects.exists()


def test_duplicate_checks_share_the_hourly_limit_with_searches(personas, members, tree, settings):
    settings.PERSONAL_ID_LOOKUPS_PER_HOUR = 2
    duplicate = member_data(full_name="Người Thử", birth_date=members.an.birth_date, personal_id=members.an.personal_id)
    for _ in range(2):
        with pytest.raises(DomainError, match="đã có trong hệ thống"):
            create_member(actor=personas.base, branch=tree.branch_a, **duplicate)
    # Used up: no answer at all any more, not even for a number that is free.
    for data in (duplicate, member_data(full_name="Người Mới")):
        with pytest.raises(DomainError, match="dùng hết 2 lượt tra cứu số CCCD"):
            create_member(actor=personas.base, branch=tree.branch_a, **data)
    assert not Member.objects.filter(full_name__in=["Người Thử", "Người Mới"]).exists()
    assert len(audit_rows(AuditAction.CHECK_PERSONAL_ID)) == 2
    # Other users keep their own allowance.
    assert create_member(actor=personas.superior, branch=tree.branch_a, **member_data(full_name="Người Mới"))


# ---------------------------------------------------------------- 2. search by a full CCCD


@pytest.mark.parametrize("typed", ["{}", " {} ", "{0:.3} {1} {2} {3}", "{0:.3}.{1}.{2}.{3}"])
def test_searching_a_full_personal_id_is_an_audited_reveal(client, personas, members, typed):
    number = members.yen.personal_id
    query = typed.format(number, number[3:6], number[6:9], number[9:]) if "{1}" in typed else typed.format(number)
    client.force_login(personas.province)
    response = client.get(reverse("members:list"), {"q": query})
    assert names_in(response) == ["Lê Thị Yến"]
    [event] = audit_rows(AuditAction.SEARCH_PERSONAL_ID)
    assert (event.actor, event.record_count, event.target_id) == (personas.province, 1, str(members.yen.pk))
    assert event.details == lookup_details(number)
    assert_not_in_clear(event, number)
    assert "ghi vào nhật ký" in response.content.decode()


def test_a_search_that_finds_nobody_is_logged_too(client, personas, members):
    client.force_login(personas.province)
    number = personal_id_for("male", dt.date(1999, 9, 9))
    assert names_in(client.get(reverse("members:list"), {"q": number})) == []
    [event] = audit_rows(AuditAction.SEARCH_PERSONAL_ID)
    assert (event.record_count, event.target_id) == (0, "")


def test_a_full_personal_id_finds_nobody_outside_the_scope(client, personas, members):
    client.force_login(personas.secretary_a)
    assert names_in(client.get(reverse("members:list"), {"q": members.yen.personal_id})) == []
    assert audit_rows(AuditAction.SEARCH_PERSONAL_ID)[0].record_count == 0


@pytest.mark.parametrize("part", [slice(0, 9), slice(3, 12), slice(0, 11), slice(6, 12)])
def test_part_of_a_personal_id_matches_nothing(client, personas, members, part):
    client.force_login(personas.province)
    assert names_in(client.get(reverse("members:list"), {"q": members.yen.personal_id[part]})) == []
    assert not AuditEvent.objects.exists()


def test_digits_still_find_card_and_profile_numbers(client, personas, members):
    Member.objects.filter(pk=members.yen.pk).update(card_number="0123456789", profile_number="778899")
    client.force_login(personas.province)
    assert names_in(client.get(reverse("members:list"), {"q": "0123456789"})) == ["Lê Thị Yến"]
    assert names_in(client.get(reverse("members:list"), {"q": "778899"})) == ["Lê Thị Yến"]
    assert not AuditEvent.objects.exists()


def test_searches_by_personal_id_are_limited_per_user_per_hour(client, personas, members, settings):
    settings.PERSONAL_ID_LOOKUPS_PER_HOUR = 3
    client.force_login(personas.province)
    for _ in range(3):
        assert names_in(client.get(reverse("members:list"), {"q": members.yen.personal_id})) == ["Lê Thị Yến"]
    response = client.get(reverse("members:list"), {"q": members.yen.personal_id})
    assert response.status_code == 200
    assert names_in(response) == []
    assert "dùng hết 3 lượt tra cứu số CCCD" in response.content.decode()
    assert len(audit_rows(AuditAction.SEARCH_PERSONAL_ID)) == 3
    # An hour later the oldest lookup no longer counts.
    oldest = audit_rows(AuditAction.SEARCH_PERSONAL_ID)[0]
    AuditEvent.objects.filter(pk=oldest.pk).update(at=timezone.now() - dt.timedelta(hours=1, minutes=1))
    assert names_in(client.get(reverse("members:list"), {"q": members.yen.personal_id})) == ["Lê Thị Yến"]


def test_only_roles_that_may_reveal_search_by_personal_id(client, personas, members, monkeypatch):
    monkeypatch.setitem(ACTION_ROLES, Action.REVEAL_PERSONAL_ID, FILE_KEEPER_ROLES)
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:list"), {"q": members.an.personal_id})
    assert names_in(response) == []
    assert "không có quyền tìm đảng viên theo số CCCD" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_the_export_searches_by_personal_id_through_the_same_audited_lookup(client, personas, members):
    client.force_login(personas.province)
    response = client.post(reverse("members:export"), {"q": members.yen.personal_id})
    assert response.status_code == 200
    [search] = audit_rows(AuditAction.SEARCH_PERSONAL_ID)
    assert search.record_count == 1
    assert AuditEvent.objects.get(action=AuditAction.EXPORT_PERSONAL_DATA).record_count == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("024085000123", "024085000123"),
        ("024 085 000 123", "024085000123"),
        ("024.085.000.123", "024085000123"),
        ("02408500012", None),
        ("0240850001234", None),
        ("٠٢٤٠٨٥٠٠٠١٢٣", None),  # Arabic-Indic digits: not a CCCD
        ("Nguyễn Văn An", None),
    ],
)
def test_what_counts_as_a_full_personal_id(text, expected):
    assert personal_id_in_query(text) == expected


def test_a_roster_check_that_finds_members_of_other_organizations_is_logged(personas, members, tree):
    from members import roster_services

    from .roster_files import roster_file, sheet_row

    birth = dt.datetime.combine(members.other.birth_date, dt.time())
    stream = roster_file([sheet_row(**{"Số CCCD": members.other.personal_id, "Ngày sinh": birth}), sheet_row()])
    roster_import = roster_services.start_roster_import(
        actor=personas.base, organization=tree.base, file=stream, file_name=stream.name, queue=False
    )
    roster_services.check_roster_import(roster_import_id=roster_import.pk)
    [event] = audit_rows(AuditAction.CHECK_PERSONAL_ID)
    assert (event.actor, event.record_count, event.target_id) == (personas.base, 1, str(roster_import.pk))
    assert_not_in_clear(event, members.other.personal_id)
