"""DEBUG is off unless asked for, and with DEBUG off the settings refuse a weak SECRET_KEY."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from partyorg.secret_key import check_secret_key

REPOSITORY = Path(__file__).resolve().parents[2]
SHOW_SETTINGS = (
    "from partyorg import settings as s; print('DEBUG', s.DEBUG, 'OTP', s.OTP_REQUIRED, s.ADMIN_REQUIRE_OTP)"
)


def _load_settings(**environment) -> subprocess.CompletedProcess:
    """Import the production settings module in a fresh interpreter, with only the given variables set."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    env.update(environment)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            SHOW_SETTINGS,
        ],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_unless_set_and_the_second_factor_on_unless_debug():
    strong_key = secrets.token_urlsafe(50)
    assert "DEBUG False OTP True True" in _load_settings(SECRET_KEY=strong_key).stdout
    assert "DEBUG True OTP False False" in _load_settings(DEBUG="1").stdout
    assert "DEBUG True OTP True True" in _load_settings(DEBUG="1", OTP_REQUIRED="1").stdout


@pytest.mark.parametrize(
    "key, complaint",
    [
        (None, "chưa được đặt"),
        ("short-but-random-Zq8", "quá ngắn"),
        ("django-insecure-embedded-only-" + "x" * 40, "khóa mẫu"),
    ],
)
def test_settings_refuse_to_load_without_a_strong_key(key, complaint):
    environment = {"DEBUG": "0"} | ({"SECRET_KEY": key} if key else {})
    result = _load_settings(**environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and complaint in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "",
        "abab" * 20,  # long, but four distinct characters
        "django-insecure-" + secrets.token_urlsafe(50),
        "check-deploy-" + secrets.token_urlsafe(50),
        secrets.token_urlsafe(20),
    ],
)
def test_weak_keys_are_refused(key):
    with pytest.raises(ImproperlyConfigured):
        check_secret_key(key)


def test_a_random_key_is_accepted():
    check_secret_key(secrets.token_urlsafe(50))
    check_secret_key("".join(secrets.choice("abcde") for _ in range(60)))
