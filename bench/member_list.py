"""Member list benchmark: server time and SQL queries, as a branch secretary and as province staff,
against the Django admin changelist doing the same search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partyorg_bench .venv/bin/python bench/member_list.py

Requests go through the whole Django stack in-process (middleware, view, template), so the time is
the server's time without the network. Prints median and p95 over --requests runs per scenario.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings")
os.environ["AXES_ENABLED"] = "0"
# Production settings (DEBUG off: templates without debug bookkeeping), minus the HTTPS redirect.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from members.models import Member  # noqa: E402

call_command("collectstatic", "--noinput", verbosity=0)  # production serves hashed static names
settings.ALLOWED_HOSTS = ["*"]
settings.ADMIN_REQUIRE_OTP = False

SCENARIOS = [
    # (label, user, url, params)
    ("secretary: search 'nguyen van'", "bithu.kp1", "/dang-vien/", {"q": "nguyen van"}),
    (
        "secretary: search + gender + age",
        "bithu.kp1",
        "/dang-vien/",
        {"q": "nguyen", "gender": "female", "age_band": "41-50"},
    ),
    ("province: search 'nguyen van an'", "tinh.btc", "/dang-vien/", {"q": "nguyen van an"}),
    (
        "province: search 'tran thi' + filters",
        "tinh.btc",
        "/dang-vien/",
        {"q": "tran thi", "gender": "female", "age_band": "51-60", "political_theory": "so_cap"},
    ),
    ("province: no search, page 1", "tinh.btc", "/dang-vien/", {}),
    ("province: broad search 'nguyen', page 100", "tinh.btc", "/dang-vien/", {"q": "nguyen", "page": "100"}),
    ("admin changelist: search 'nguyen van an'", "quantri", "/admin/members/member/", {"q": "nguyen van an"}),
    ("admin changelist: search 'tran thi'", "quantri", "/admin/members/member/", {"q": "tran thi"}),
]


def measure(client: Client, url: str, params: dict, runs: int) -> tuple[float, float, int, int]:
    client.get(url, params)  # warm caches and the connection
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95, len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    print(f"database: {connection.vendor}, members: {Member.objects.count():,}, page size {settings.LIST_PAGE_SIZE}")
    print(f"{'scenario':<45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    results = {}
    for label, username, url, params in SCENARIOS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        median, p95, queries, _ = measure(client, url, params, args.requests)
        results[label] = (median, p95)
        print(f"{label:<45} {median:>10.1f} {p95:>8.1f} {queries:>8}", flush=True)
        reset_queries()
    # Queries per page must not grow with the page size.
    client = Client()
    client.force_login(User.objects.get(username="tinh.btc"))
    counts = []
    for size in (10, 100):
        settings.LIST_PAGE_SIZE = size
        counts.append(measure(client, "/dang-vien/", {"q": "nguyen"}, 1)[2])
    print(f"queries per page at page size 10 vs 100: {counts[0]} vs {counts[1]}")
    ours = results["province: search 'nguyen van an'"][1]
    admin = results["admin changelist: search 'nguyen van an'"][1]
    print(f"admin changelist p95 / member list p95 (same search): {admin / ours:.1f}×")


if __name__ == "__main__":
    main()
