"""Admission board benchmark: server time and SQL queries of the board of a base organization with 200 open
dossiers (issue 4: ≤ 150 ms), as its base committee staff, filtered to one branch, and as province staff.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partyorg_board .venv/bin/python bench/admission_board.py

Uses a database of its own: created (PostgreSQL) and migrated if missing, seeded with the demo data
(`seed_demo --members 2000`) if empty, then topped up to --dossiers open dossiers under the base
organization of the demo account dangbo.coso. The extra dossiers are bulk-inserted rows spread over the
board's stages with deadlines around today, a fifth of them overdue: the board reads only the dossier, its
candidate and its branch, so driving them through the services would add minutes, not realism.
Requests go through the whole Django stack in-process (middleware, view, template), so the time is the
server's time without the network. Prints median and p95 wall time over --requests runs per scenario, the
median CPU time of this process (the Python part, less sensitive to a busy machine) and the load average.
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
os.environ.setdefault("DEBUG", "1")


def ensure_postgres_database() -> None:
    """CREATE DATABASE when DATABASE_URL names a PostgreSQL database that does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if name in ("partyorg", "partyorg_bench"):
        sys.exit(f"{name} belongs to other runs; give this benchmark its own database (e.g. partyorg_board).")
    params = dict(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres")
    if config.get("PASSWORD"):
        params["password"] = config["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


ensure_postgres_database()

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import io  # noqa: E402
import random  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from admissions.models import BOARD_STAGES, OPEN_STAGES, Candidate, Dossier, DossierStage, ProposedBy  # noqa: E402
from organizations.models import Organization, OrganizationKind  # noqa: E402
from partyorg.lib.dates import today  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]


def prepare(dossier_count: int, seed: int) -> Organization:
    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        print("seeding the demo data (2000 members)…", flush=True)
        call_command("seed_demo", members=2000, stdout=io.StringIO())
    base = User.objects.get(username="dangbo.coso").roles.get().organization
    branches = list(Organization.objects.filter(path__startswith=base.path, kind=OrganizationKind.BRANCH))
    existing = Dossier.objects.filter(branch__path__startswith=base.path, stage__in=OPEN_STAGES).count()
    missing = dossier_count - existing
    if missing > 0:
        rng, on = random.Random(seed), today()
        candidates = Candidate.objects.bulk_create(
            Candidate(
                full_name=f"Quần chúng thử tải {existing + i:03d}",
                gender=rng.choice(["male", "female"]),
                birth_date=dt.date(rng.randint(1975, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                personal_id=f"024{rng.randint(0, 3)}{rng.randint(0, 99):02d}{rng.randint(0, 999_999):06d}",
                general_education="upper_secondary",
                branch=branches[i % len(branches)],
                proposed_by=ProposedBy.YOUTH_UNION,
                proposed_on=on - dt.timedelta(days=rng.randint(30, 700)),
            )
            for i in range(missing)
        )
        Dossier.objects.bulk_create(
            Dossier(
                candidate=candidate,
                branch=candidate.branch,
                stage=(stage := BOARD_STAGES[i % len(BOARD_STAGES)]),
                opened_on=candidate.proposed_on,
                next_deadline_on=None
                if stage == DossierStage.SOURCE_POOL
                else on + dt.timedelta(days=rng.randint(-60, 240)),
                next_deadline_label="Hạn thử tải",
            )
            for i, candidate in enumerate(candidates)
        )
    return base


def measure(client: Client, url: str, params: dict, runs: int) -> tuple[float, float, float, int, int]:
    response = client.get(url, params)  # warm caches and the connection
    assert response.status_code == 200, (url, response.status_code)
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    cards = response.content.decode().count('data-testid="card"')
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95, statistics.median(cpu), len(queries), cards


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    base = prepare(args.dossiers, args.seed)
    branch = Organization.objects.filter(path__startswith=base.path, kind=OrganizationKind.BRANCH).first()
    board = reverse("admissions:board", args=[base.pk])
    scenarios = [
        ("base staff: board of the base organization", "dangbo.coso", board, {}),
        ("base staff: filtered to one branch", "dangbo.coso", board, {"chi_bo": branch.pk}),
        ("province staff: board of the base organization", "tinh.btc", board, {}),
    ]
    open_count = Dossier.objects.filter(branch__path__startswith=base.path, stage__in=OPEN_STAGES).count()
    print(f"database: {connection.vendor}, {base.name}: {open_count} open dossiers, {args.requests} requests each")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time grows with other work)")
    print(f"{'scenario':<50} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} {'queries':>8} {'cards':>6}")
    for label, username, url, params in scenarios:
        client = Client()
        client.force_login(User.objects.get(username=username))
        median, p95, cpu, queries, cards = measure(client, url, params, args.requests)
        print(f"{label:<50} {median:>10.1f} {p95:>8.1f} {cpu:>7.1f} {queries:>8} {cards:>6}", flush=True)


if __name__ == "__main__":
    main()
