import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from members.models import Member, MemberStatus
from tests.factories import make_member, member_data


def names_in(response) -> list[str]:
    return [m.full_name for m in response.context["page"]]


def test_search_ignores_diacritics(client, personas, members):
    client.force_login(personas.province)
    response = client.get(reverse("members:list"), {"q": "nguyen van an"})
    assert names_in(response) == ["Nguyễn Văn An"]
    response = client.get(reverse("members:list"), {"q": "HOÀNG văn ÂN"})
    assert names_in(response) == ["Hoàng Văn Ân"]


def test_search_by_personal_id(client, personas, members):
    client.force_login(personas.province)
    assert names_in(client.get(reverse("members:list"), {"q": members.yen.personal_id})) == ["Lê Thị Yến"]


def test_list_is_sorted_by_given_name_the_vietnamese_way(client, personas, tree):
    for name in [
        "Nguyễn Văn Ước",
        "Trần Thị Ánh",
        "Lê Văn An",
        "Phạm Đức Đạt",
        "Bùi Văn Dũng",
        "Đỗ Thị Ân",
        "Vũ Văn Ấn",
    ]:
        make_member(tree.branch_a, personas.admin, full_name=name)
    client.force_login(personas.secretary_a)
    names = names_in(client.get(reverse("members:list")))
    # a < ă < â, d < đ, u < ư; then tones: level before acute
    assert names == [
        "Lê Văn An",
        "Trần Thị Ánh",
        "Đỗ Thị Ân",
        "Vũ Văn Ấn",
        "Bùi Văn Dũng",
        "Phạm Đức Đạt",
        "Nguyễn Văn Ước",
    ]


def test_secretary_sees_only_own_branch(client, personas, members):
    client.force_login(personas.secretary_a)
    assert sorted(names_in(client.get(reverse("members:list")))) == ["Nguyễn Văn An", "Trần Đức Đạt"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"gender": "female"}, ["Lê Thị Yến"]),
        ({"age_band": "61-70"}, ["Phạm Văn Bình"]),
        ({"org": "branch_b"}, ["Lê Thị Yến"]),
        ({"ethnicity": "Tày"}, []),
        ({"political_theory": "cao_cap"}, []),
    ],
)
def test_list_filters(client, personas, members, tree, params, expected, monkeypatch):
    # Age bands count from today: a fixed day keeps the result the same whenever the suite runs.
    monkeypatch.setattr("partyorg.lib.dates.today", lambda: dt.date(2026, 6, 15))  # Bình, born 02/02/1960, is 66
    if params.get("org"):
        params = {"org": getattr(tree, params["org"]).pk}
    client.force_login(personas.superior)
    assert names_in(client.get(reverse("members:list"), params)) == expected


@pytest.mark.parametrize(
    "on, band, expected",
    [
        (dt.date(2031, 2, 1), "61-70", ["Phạm Văn Bình"]),  # the day before his 71st birthday
        (dt.date(2031, 2, 2), "61-70", []),
        (dt.date(2031, 2, 2), "71+", ["Phạm Văn Bình"]),
    ],
)
def test_age_band_moves_on_the_birthday(client, personas, members, monkeypatch, on, band, expected):
    monkeypatch.setattr("partyorg.lib.dates.today", lambda: on)
    client.force_login(personas.superior)
    assert names_in(client.get(reverse("members:list"), {"age_band": band})) == expected


def test_org_filter_outside_scope_is_rejected(client, personas, members, tree):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:list"), {"org": tree.other_branch.pk})
    assert response.status_code == 200
    assert "org" in response.context["filter"].form.errors


def test_exited_members_appear_only_when_asked(client, personas, members):
    Member.objects.filter(pk=members.an.pk).update(status=MemberStatus.DECEASED)
    client.force_login(personas.secretary_a)
    assert names_in(client.get(reverse("members:list"))) == ["Trần Đức Đạt"]
    assert names_in(client.get(reverse("members:list"), {"status": "deceased"})) == ["Nguyễn Văn An"]


def test_list_query_count_does_not_grow_with_page_size(client, personas, tree, settings):
    for i in range(30):
        make_member(tree.branch_a, personas.admin, full_name=f"Nguyễn Văn Thử {i}")
    client.force_login(personas.superior)
    counts = []
    for page_size in (5, 25):
        settings.LIST_PAGE_SIZE = page_size
        client.get(reverse("members:list"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("members:list"), {"q": "thu"})
        assert len(response.context["page"]) == page_size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_personal_id_is_masked_in_list_and_detail(client, personas, members):
    client.force_login(personas.secretary_a)
    for url in (reverse("members:list"), reverse("members:detail", kwargs={"pk": members.an.pk})):
        body = client.get(url).content.decode()
        assert members.an.personal_id not in body
        assert members.an.masked_personal_id in body


def test_revealing_personal_id_is_logged(client, personas, members):
    client.force_login(personas.secretary_a)
    response = client.post(reverse("members:reveal_personal_id", kwargs={"pk": members.an.pk}))
    assert members.an.personal_id in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target_id) == (
        personas.secretary_a,
        AuditAction.REVEAL_PERSONAL_ID,
        str(members.an.pk),
    )


def form_payload(**overrides) -> dict:
    data = member_data(**overrides)
    payload = {k: (v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v) for k, v in data.items() if v is not None}
    return payload


def test_create_member_through_the_form(client, personas, tree):
    client.force_login(personas.base)
    payload = form_payload(full_name="Đinh Thị Hoa", gender="female", birth_date=dt.date(1988, 8, 30))
    payload["branch"] = tree.branch_a.pk
    response = client.post(reverse("members:create"), payload)
    member = Member.objects.get(full_name="Đinh Thị Hoa")
    assert response.status_code == 302 and response.url == reverse("members:detail", kwargs={"pk": member.pk})
    assert member.history.first().history_user == personas.base


def test_form_shows_rule_errors_in_vietnamese(client, personas, tree):
    client.force_login(personas.base)
    payload = form_payload(personal_id="024185000123", birth_date=dt.date(1985, 3, 14))
    payload["branch"] = tree.branch_a.pk
    response = client.post(reverse("members:create"), payload)
    assert response.status_code == 200
    assert "không khớp với giới tính" in response.content.decode()
    assert not Member.objects.exists()


def test_form_rejects_impossible_date_without_500(client, personas, tree):
    client.force_login(personas.base)
    payload = form_payload()
    payload.update(branch=tree.branch_a.pk, birth_date="31/02/1985")
    response = client.post(reverse("members:create"), payload)
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]


def test_base_staff_cannot_create_outside_their_base(client, personas, tree):
    client.force_login(personas.base)
    payload = form_payload()
    payload["branch"] = tree.base_branch.pk  # in the ward, outside the base committee
    response = client.post(reverse("members:create"), payload)
    assert response.status_code == 200 and "branch" in response.context["form"].errors
    assert not Member.objects.exists()


def test_secretary_cannot_register_members_directly(client, personas, tree):
    """Secretaries bring people in through the admission pipeline; the base level keeps member files."""
    client.force_login(personas.secretary_a)
    assert client.get(reverse("members:create")).status_code == 403
    payload = form_payload()
    payload["branch"] = tree.branch_a.pk
    assert client.post(reverse("members:create"), payload).status_code == 403
    assert not Member.objects.exists()
    assert "Thêm đảng viên" not in client.get(reverse("members:list")).content.decode()


def test_edit_keeps_history(client, personas, members):
    client.force_login(personas.secretary_a)
    payload = form_payload(**{f: getattr(members.an, f) for f in ("full_name", "gender", "birth_date", "personal_id")})
    payload["occupation"] = "Kỹ sư"
    payload["version"] = members.an.version
    response = client.post(reverse("members:edit", kwargs={"pk": members.an.pk}), payload)
    assert response.status_code == 302
    members.an.refresh_from_db()
    assert members.an.occupation == "Kỹ sư"
    detail = client.get(reverse("members:detail", kwargs={"pk": members.an.pk})).content.decode()
    assert "Cập nhật hồ sơ" in detail


def test_status_change_needs_a_committee_role(client, personas, members):
    url = reverse("members:change_status", kwargs={"pk": members.an.pk})
    client.force_login(personas.secretary_a)
    assert client.get(url).status_code == 403
    client.force_login(personas.base)
    payload = {
        "transition": "record_death",
        "effective_on": "05/01/2026",
        "decision_number": "3-TB/ĐU",
        "decided_by": "Đảng ủy Trường THPT Ngô Sĩ Liên",
        "decided_on": "06/01/2026",
        "confirm": "1",
    }
    response = client.post(url, payload)
    assert response.status_code == 302
    members.an.refresh_from_db()
    assert members.an.status == MemberStatus.DECEASED


def test_status_change_refusal_is_shown_not_raised(client, personas, tree):
    from members.services import create_member

    probationary = create_member(
        actor=personas.admin,
        branch=tree.branch_a,
        **member_data(
            official_on=None, admission_decided_on=dt.date(2025, 5, 20), ceremony_held_on=dt.date(2025, 6, 1)
        ),
    )
    client.force_login(personas.base)
    url = reverse("members:change_status", kwargs={"pk": probationary.pk})
    payload = {
        "transition": "recognize_official",
        "effective_on": "05/07/2026",
        "decision_number": "16-QĐ/ĐU",
        "decided_by": "Đảng ủy Trường THPT Ngô Sĩ Liên",
        "decided_on": "06/07/2026",
    }
    response = client.post(url, payload)
    assert response.status_code == 200
    assert "01/06/2026" in str(response.context["form"].errors["effective_on"])


def test_transfer_within_scope(client, personas, members, tree):
    client.force_login(personas.base)
    url = reverse("members:transfer", kwargs={"pk": members.an.pk})
    response = client.post(url, {"to_branch": tree.other_branch.pk, "effective_on": "01/03/2026", "reason": "x"})
    assert response.status_code == 200 and "to_branch" in response.context["form"].errors  # outside scope
    response = client.post(url, {"to_branch": tree.branch_b.pk, "effective_on": "01/03/2026", "reason": "Chuyển"})
    assert response.status_code == 302
    members.an.refresh_from_db()
    assert members.an.branch_id == tree.branch_b.pk


def test_list_rows_link_to_each_member_with_dates_in_vietnamese_order(client, personas, members):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:list"))
    html = response.content.decode()
    an = members.an
    assert f'href="{reverse("members:detail", args=[an.pk])}"' in html
    assert an.birth_date.strftime("%d/%m/%Y") in html
