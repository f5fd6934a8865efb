"""docker-compose.yml: only the TLS proxy is reachable from outside, and the app trusts forwarded headers from
the proxy's address alone (the same address in TRUSTED_PROXY_IPS and gunicorn's --forwarded-allow-ips)."""

import ipaddress
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

REPOSITORY = Path(settings.BASE_DIR)


def _default(value: str) -> str:
    """The default of a compose `${NAME:-default}` expression."""
    match = re.fullmatch(r"\$\{\w+:-(.+)\}", value)
    assert match, f"{value!r} should be ${{NAME:-default}}"
    return match.group(1)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((REPOSITORY / "docker-compose.yml").read_text(encoding="utf-8"))


def test_only_the_proxy_publishes_ports(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}


def test_the_app_trusts_the_proxys_fixed_address_only(compose):
    proxy_address = compose["services"]["proxy"]["networks"]["front"]["ipv4_address"]
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["environment"]["TRUSTED_PROXY_IPS"] == proxy_address
        assert compose["services"][name]["environment"]["DEBUG"] == "0"
    (pool,) = compose["networks"]["front"]["ipam"]["config"]
    address = ipaddress.ip_address(_default(proxy_address))
    assert address in ipaddress.ip_network(_default(pool["subnet"]))
    assert address not in ipaddress.ip_network(_default(pool["ip_range"]))  # no container can take it
    command = " ".join(compose["services"]["web"]["command"])
    assert '--forwarded-allow-ips "$$TRUSTED_PROXY_IPS"' in command


def test_the_database_and_redis_sit_on_the_internal_network_only(compose):
    assert compose["networks"]["back"]["internal"] is True
    for name in ("postgres", "redis", "worker", "beat"):
        assert compose["services"][name]["networks"] == ["back"]
    assert compose["services"]["web"]["networks"] == ["front", "back"]


def test_the_proxy_forwards_to_gunicorn_with_tls(compose):
    caddyfile = (REPOSITORY / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in compose["services"]["proxy"]["volumes"]
    assert re.search(r"^\s*reverse_proxy web:8000$", caddyfile, re.MULTILINE)
    assert re.search(r"^\s*tls \{\$CADDY_TLS:internal\}$", caddyfile, re.MULTILINE)
    assert "--bind 0.0.0.0:8000" in " ".join(compose["services"]["web"]["command"])


def test_backups_have_a_volume_and_pg_dump_is_installed(compose):
    for name in ("web", "worker", "beat"):
        assert "backups:/data/backups" in compose["services"][name]["volumes"]
        assert compose["services"][name]["environment"]["BACKUP_DIR"] == "/data/backups"
    dockerfile = (REPOSITORY / "Dockerfile").read_text(encoding="utf-8")
    assert "postgresql-client" in dockerfile
    assert compose["services"]["postgres"]["image"] == "postgres:15"  # Debian 12's pg_dump is 15 too
