"""Enrolling and using the second factor in the browser, under the Content-Security-Policy."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.test_otp import code_for

from .conftest import login


def test_a_superior_level_officer_enrols_then_logs_in_with_a_code(page, live_server, settings, tree, personas):
    settings.OTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    login(page, live_server, personas.superior.username)
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    device = TOTPDevice.objects.get(user=personas.superior)
    page.get_by_label("Mã xác thực").fill(code_for(device))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_text("Đã bật xác thực hai bước")).to_be_visible()

    page.get_by_role("button", name="Mở menu").click()  # folded away on a phone
    page.get_by_role("button", name="Đăng xuất").click()
    # Wait for the log-out to land on the log-in page: navigating away first could cancel its POST.
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    login(page, live_server, personas.superior.username)
    page.get_by_label("Mã xác thực").fill(code_for(device, steps_ahead=1))
    page.get_by_role("button", name="Xác nhận").click()
    page.get_by_role("button", name="Mở menu").click()
    expect(page.get_by_role("link", name="Đổi mật khẩu")).to_be_visible()
    assert violations == []
