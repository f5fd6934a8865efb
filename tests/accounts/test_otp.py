"""Second factor at log-in (TOTP) for administrators, superior-level and province staff, when OTP_REQUIRED."""

import datetime as dt
import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.views import PENDING_SESSION_KEY
from audit.models import AuditAction, AuditEvent

PASSWORD = "matkhau-thu-nghiem"


@pytest.fixture(autouse=True)
def otp_required(settings):
    settings.OTP_REQUIRED = True
    settings.AXES_FAILURE_LIMIT = 5


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or `steps_ahead` periods later: each code is accepted once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)


def log_in(client, user, password=PASSWORD, next_url=None):
    data = {"username": user.username, "password": password} | ({"next": next_url} if next_url else {})
    return client.post(reverse("login"), data)


def is_logged_in(client) -> bool:
    return client.get(reverse("members:list")).status_code == 200


@pytest.mark.parametrize("persona", ["admin", "province", "superior", "outsider"])
def test_required_roles_with_a_device_must_give_a_code(client, personas, persona):
    user = getattr(personas, persona)
    device = enrolled(user)
    response = log_in(client, user)
    assert response.status_code == 302 and response.url == reverse("accounts:otp_verify")
    assert "_auth_user_id" not in client.session  # the password alone logs no one in
    assert not is_logged_in(client)

    response = client.post(reverse("accounts:otp_verify"), {"code": code_for(device)})
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_SESSION_KEY not in client.session
    assert is_logged_in(client)


@pytest.mark.parametrize("persona", ["secretary_a", "base"])
def test_other_roles_log_in_with_the_password(client, personas, persona):
    user = getattr(personas, persona)
    response = log_in(client, user)
    assert response.status_code == 302 and response.url != reverse("accounts:otp_verify")
    assert is_logged_in(client)


def test_the_demo_setting_turns_it_off(client, personas, settings):
    settings.OTP_REQUIRED = False
    enrolled(personas.province)
    assert log_in(client, personas.province).url != reverse("accounts:otp_verify")
    assert is_logged_in(client)


def test_the_next_page_survives_the_second_step(client, personas):
    device = enrolled(personas.province)
    target = reverse("members:list") + "?q=An"
    response = log_in(client, personas.province, next_url=target)
    assert response.url.startswith(reverse("accounts:otp_verify")) and "next=" in response.url
    response = client.post(reverse("accounts:otp_verify"), {"code": code_for(device), "next": target})
    assert response.url == target


def test_a_foreign_next_page_is_refused(client, personas):
    device = enrolled(personas.province)
    log_in(client, personas.province)
    response = client.post(reverse("accounts:otp_verify"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_a_wrong_code_does_not_log_in(client, personas):
    device = enrolled(personas.province)
    log_in(client, personas.province)
    response = client.post(reverse("accounts:otp_verify"), {"code": wrong_code(device)})
    assert response.status_code == 200 and "Mã xác thực không đúng" in response.content.decode()
    assert not is_logged_in(client)


def test_after_a_wrong_code_the_person_must_wait(client, personas):
    device = enrolled(personas.province)
    log_in(client, personas.province)
    client.post(reverse("accounts:otp_verify"), {"code": wrong_code(device)})
    response = client.post(reverse("accounts:otp_verify"), {"code": code_for(device)})
    assert "hãy đợi đến" in response.content.decode()
    assert not is_logged_in(client)


def test_a_code_is_accepted_once(client, personas):
    device = enrolled(personas.province)
    code = code_for(device)
    log_in(client, personas.province)
    client.post(reverse("accounts:otp_verify"), {"code": code})
    client.post(reverse("logout"))
    log_in(client, personas.province)
    response = client.post(reverse("accounts:otp_verify"), {"code": code})
    assert response.status_code == 200 and not is_logged_in(client)


def test_wrong_codes_count_towards_the_lockout(client, personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off would refuse even right codes meanwhile
    device = enrolled(personas.province)
    log_in(client, personas.province)
    for _ in range(5):
        client.post(reverse("accounts:otp_verify"), {"code": wrong_code(device)})
    assert AccessAttempt.objects.filter(username="tinh").get().failures_since_start == 5
    response = client.post(reverse("accounts:otp_verify"), {"code": code_for(device)})
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_password_step_expires(client, personas, settings, monkeypatch):
    device = enrolled(personas.province)
    log_in(client, personas.province)
    later = timezone.now() + dt.timedelta(seconds=settings.OTP_PENDING_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.post(reverse("accounts:otp_verify"), {"code": code_for(device)})
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_step_sends_to_log_in(client, db):
    response = client.get(reverse("accounts:otp_verify"))
    assert response.status_code == 302 and response.url == reverse("login")


def test_without_a_device_the_person_is_held_on_enrolment_until_done(client, personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off after the wrong code below
    response = log_in(client, personas.superior)
    assert response.status_code == 302
    for url in (reverse("home"), reverse("members:list"), reverse("accounts:password_change"), "/admin/"):
        held = client.get(url)
        assert held.status_code == 302 and held.url == reverse("accounts:otp_enrol"), url
    htmx = client.get(reverse("members:list"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("accounts:otp_enrol")

    page = client.get(reverse("accounts:otp_enrol"))
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=personas.superior, confirmed=False)
    assert "<svg" in body and 'class="otp-qr"' in body
    assert "otpauth://totp/partyorg%3Aphuong?secret=" in body
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert page["Cache-Control"].startswith("max-age=0")
    # A reload shows the same secret: what was scanned stays valid.
    assert client.get(reverse("accounts:otp_enrol")).context["secret"] == page.context["secret"]

    refused = client.post(reverse("accounts:otp_enrol"), {"code": wrong_code(device)})
    assert "Mã xác thực không đúng" in refused.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    done = client.post(reverse("accounts:otp_enrol"), {"code": code_for(device)})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert is_logged_in(client)
    assert AuditEvent.objects.filter(actor=personas.superior, action=AuditAction.OTP_ENROLLED).count() == 1

    # The next log-in asks for the code.
    client.post(reverse("logout"))
    assert log_in(client, personas.superior).url == reverse("accounts:otp_verify")
    client.post(reverse("accounts:otp_verify"), {"code": code_for(device, steps_ahead=1)})
    assert is_logged_in(client)


def test_log_out_stays_open_while_enrolment_is_owed(client, personas):
    log_in(client, personas.superior)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_a_session_from_before_the_device_is_sent_to_the_code_page(client, personas):
    client.force_login(personas.province)
    device = enrolled(personas.province)
    held = client.get(reverse("members:list"))
    assert held.status_code == 302 and held.url.startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"code": code_for(device)})
    assert is_logged_in(client)


def test_the_administrators_reset_means_enrolling_again(client, personas):
    device = enrolled(personas.province)
    device.delete()  # what the admin's "delete" on the TOTP device does
    log_in(client, personas.province)
    assert client.get(reverse("home")).url == reverse("accounts:otp_enrol")


def test_the_enrolment_page_is_for_required_people_only(client, personas):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("accounts:otp_enrol")).url == reverse("home")
    assert not TOTPDevice.objects.exists()


def test_the_navigation_offers_the_second_factor_page_to_required_people(client, personas):
    enrolled(personas.province)
    client.force_login(personas.secretary_a)
    assert reverse("accounts:otp_enrol") not in client.get(reverse("members:list")).content.decode()
    client.force_login(personas.province)
    client.post(reverse("accounts:otp_verify"), {"code": code_for(TOTPDevice.objects.get())})
    assert reverse("accounts:otp_enrol") in client.get(reverse("members:list")).content.decode()
