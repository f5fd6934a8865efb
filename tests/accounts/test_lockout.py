"""Lockout (django-axes): per username and, separately, per client address; the address is REMOTE_ADDR
unless the request comes from the trusted proxy, so a client cannot pick its address with X-Forwarded-For."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

PASSWORD = "matkhau-thu-nghiem"


@pytest.fixture(autouse=True)
def _five_failures(settings):
    settings.AXES_FAILURE_LIMIT = 5


def _log_in(client, username, password, address, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _locked(response) -> bool:
    return response.status_code == 429 and "tạm thời bị khóa" in response.content.decode()


def test_five_failures_on_one_username_from_different_addresses_lock_that_username(client, personas):
    for n in range(5):
        _log_in(client, "bithu_a", "sai-mat-khau", f"10.0.0.{n + 1}")
    assert _locked(_log_in(client, "bithu_a", PASSWORD, "10.0.0.99"))
    # Other people from those addresses are not affected: no address reached five failures.
    assert _log_in(client, "bithu_b", PASSWORD, "10.0.0.1").status_code == 302


def test_four_failures_do_not_lock(client, personas):
    for n in range(4):
        _log_in(client, "bithu_a", "sai-mat-khau", f"10.0.0.{n + 1}")
    assert _log_in(client, "bithu_a", PASSWORD, "10.0.0.99").status_code == 302


def test_five_failures_on_different_usernames_from_one_address_lock_that_address(client, personas):
    for username in ("bithu_a", "bithu_b", "coso", "phuong", "khongco"):
        _log_in(client, username, "sai-mat-khau", "10.0.0.7")
    assert _locked(_log_in(client, "tinh", PASSWORD, "10.0.0.7"))
    # The same person from another address gets in: the username itself has one failure at most.
    assert _log_in(client, "tinh", PASSWORD, "10.0.0.8").status_code == 302


def test_a_client_cannot_choose_its_address_with_x_forwarded_for(client, personas):
    for n, username in enumerate(("bithu_a", "bithu_b", "coso", "phuong", "khongco")):
        _log_in(client, username, "sai-mat-khau", "10.0.0.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.7"}
    assert _locked(_log_in(client, "tinh", PASSWORD, "10.0.0.7", HTTP_X_FORWARDED_FOR="203.0.113.200"))


def test_behind_the_trusted_proxy_the_forwarded_client_address_counts(client, personas, settings):
    settings.TRUSTED_PROXY_IPS = ["172.31.250.10"]
    proxy = "172.31.250.10"
    # The proxy appends the address it saw; what the client wrote to the left of it is ignored.
    for n, username in enumerate(("bithu_a", "bithu_b", "coso", "phuong", "khongco")):
        _log_in(client, username, "sai-mat-khau", proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert _locked(_log_in(client, "tinh", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5"))
    # Another person behind the same proxy is not locked out with them.
    assert _log_in(client, "tinh", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_x_forwarded_proto_is_believed_only_from_the_trusted_proxy(client, db, settings):
    settings.TRUSTED_PROXY_IPS = ["172.31.250.10"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    direct = client.get(reverse("login"), REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301 and direct.url.startswith("https://")
    proxied = client.get(reverse("login"), REMOTE_ADDR="172.31.250.10", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
