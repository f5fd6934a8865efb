"""Browser tests: Playwright drives the Debian Chromium (/usr/bin/chromium); no browser is downloaded.

Use the `page` fixture (pytest-playwright) with `live_server`, and `login(page, live_server, username)`.
Every test here is marked e2e; they need the `transactional_db` that `live_server` brings.
"""

import os
import shutil

import pytest

from tests.factories import make_user  # noqa: F401 - re-exported for e2e tests

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "matkhau-thu-nghiem"


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.e2e)
            if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 412, "height": 915}}


@pytest.fixture(autouse=True)
def _e2e_settings(settings):
    settings.AXES_ENABLED = False
    settings.DEBUG = False


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
