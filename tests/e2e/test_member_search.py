"""A branch secretary on a phone: log in, find a member typed without diacritics, open the profile,
and find another branch's member out of reach."""

from playwright.sync_api import expect

from .conftest import login


def test_secretary_searches_without_diacritics_and_cannot_reach_other_branch(page, live_server, members, personas):
    login(page, live_server, personas.secretary_a.username)
    expect(page.get_by_role("heading", name="Chi bộ Giáo viên")).to_be_visible()

    page.goto(f"{live_server.url}/dang-vien/")
    page.get_by_label("Tìm theo tên, CCCD, số thẻ").fill("tran duc dat")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("link", name="Trần Đức Đạt")).to_be_visible()
    expect(page.get_by_role("link", name="Lê Thị Yến")).to_have_count(0)  # branch B: not in the list

    page.get_by_role("link", name="Trần Đức Đạt").click()
    expect(page.get_by_role("heading", name="Trần Đức Đạt")).to_be_visible()
    expect(page.locator("#personal-id")).to_contain_text("***")  # masked until revealed

    response = page.goto(f"{live_server.url}/dang-vien/{members.yen.pk}/")
    assert response.status == 404
    expect(page.get_by_text("không thuộc phạm vi quản lý")).to_be_visible()
