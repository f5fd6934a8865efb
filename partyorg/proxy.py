"""Trust in the TLS-terminating proxy (docker-compose's `proxy` service), and in nothing else.

Forwarded headers (X-Forwarded-Proto, X-Forwarded-For, ...) are believed only when the TCP peer is one of
TRUSTED_PROXY_IPS; from anyone else they are removed before any other code sees them, so a client cannot
claim HTTPS or another address. Behind the proxy, the client's address is the one the proxy appended last to
X-Forwarded-For: entries to its left were written by the client and are ignored.
"""

import ipaddress

from django.conf import settings

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


def parse_networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses or CIDR networks, as TRUSTED_PROXY_IPS lists them (ValueError on a malformed one)."""
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _address(text: str | None):
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def from_trusted_proxy(request) -> bool:
    peer = _address(request.META.get("REMOTE_ADDR"))
    return peer is not None and any(peer in network for network in parse_networks(settings.TRUSTED_PROXY_IPS))


def client_ip(request) -> str | None:
    """The address of the person at the keyboard, for the login lockout (AXES_CLIENT_IP_CALLABLE)."""
    if from_trusted_proxy(request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        nearest = _address(forwarded[-1])
        if nearest is not None:
            return str(nearest)
    return request.META.get("REMOTE_ADDR")


class ForwardedHeadersMiddleware:
    """First in MIDDLEWARE: drop forwarded headers that did not come from the trusted proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
