"""Status changes stand on their decision, offer only what the status allows, and are written only once confirmed."""

import datetime as dt

import pytest
from django.urls import reverse

from members.models import MemberStatus, MemberStatusChange, MemberTransition
from members.services import change_member_status, plan_status_change
from partyorg.lib.dates import today
from partyorg.lib.errors import DomainError
from tests.factories import decision

TERMINAL_DECISION = {"decision_number", "decided_by", "decided_on", "reason"}


@pytest.mark.parametrize(
    "transition, required",
    [
        (MemberTransition.EXPEL, TERMINAL_DECISION),
        (MemberTransition.STRIKE_OFF, TERMINAL_DECISION),
        (MemberTransition.ALLOW_TO_LEAVE, TERMINAL_DECISION),
        # A death rests on the document that reports it; its cause is not asked.
        (MemberTransition.RECORD_DEATH, {"decision_number", "decided_by", "decided_on"}),
    ],
)
def test_terminal_change_without_its_decision_is_refused(members, personas, transition, required):
    with pytest.raises(DomainError) as excinfo:
        change_member_status(
            actor=personas.base, member=members.an, transition=transition, effective_on=dt.date(2026, 1, 5)
        )
    assert {field for field, _ in excinfo.value.problems} == required
    assert excinfo.value.field == "decision_number"
    members.an.refresh_from_db()
    assert members.an.status == MemberStatus.OFFICIAL
    assert not MemberStatusChange.objects.exists()


@pytest.mark.parametrize("missing", sorted(TERMINAL_DECISION))
def test_expel_names_each_missing_part_of_the_decision(members, personas, missing):
    with pytest.raises(DomainError) as excinfo:
        change_member_status(
            actor=personas.base,
            member=members.an,
            transition=MemberTransition.EXPEL,
            effective_on=dt.date(2026, 1, 5),
            **decision(**{missing: None if missing == "decided_on" else "  "}),
        )
    assert excinfo.value.field == missing
    assert "«Khai trừ» phải ghi" in excinfo.value.message


def test_reinstatement_needs_its_decision_number(members, personas):
    change_member_status(
        actor=personas.base,
        member=members.an,
        transition=MemberTransition.STRIKE_OFF,
        effective_on=dt.date(2025, 1, 5),
        **decision(decided_on=dt.date(2025, 1, 5)),
    )
    with pytest.raises(DomainError) as excinfo:
        change_member_status(
            actor=personas.base,
            member=members.an,
            transition=MemberTransition.REINSTATE,
            effective_on=dt.date(2026, 1, 5),
            **decision(decision_number=""),
        )
    assert excinfo.value.field == "decision_number"


@pytest.mark.parametrize(
    "field, day, message",
    [
        ("effective_on", dt.date(1930, 2, 2), "không được trước ngày thành lập Đảng (03/02/1930)"),
        ("decided_on", dt.date(1929, 12, 31), "không được trước ngày thành lập Đảng (03/02/1930)"),
        ("effective_on", None, "không được sau ngày hôm nay"),
        ("decided_on", None, "không được sau ngày hôm nay"),
    ],
)
def test_status_change_dates_are_bounded(members, personas, field, day, message):
    day = day or today() + dt.timedelta(days=1)
    dates = {"effective_on": dt.date(2026, 1, 5), "decided_on": dt.date(2026, 1, 5), field: day}
    with pytest.raises(DomainError) as excinfo:
        change_member_status(
            actor=personas.base,
            member=members.an,
            transition=MemberTransition.EXPEL,
            **decision(decided_on=dates["decided_on"]),
            effective_on=dates["effective_on"],
        )
    assert message in excinfo.value.message
    assert excinfo.value.field == field


def test_the_party_founding_day_itself_is_a_valid_date(members, personas):
    change_member_status(
        actor=personas.base,
        member=members.an,
        transition=MemberTransition.RECORD_DEATH,
        effective_on=dt.date(1930, 2, 3),
        **decision(decided_on=dt.date(1930, 2, 3)),
    )


def test_plan_says_what_will_happen_and_changes_nothing(members, personas):
    plan = plan_status_change(
        actor=personas.base,
        member=members.an,
        transition=MemberTransition.EXPEL,
        effective_on=dt.date(2026, 1, 5),
        **decision(),
    )
    assert plan.summary == [
        "Nguyễn Văn An sẽ chuyển từ «Đảng viên chính thức» sang «Khai trừ», kết thúc sinh hoạt tại Chi bộ Giáo viên "
        "từ 05/01/2026; không thể hoàn tác trừ khi có quyết định «Tiếp nhận trở lại / khôi phục đảng tịch».",
        "Căn cứ: Quyết định số 12-QĐ/ĐU ngày 05/01/2026 của Đảng ủy Trường THPT Ngô Sĩ Liên.",
        "Lý do: Vi phạm tư cách đảng viên",
    ]
    members.an.refresh_from_db()
    assert members.an.status == MemberStatus.OFFICIAL
    assert not MemberStatusChange.objects.exists()
    death = plan_status_change(
        actor=personas.base,
        member=members.an,
        transition=MemberTransition.RECORD_DEATH,
        effective_on=dt.date(2026, 1, 5),
        **decision(reason=""),
    )
    assert death.summary[0].endswith("từ 05/01/2026; không thể hoàn tác.")


# The form and its two steps.


def _url(member):
    return reverse("members:change_status", kwargs={"pk": member.pk})


def _expel_payload(**overrides):
    return {
        "transition": "expel",
        "effective_on": "05/01/2026",
        "decision_number": "12-QĐ/UBKT",
        "decided_by": "Ủy ban Kiểm tra Đảng ủy phường Xương Giang",
        "decided_on": "05/01/2026",
        "reason": "Vi phạm nghiêm trọng Điều lệ Đảng",
        **overrides,
    }


def test_the_choice_starts_empty_and_lists_only_what_an_official_member_can_take(client, personas, members):
    client.force_login(personas.base)
    response = client.get(_url(members.an))
    choices = response.context["form"].fields["transition"].choices
    assert choices == [
        ("", "— Chọn thay đổi —"),
        ("strike_off", "Xóa tên"),
        ("expel", "Khai trừ"),
        ("allow_to_leave", "Cho ra khỏi Đảng"),
        ("record_death", "Từ trần"),
        ("transfer_out", "Chuyển sinh hoạt đi"),
    ]
    html = response.content.decode()
    assert "Công nhận chính thức" not in html
    assert '<option value="" selected>— Chọn thay đổi —</option>' in html


def test_an_exited_member_is_offered_only_reinstatement_or_nothing(client, personas, members):
    client.force_login(personas.base)
    change_member_status(
        actor=personas.base,
        member=members.an,
        transition=MemberTransition.EXPEL,
        effective_on=dt.date(2026, 1, 5),
        **decision(),
    )
    choices = client.get(_url(members.an)).context["form"].fields["transition"].choices
    assert [value for value, _ in choices] == ["", "reinstate"]
    change_member_status(
        actor=personas.base,
        member=members.yen,
        transition=MemberTransition.RECORD_DEATH,
        effective_on=dt.date(2026, 1, 5),
        **decision(),
    )
    html = client.get(_url(members.yen)).content.decode()
    assert "Không có thay đổi tình trạng nào" in html and 'name="transition"' not in html


@pytest.mark.parametrize("confirm", [{}, {"confirm": "1"}])
def test_expel_without_decision_is_refused_on_the_form(client, personas, members, confirm):
    client.force_login(personas.base)
    payload = _expel_payload(decision_number="", decided_by="", decided_on="", reason="", **confirm)
    response = client.post(_url(members.an), payload)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"decision_number", "decided_by", "decided_on", "reason"} <= errors.keys()
    assert "«Khai trừ» phải ghi số quyết định." in errors["decision_number"]
    assert response.context["plan"] is None
    members.an.refresh_from_db()
    assert members.an.status == MemberStatus.OFFICIAL


def test_unconfirmed_post_shows_the_consequence_and_changes_nothing(client, personas, members):
    client.force_login(personas.base)
    response = client.post(_url(members.an), _expel_payload())
    assert response.status_code == 200
    html = response.content.decode()
    assert "sẽ chuyển từ «Đảng viên chính thức» sang «Khai trừ»" in html
    assert "kết thúc sinh hoạt tại Chi bộ Giáo viên từ 05/01/2026" in html
    assert 'name="confirm" value="1"' in html
    assert '<input type="hidden" name="decided_by" value="Ủy ban Kiểm tra Đảng ủy phường Xương Giang"' in html
    members.an.refresh_from_db()
    assert members.an.status == MemberStatus.OFFICIAL
    assert not MemberStatusChange.objects.exists()
    # "Sửa lại" brings the filled form back, still without change.
    response = client.post(_url(members.an), {**_expel_payload(), "edit": "1"})
    assert response.context["plan"] is None and response.context["form"]["decided_by"].value()
    assert not MemberStatusChange.objects.exists()


def test_confirmed_post_writes_the_change_with_its_decision(client, personas, members):
    client.force_login(personas.base)
    response = client.post(_url(members.an), {**_expel_payload(), "confirm": "1"})
    assert response.status_code == 302
    members.an.refresh_from_db()
    assert members.an.status == MemberStatus.EXPELLED
    change = MemberStatusChange.objects.get()
    assert (change.decision_number, change.decided_by, change.decided_on) == (
        "12-QĐ/UBKT",
        "Ủy ban Kiểm tra Đảng ủy phường Xương Giang",
        dt.date(2026, 1, 5),
    )
    detail = client.get(reverse("members:detail", kwargs={"pk": members.an.pk})).content.decode()
    assert "Quyết định số 12-QĐ/UBKT ngày 05/01/2026 của Ủy ban Kiểm tra Đảng ủy phường Xương Giang" in detail


@pytest.mark.parametrize(
    "typed, message",
    [
        ("02/02/1930", "Ngày hiệu lực (02/02/1930) không được trước ngày thành lập Đảng (03/02/1930)."),
        ("future", "không được sau ngày hôm nay."),
    ],
)
def test_form_refuses_dates_outside_party_life_in_vietnamese(client, personas, members, typed, message):
    client.force_login(personas.base)
    if typed == "future":
        typed = f"{today() + dt.timedelta(days=1):%d/%m/%Y}"
    response = client.post(_url(members.an), _expel_payload(effective_on=typed))
    assert response.status_code == 200
    assert message in response.context["form"].errors["effective_on"][0]
    members.an.refresh_from_db()
    assert members.an.status == MemberStatus.OFFICIAL
