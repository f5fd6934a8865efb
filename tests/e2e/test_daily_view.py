"""The branch secretary's daily view, walked in the browser on a phone (390×844) and at 1366×768.

Each page leaves a screenshot in test-artifacts/ (daily-*.png) for a person to look at.
"""

import datetime as dt
import pathlib
import re

import pytest
from playwright.sync_api import expect

from admissions.models import DossierStage
from members.selectors import _last_ceremony_ending_by
from organizations.models import Role, RoleKind
from partyorg.lib.dates import today
from tests.admissions.conftest import Pipeline
from tests.factories import make_member, make_user

from .conftest import login
from .test_content_security_policy import _collect_violations

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts"
# A Bootstrap collapse once its opening animation is over (while it runs the class is "collapsing").
OPENED = re.compile(r"\bcollapse show\b")
# WCAG 2.1 AA for normal text.
MINIMUM_CONTRAST = 4.5


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"daily-{name}.png"), full_page=True)


def open_page(browser, browser_context_args, live_server, username, viewport):
    """A logged-in page; `page.csp_violations` collects what the Content-Security-Policy blocks (none expected)."""
    page = browser.new_context(**{**browser_context_args, "viewport": viewport}).new_page()
    page.csp_violations = _collect_violations(page)
    login(page, live_server, username)
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def daily(tree, personas, members):
    """Branch A with dossiers at several stages and probationary members due at several distances."""
    on = today()
    for name, days in (("Vũ Thị Mười", 10), ("Lý Văn Bốn Lăm", 45), ("Mai Thị Chín Mươi", 90)):
        ceremony = _last_ceremony_ending_by(on + dt.timedelta(days=days))
        make_member(
            tree.branch_a,
            personas.admin,
            full_name=name,
            official_on=None,
            ceremony_held_on=ceremony,
            admission_decided_on=ceremony - dt.timedelta(days=14),
            birth_date=dt.date(1996, 3, 3),
        )
    pipeline = Pipeline(tree, personas, members)
    dossiers = {}
    for stage, name in (
        (DossierStage.SOURCE_POOL, "Đào Văn Nguồn"),
        (DossierStage.SYMPATHIZER, "Phan Thị Cảm"),
        (DossierStage.PREPARING, "Cao Văn Hồ"),
        (DossierStage.BRANCH_PROPOSED, "Lâm Thị Đề"),
        (DossierStage.PROBATION, "Lê Thị Hồng Nhung"),
    ):
        dossiers[stage] = pipeline.to(stage, full_name=name)
    return dossiers


# ---------------------------------------------------------------- on a phone


def test_phone_branch_home_shows_who_is_in_probation_and_when(
    browser, browser_context_args, live_server, daily, personas
):
    page = open_page(browser, browser_context_args, live_server, personas.secretary_a.username, PHONE)
    expect(page.get_by_role("heading", name="Chi bộ Giáo viên")).to_be_visible()
    panel = page.locator("#probation-due")
    expect(panel).to_be_visible()
    rows = panel.get_by_test_id("probation-list").locator("li")
    expect(rows.first).to_contain_text("Lê Thị Hồng Nhung")  # through a dossier; 12 months long over
    expect(rows.first).to_contain_text("Đã hết 12 tháng dự bị, chưa xét")
    expect(panel.locator("li", has_text="Vũ Thị Mười")).to_contain_text("Đến hạn trong 30 ngày")
    expect(panel.locator("li", has_text="Lý Văn Bốn Lăm")).to_contain_text("Đến hạn trong 60 ngày")
    expect(panel.get_by_test_id("probation-due-30")).to_have_text("Đến hạn trong 30 ngày: 1")
    expect(page.locator("#admission-deadlines")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    shot(page, "phone-branch-home")

    # The badge leads to the member list, filtered, its filters open since one is in use.
    panel.get_by_test_id("probation-due-60").click()
    expect(page.get_by_role("heading", name=re.compile("Danh sách đảng viên"))).to_be_visible()
    expect(page.get_by_test_id("member-filters")).to_be_visible()
    expect(page.get_by_role("link", name="Lý Văn Bốn Lăm")).to_be_visible()
    expect(page.get_by_role("link", name="Mai Thị Chín Mươi")).to_have_count(0)
    shot(page, "phone-members-probation-due")
    assert page.csp_violations == []


def test_phone_member_list_folds_its_filters_under_one_button(
    browser, browser_context_args, live_server, members, personas
):
    page = open_page(browser, browser_context_args, live_server, personas.secretary_a.username, PHONE)
    page.goto(f"{live_server.url}/dang-vien/")
    filters = page.get_by_test_id("member-filters")
    expect(filters).to_be_hidden()
    first_row = page.get_by_role("link", name="Nguyễn Văn An")
    assert first_row.bounding_box()["y"] < PHONE["height"]  # the list starts on the first screen
    shot(page, "phone-members-folded")
    page.get_by_role("button", name="Lọc").click()
    expect(filters).to_have_class(OPENED)
    expect(page.get_by_label("Giới tính")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    shot(page, "phone-members-filters-open")
    assert page.csp_violations == []


def test_phone_board_is_a_list_of_stages_without_sideways_scrolling(
    browser, browser_context_args, live_server, daily, personas, tree
):
    page = open_page(browser, browser_context_args, live_server, personas.secretary_a.username, PHONE)
    page.goto(f"{live_server.url}/ket-nap/to-chuc/{tree.branch_a.pk}/")
    expect(page.get_by_role("heading", name="Kết nạp đảng viên")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    # Nor inside the board: its columns once made it 2,224 px wide, 1.5 of 9 stages in view.
    assert page.locator(".board").evaluate("board => board.scrollWidth") <= PHONE["width"]
    stages = page.locator("section.board-stage")
    expect(stages).to_have_count(len(DossierStage.choices) - 3)  # the open stages
    boxes = [stages.nth(i).bounding_box() for i in range(2)]
    assert boxes[1]["y"] > boxes[0]["y"] and boxes[0]["width"] > PHONE["width"] * 0.8  # stacked, full width
    expect(page.get_by_text("Đào Văn Nguồn")).to_be_hidden()  # the cards wait below their stage
    shot(page, "phone-board")

    page.get_by_role("button", name=re.compile("Nguồn kết nạp")).click()
    expect(page.locator("#stage-source_pool")).to_have_class(OPENED)
    expect(page.get_by_text("Đào Văn Nguồn")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    shot(page, "phone-board-stage-open")
    page.get_by_text("Đào Văn Nguồn").click()
    expect(page.get_by_role("heading", name="Đào Văn Nguồn")).to_be_visible()
    assert page.csp_violations == []


def test_phone_candidate_page_names_the_forms_and_the_missing_papers_come_first(
    browser, browser_context_args, live_server, daily, personas
):
    page = open_page(browser, browser_context_args, live_server, personas.secretary_a.username, PHONE)
    dossier = daily[DossierStage.PROBATION]
    page.goto(f"{live_server.url}/ket-nap/ho-so/{dossier.pk}/")
    prints = page.get_by_test_id("print-links")
    expect(prints.get_by_role("link", name=re.compile("1-KNĐ Đơn xin vào Đảng"))).to_be_visible()
    expect(prints.get_by_role("link", name=re.compile("9-KNĐ Quyết định kết nạp đảng viên"))).to_be_visible()
    actions = page.get_by_test_id("actions")
    expect(actions.get_by_role("link", name="Nhận đơn xin vào Đảng (1-KNĐ)")).to_have_count(0)
    assert page_width(page) <= PHONE["width"]
    shot(page, "phone-candidate")

    actions.get_by_role("link", name="Chi bộ xét công nhận chính thức (13-KNĐ)").click()
    problems = page.get_by_test_id("step-problems")
    expect(problems).to_contain_text("10-KNĐ")
    expect(problems).to_contain_text("11-KNĐ")
    expect(problems).to_contain_text("12-KNĐ")
    expect(page.locator('[name="held_on"]')).to_be_hidden()  # the form waits behind the warning
    shot(page, "phone-step-missing-papers")
    assert page.csp_violations == []


def test_phone_whole_dossier_shows_a_spinner_while_it_is_made(
    browser, browser_context_args, live_server, daily, personas
):
    page = open_page(browser, browser_context_args, live_server, personas.secretary_a.username, PHONE)
    dossier = daily[DossierStage.BRANCH_PROPOSED]
    page.goto(f"{live_server.url}/ket-nap/ho-so/{dossier.pk}/in/")
    held = []

    def hold_the_post(route):
        if route.request.method == "POST":
            held.append(route)  # answered below, once the spinner has been seen
        else:
            route.continue_()

    page.route(re.compile(r".*/ho-so/\d+/in/$"), hold_the_post)
    button = page.get_by_role("button", name="Tạo bộ hồ sơ PDF")
    button.click()
    expect(page.get_by_test_id("print-spinner")).to_be_visible()
    expect(button).to_be_disabled()
    shot(page, "phone-dossier-pdf-spinner")
    held[0].continue_()
    expect(page.get_by_text(re.compile("Đã tạo xong"))).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("print-spinner")).to_have_count(0)
    shot(page, "phone-dossier-pdf-done")
    assert page.csp_violations == []


# ---------------------------------------------------------------- at 1366 × 768


def _relative_luminance(rgb) -> float:
    def channel(value):
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgba(css: str) -> tuple[float, ...]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return tuple(numbers) if len(numbers) == 4 else (*numbers, 1.0)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast of a CSS colour over an opaque one (a translucent text colour blended first)."""
    *fg, alpha = _rgba(foreground)
    bg = _rgba(background)[:3]
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True)]
    lighter, darker = sorted((_relative_luminance(blended), _relative_luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_known_values():
    assert round(contrast("rgb(255, 255, 255)", "rgb(0, 0, 0)"), 1) == 21.0
    # Bootstrap's navbar-dark link colour on the party red: the failure this test guards against.
    assert contrast("rgba(255, 255, 255, 0.55)", "rgb(181, 18, 27)") < MINIMUM_CONTRAST


def test_desktop_navbar_is_one_readable_line_with_a_favicon(browser, browser_context_args, live_server, tree):
    # A superior staff member who is also a branch secretary: the longest line of roles in the cast.
    user = make_user("hai_vai", RoleKind.SUPERIOR_STAFF, tree.ward)
    Role.objects.create(user=user, organization=tree.other_branch, kind=RoleKind.BRANCH_SECRETARY)
    page = open_page(browser, browser_context_args, live_server, user.username, DESKTOP)
    navbar = page.locator("nav.navbar")
    items = navbar.locator(".navbar-brand:visible, .nav-link:visible, .navbar-text:visible, button:visible")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    assert len(boxes) >= 6
    assert max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes)  # all on one line
    assert navbar.bounding_box()["height"] <= 64
    background = navbar.evaluate("e => getComputedStyle(e).backgroundColor")
    colours = items.evaluate_all("els => els.map(e => [e.textContent.trim(), getComputedStyle(e).color])")
    for text, colour in colours:
        assert contrast(colour, background) >= MINIMUM_CONTRAST, (text, colour, background)
    assert navbar.locator(".navbar-text").get_attribute("title").endswith("Chi bộ Khu phố 5")
    shot(page, "desktop-navbar")

    icon = page.locator('link[rel="icon"]').get_attribute("href")
    response = page.request.get(f"{live_server.url}{icon}")
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")


def test_desktop_board_columns_sit_side_by_side_and_the_filters_are_open(
    browser, browser_context_args, live_server, daily, personas, tree
):
    page = open_page(browser, browser_context_args, live_server, personas.base.username, DESKTOP)
    page.goto(f"{live_server.url}/ket-nap/to-chuc/{tree.base.pk}/")
    stages = page.locator("section.board-stage")
    first, second = stages.nth(0).bounding_box(), stages.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] > first["x"]
    expect(page.get_by_text("Đào Văn Nguồn")).to_be_visible()  # every stage open, no tap needed
    board = page.get_by_test_id("board")
    expect(board.get_by_text("Chi bộ Giáo viên — Đảng bộ Trường THPT Ngô Sĩ Liên").first).to_be_visible()
    assert page_width(page) <= DESKTOP["width"]  # the columns scroll inside the board, not the page
    shot(page, "desktop-board")

    page.locator('select[name="chi_bo"]').select_option(label="Chi bộ Văn phòng — Đảng bộ Trường THPT Ngô Sĩ Liên")
    expect(page).to_have_url(re.compile(r"chi_bo=\d+"))  # chosen, submitted by static/js/app.js
    expect(page.get_by_text("Đào Văn Nguồn")).to_have_count(0)

    page.goto(f"{live_server.url}/dang-vien/")
    expect(page.get_by_test_id("member-filters")).to_be_visible()
    expect(page.get_by_role("button", name="Lọc")).to_be_hidden()
    expect(page.locator('select[name="gender"] option').first).to_have_text("Tất cả")
    shot(page, "desktop-members")
    assert page.csp_violations == []


def test_desktop_branch_home(browser, browser_context_args, live_server, daily, personas, tree):
    page = open_page(browser, browser_context_args, live_server, personas.secretary_a.username, DESKTOP)
    expect(page.locator("#probation-due")).to_be_visible()
    expect(page.locator("#admission-deadlines")).to_be_visible()
    expect(page.locator("#admission-plan")).to_be_visible()
    assert page_width(page) <= DESKTOP["width"]
    shot(page, "desktop-branch-home")
    assert page.csp_violations == []
