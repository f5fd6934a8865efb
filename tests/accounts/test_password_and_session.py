"""A person changes their own password; a session ends after SESSION_IDLE_TIMEOUT_MINUTES without a request."""

import datetime as dt

from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditAction, AuditEvent

PASSWORD = "matkhau-thu-nghiem"
NEW = "Sao-vang-1930-dat-do"


def test_the_navigation_links_to_the_password_change(client, personas):
    client.force_login(personas.secretary_a)
    assert reverse("accounts:password_change") in client.get(reverse("members:list")).content.decode()


def test_a_person_changes_their_password_and_stays_logged_in(client, personas):
    client.force_login(personas.secretary_a)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Đổi mật khẩu" in page and "Mật khẩu cũ" in page
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=personas.secretary_a.pk).check_password(NEW)
    assert client.get(reverse("members:list")).status_code == 200
    assert AuditEvent.objects.filter(actor=personas.secretary_a, action=AuditAction.PASSWORD_CHANGED).count() == 1


def test_a_wrong_old_password_or_a_weak_new_one_is_refused_in_vietnamese(client, personas):
    client.force_login(personas.secretary_a)
    wrong_old = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "khong-phai",
            "new_password1": "Sao-vang-1930-dat-do",
            "new_password2": "Sao-vang-1930-dat-do",
        },
    )
    assert wrong_old.status_code == 200 and "Mật khẩu cũ" in wrong_old.content.decode()
    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    assert User.objects.get(pk=personas.secretary_a.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_the_password_change_needs_a_log_in(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_idle_timeout_is_the_session_age():
    assert django_settings.SESSION_COOKIE_AGE == django_settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 == 30 * 60


def test_a_session_ends_after_the_idle_time_not_while_in_use(client, personas, monkeypatch):
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    client.force_login(personas.secretary_a)
    page = reverse("members:list")
    for _ in range(3):  # in use for 75 minutes, never 30 idle
        clock[0] += dt.timedelta(minutes=25)
        assert client.get(page).status_code == 200
    clock[0] += dt.timedelta(minutes=31)
    response = client.get(page)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_session_is_renewed_at_most_once_a_minute(client, personas, monkeypatch):
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    client.force_login(personas.secretary_a)

    def session_end():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    at_login = session_end()
    clock[0] += dt.timedelta(seconds=30)
    client.get(reverse("members:list"))
    assert session_end() == at_login  # no write for a request so soon
    clock[0] += dt.timedelta(seconds=31)
    response = client.get(reverse("members:list"))
    assert session_end() == clock[0] + dt.timedelta(minutes=30)
    assert response.cookies["sessionid"]["max-age"] == 30 * 60  # the browser's cookie is renewed too
