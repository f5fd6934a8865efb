"""Lost updates: two people editing one member file; every write moves the version on; history as field changes."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import Member, MemberTransition
from members.selectors import history_entries
from partyorg.lib.locking import EditConflict
from tests.factories import decision, personal_id_for

from .roster_files import roster_file, sheet_row
from .test_roster_import import import_file


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_payload(form) -> dict:
    """What the browser would send back for the form as it was shown, before the user types anything."""
    payload = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, dt.date):
            value = f"{value:%d/%m/%Y}"
        payload[name] = "" if value is None else value
    return payload


def _open_edit_form(client, member) -> dict:
    response = client.get(reverse("members:edit", kwargs={"pk": member.pk}))
    assert response.status_code == 200
    assert f'type="hidden" name="version" value="{member.version}"' in response.content.decode()
    return _form_payload(response.context["form"])


def test_second_of_two_concurrent_edits_is_refused_with_who_changed_what(personas, members):
    first, second = _client_for(personas.secretary_a), _client_for(personas.base)
    url = reverse("members:edit", kwargs={"pk": members.an.pk})
    form_of_first = _open_edit_form(first, members.an)
    form_of_second = _open_edit_form(second, members.an)

    assert first.post(url, {**form_of_first, "occupation": "Kỹ sư xây dựng"}).status_code == 302
    response = second.post(url, {**form_of_second, "home_town": "Xã Tân Dĩnh, Lạng Giang, Bắc Giang"})

    assert response.status_code == 200
    members.an.refresh_from_db()
    assert members.an.occupation == "Kỹ sư xây dựng" and members.an.home_town == ""  # nothing of the second written
    message = " ".join(response.context["form"].non_field_errors())
    assert f"Hồ sơ đã được {personas.secretary_a} sửa lúc" in message
    assert "nghề nghiệp: — → Kỹ sư xây dựng" in message and "Hãy xem lại và lưu lại." in message
    assert message in response.content.decode()
    # The second user's input is kept, and the form now carries the version that includes the first's change:
    # saving again is a deliberate choice made after reading the message.
    form = response.context["form"]
    assert form["home_town"].value() == "Xã Tân Dĩnh, Lạng Giang, Bắc Giang"
    assert int(form["version"].value()) == members.an.version
    again = _form_payload(form)
    assert second.post(url, again).status_code == 302
    members.an.refresh_from_db()
    assert members.an.home_town == "Xã Tân Dĩnh, Lạng Giang, Bắc Giang"


def test_an_edit_form_without_its_version_is_refused(client, personas, members):
    client.force_login(personas.secretary_a)
    url = reverse("members:edit", kwargs={"pk": members.an.pk})
    payload = _open_edit_form(client, members.an)
    del payload["version"]
    response = client.post(url, {**payload, "occupation": "Kỹ sư"})
    assert response.status_code == 200 and "tải lại trang" in response.content.decode()
    members.an.refresh_from_db()
    assert members.an.occupation == ""


def test_update_member_refuses_a_stale_version_and_writes_nothing(personas, members):
    seen = members.an.version
    services.update_member(actor=personas.secretary_a, member=members.an, seen_version=seen, occupation="Giáo viên")
    history_count = members.an.history.count()
    with pytest.raises(EditConflict) as refusal:
        services.update_member(actor=personas.base, member=members.an, seen_version=seen, occupation="Bác sĩ")
    members.an.refresh_from_db()
    assert members.an.occupation == "Giáo viên" and members.an.version == seen + 1
    assert members.an.history.count() == history_count
    assert refusal.value.current_version == seen + 1
    assert str(personas.secretary_a) in refusal.value.message and "nghề nghiệp: — → Giáo viên" in refusal.value.message
    # The current version goes through.
    services.update_member(actor=personas.base, member=members.an, seen_version=seen + 1, occupation="Bác sĩ")
    members.an.refresh_from_db()
    assert members.an.occupation == "Bác sĩ" and members.an.version == seen + 2


def test_conflict_message_masks_the_personal_id(personas, members):
    seen = members.an.version
    old_id = members.an.personal_id
    new_id = personal_id_for(members.an.gender, members.an.birth_date, serial=777_001)
    services.change_personal_id(actor=personas.admin, member=members.an, new_personal_id=new_id, reason="Cấp lại")
    with pytest.raises(EditConflict) as refusal:
        services.update_member(actor=personas.base, member=members.an, seen_version=seen, occupation="Bác sĩ")
    message = refusal.value.message
    assert old_id not in message and new_id not in message
    assert f"{old_id[:3]}******{old_id[-3:]} → {new_id[:3]}******{new_id[-3:]}" in message


def _change_status(personas, member, tree):
    services.change_member_status(
        actor=personas.base,
        member=member,
        transition=MemberTransition.RECORD_DEATH,
        effective_on=dt.date(2025, 1, 5),
        **decision(decided_on=dt.date(2025, 1, 6)),
    )


def _transfer(personas, member, tree):
    services.transfer_member(
        actor=personas.base, member=member, to_branch=tree.branch_b, effective_on=dt.date(2025, 1, 5)
    )


def _import_roster(personas, member, tree):
    row = sheet_row(
        **{
            "Họ và tên": member.full_name,
            "Ngày sinh": dt.datetime.combine(member.birth_date, dt.time()),
            "Số CCCD": member.personal_id,
            "Nghề nghiệp": "Hưu trí",
            "Ngày vào Đảng": dt.datetime.combine(member.admission_decided_on, dt.time()),
            "Ngày chính thức": dt.datetime.combine(member.official_on, dt.time()),
        }
    )
    assert import_file(personas.base, tree.base, roster_file([row])).update_count == 1


@pytest.mark.parametrize("change", [_change_status, _transfer, _import_roster])
def test_every_service_that_writes_the_member_moves_the_version_on(personas, members, tree, change):
    """Status changes, transfers and the import's bulk update too: an edit form opened before any of them
    is refused, or it would silently write the old values back."""
    seen = members.an.version
    change(personas, members.an, tree)
    members.an.refresh_from_db()
    assert members.an.version == seen + 1
    assert members.an.history.latest("history_date").version == members.an.version
    with pytest.raises(EditConflict):
        services.update_member(actor=personas.admin, member=members.an, seen_version=seen, other_name="Tư")


def test_a_transfer_from_a_stale_page_does_not_undo_an_edit(personas, members, tree):
    page_copy = Member.objects.get(pk=members.an.pk)  # what the transfer page read
    services.update_member(actor=personas.secretary_a, member=members.an, occupation="Kỹ sư")
    services.transfer_member(
        actor=personas.base, member=page_copy, to_branch=tree.branch_b, effective_on=dt.date(2025, 1, 5)
    )
    members.an.refresh_from_db()
    assert members.an.branch == tree.branch_b and members.an.occupation == "Kỹ sư"


# ---------------------------------------------------------------- history as field changes


def test_history_lists_changed_fields_by_label_with_readable_values(client, personas, members, tree):
    an = members.an
    old_id = an.personal_id
    new_id = personal_id_for(an.gender, an.birth_date, serial=777_002)
    services.update_member(
        actor=personas.secretary_a,
        member=an,
        reason="Bổ sung lý lịch",
        occupation="Kỹ sư",
        political_theory="trung_cap",
        card_issued_on=dt.date(2012, 3, 4),
    )
    services.change_personal_id(actor=personas.admin, member=an, new_personal_id=new_id, reason="Cấp lại")
    services.transfer_member(actor=personas.base, member=an, to_branch=tree.branch_b, effective_on=dt.date(2025, 1, 5))

    transfer, id_change, edit, created = history_entries(an)
    assert (edit.user, edit.reason, edit.created) == (str(personas.secretary_a), "Bổ sung lý lịch", False)
    assert {(c.label, c.old, c.new) for c in edit.changes} == {
        ("nghề nghiệp", "—", "Kỹ sư"),
        ("lý luận chính trị", "Chưa qua đào tạo", "Trung cấp"),
        ("ngày cấp thẻ", "—", "04/03/2012"),
    }
    assert [(c.label, c.old, c.new) for c in id_change.changes] == [
        ("số CCCD / định danh cá nhân", f"{old_id[:3]}******{old_id[-3:]}", f"{new_id[:3]}******{new_id[-3:]}")
    ]
    assert ("chi bộ", "Chi bộ Giáo viên", "Chi bộ Văn phòng") in {(c.label, c.old, c.new) for c in transfer.changes}
    assert created.created and not created.changes

    client.force_login(personas.base)
    html = client.get(reverse("members:detail", kwargs={"pk": an.pk})).content.decode()
    assert "Nghề nghiệp" in html and "Trung cấp" in html and "04/03/2012" in html and "Bổ sung lý lịch" in html
    assert old_id not in html and new_id not in html  # the CCCD is never shown in full
    assert "Changed" not in html and "Created" not in html


def _history_queries(member) -> int:
    with CaptureQueriesContext(connection) as queries:
        history_entries(member)
    return len(queries)


def test_history_entries_take_the_same_few_queries_however_long_the_history(personas, members, tree):
    an, yen = members.an, members.yen
    for member, edits in ((an, 2), (yen, 12)):
        for number in range(edits):
            services.update_member(actor=personas.admin, member=member, occupation=f"Nghề {number}")
    services.transfer_member(actor=personas.base, member=an, to_branch=tree.branch_b, effective_on=dt.date(2025, 1, 5))
    services.transfer_member(actor=personas.base, member=yen, to_branch=tree.branch_a, effective_on=dt.date(2025, 1, 5))
    assert len(history_entries(yen)) == 14
    # The records with their users, then one query for the branch names: not one per entry.
    assert _history_queries(an) == _history_queries(yen) == 2
