"""Who is in probation and when the branch must review each one: the selector, the panel of an organization's
page and the member list's filter (members.selectors: probation_overview, probation_due)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member
from members.rules import probation_ends_on
from members.selectors import _last_ceremony_ending_by, probation_badge, probation_due
from tests.factories import make_member

# The day of the checks: a month's last day, when a calendar-month window shows next to nothing.
ON = dt.date(2026, 11, 30)


def _probationary(branch, actor, name, ceremony):
    return make_member(
        branch,
        actor,
        full_name=name,
        official_on=None,
        ceremony_held_on=ceremony,
        admission_decided_on=(ceremony - dt.timedelta(days=14)) if ceremony else dt.date(2025, 1, 6),
        birth_date=dt.date(1995, 1, 1),
    )


def _ceremony_ending_on(day):
    return _last_ceremony_ending_by(day)


@pytest.fixture
def probation(tree, personas, members, monkeypatch):
    """Probationary members of branch A whose 12 months end at various distances from ON, and one of branch B."""
    monkeypatch.setattr("members.views.today", lambda: ON)
    monkeypatch.setattr("partyorg.lib.dates.today", lambda: ON)
    actor = personas.admin
    made = {
        "ended": _probationary(tree.branch_a, actor, "Vũ Thị Hết", _ceremony_ending_on(ON - dt.timedelta(days=5))),
        "in_10": _probationary(tree.branch_a, actor, "Đinh Văn Mười", _ceremony_ending_on(ON + dt.timedelta(days=10))),
        "in_45": _probationary(tree.branch_a, actor, "Lý Thị Bốn", _ceremony_ending_on(ON + dt.timedelta(days=45))),
        "in_90": _probationary(tree.branch_a, actor, "Mai Văn Chín", _ceremony_ending_on(ON + dt.timedelta(days=90))),
        "no_ceremony": _probationary(tree.branch_a, actor, "Tạ Thị Chưa", None),
        "branch_b": _probationary(tree.branch_b, actor, "Hồ Văn Khác", _ceremony_ending_on(ON + dt.timedelta(days=3))),
    }
    return made


def test_the_ceremony_bound_inverts_probation_ends_on_exactly_across_leap_years_and_month_ends():
    day = dt.date(2023, 1, 1)
    while day < dt.date(2027, 1, 1):
        bound = _last_ceremony_ending_by(day)
        assert probation_ends_on(bound) <= day < probation_ends_on(bound + dt.timedelta(days=1)), day
        day += dt.timedelta(days=1)
    # 29/02/2024 and 28/02/2024 both end on 28/02/2025 (the month has no 29th).
    assert _last_ceremony_ending_by(dt.date(2025, 2, 28)) == dt.date(2024, 2, 29)


def test_probation_due_picks_each_window(probation, tree):
    members = Member.objects.filter(branch=tree.branch_a)

    def names(window):
        return {m.full_name for m in probation_due(members, window, on=ON)}

    assert names("ended") == {"Vũ Thị Hết"}
    assert names("30") == {"Đinh Văn Mười"}
    assert names("60") == {"Đinh Văn Mười", "Lý Thị Bốn"}


@pytest.mark.parametrize(
    "days, label",
    [(-1, "Đã hết 12 tháng dự bị, chưa xét"), (0, "Đến hạn trong 30 ngày"), (30, "Đến hạn trong 30 ngày"),
     (31, "Đến hạn trong 60 ngày"), (60, "Đến hạn trong 60 ngày"), (61, None)],
)  # fmt: skip
def test_badges(days, label):
    badge = probation_badge(ON + dt.timedelta(days=days), on=ON)
    assert (badge.label if badge else None) == label


def test_panel_lists_every_probationary_member_soonest_first_with_end_date_and_badge(client, probation, tree, personas):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:probation_panel", args=[tree.branch_a.pk]))
    assert response.status_code == 200
    listed = [m["full_name"] for m in response.context["members"]]
    assert listed == ["Vũ Thị Hết", "Đinh Văn Mười", "Lý Thị Bốn", "Mai Văn Chín", "Tạ Thị Chưa"]
    counts = response.context["counts"]
    assert (counts["total"], counts["ended"], counts["due_30"], counts["due_60"]) == (5, 1, 1, 2)
    html = response.content.decode()
    ends = probation_ends_on(probation["in_10"].ceremony_held_on)
    assert f"hết 12 tháng dự bị ngày <strong>{ends:%d/%m/%Y}</strong>" in html
    assert "Đến hạn trong 30 ngày" in html and "Đến hạn trong 60 ngày" in html
    assert "chưa ghi ngày lễ kết nạp" in html
    assert "Hồ Văn Khác" not in html  # branch B: another branch


def test_panel_of_a_higher_level_names_the_branches(client, probation, tree, personas):
    client.force_login(personas.base)
    html = client.get(reverse("members:probation_panel", args=[tree.base.pk])).content.decode()
    assert "Hồ Văn Khác</a> · Chi bộ Văn phòng — Đảng bộ Trường THPT Ngô Sĩ Liên" in html


def test_panel_queries_do_not_grow_with_the_members(client, tree, personas, monkeypatch):
    monkeypatch.setattr("members.views.today", lambda: ON)
    client.force_login(personas.secretary_a)
    url = reverse("members:probation_panel", args=[tree.branch_a.pk])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    _probationary(tree.branch_a, personas.admin, "Vũ Thị Một", _ceremony_ending_on(ON))
    few = queries()
    for i in range(6):
        _probationary(tree.branch_a, personas.admin, f"Vũ Thị Thêm {i}", _ceremony_ending_on(ON + dt.timedelta(days=i)))
    assert queries() == few


def test_organization_page_loads_the_probation_panel(client, tree, personas):
    client.force_login(personas.secretary_a)
    html = client.get(reverse("organizations:detail", args=[tree.branch_a.pk])).content.decode()
    assert reverse("members:probation_panel", args=[tree.branch_a.pk]) in html


@pytest.mark.parametrize("window, expected", [("ended", ["Vũ Thị Hết"]), ("60", ["Lý Thị Bốn", "Đinh Văn Mười"])])
def test_member_list_filters_probation_due(client, probation, tree, personas, window, expected):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:list"), {"probation_due": window})
    assert [row["full_name"] for row in response.context["rows"]] == expected


def test_member_list_shows_the_end_of_probation_and_its_badge(client, probation, tree, personas):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:list"), {"probation_due": "30"})
    ends = probation_ends_on(probation["in_10"].ceremony_held_on)
    html = response.content.decode()
    assert f"hết dự bị {ends:%d/%m/%Y}" in html and "Đến hạn trong 30 ngày" in html
