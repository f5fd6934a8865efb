"""The pages work under the Content-Security-Policy: the browser reports no violation, and the behaviour that
used to be inline (the board's branch filter) works from static/js/app.js."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from members.models import RosterImport

from .conftest import login


def _collect_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def test_pages_run_without_policy_violations(page, live_server, tree, personas, members):
    violations = _collect_violations(page)
    page.goto(f"{live_server.url}/dang-nhap/")
    login(page, live_server, personas.base.username)
    for path in ("/", f"/to-chuc/{tree.base.pk}/", "/dang-vien/", "/ket-nap/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")  # htmx panels loaded and swapped
    assert violations == []


def test_the_board_filter_submits_on_change(page, live_server, tree, personas):
    violations = _collect_violations(page)
    login(page, live_server, personas.base.username)
    page.goto(f"{live_server.url}/ket-nap/")
    page.get_by_label("Lọc theo chi bộ").select_option(label="Chi bộ Văn phòng — Đảng bộ Trường THPT Ngô Sĩ Liên")
    expect(page).to_have_url(re.compile(rf"chi_bo={tree.branch_b.pk}"))
    assert violations == []


def test_progress_bars_take_their_width_from_aria_valuenow(page, live_server, tree, personas):
    roster_import = RosterImport.objects.create(
        organization=tree.base, uploaded_by=personas.base, file="rosters/x.xlsx", file_name="x.xlsx"
    )
    RosterImport.objects.filter(pk=roster_import.pk).update(progress_done=300, progress_total=1200)
    violations = _collect_violations(page)
    login(page, live_server, personas.base.username)
    page.goto(f"{live_server.url}{reverse('members:import_detail', args=[roster_import.pk])}")
    bar = page.locator(".progress-bar").first
    expect(bar).to_have_attribute("style", re.compile(r"width: 25%"))
    page.wait_for_timeout(1500)  # one htmx poll swaps the status in again: the width is set on the new bar too
    expect(page.locator(".progress-bar").first).to_have_attribute("style", re.compile(r"width: 25%"))
    assert violations == []
