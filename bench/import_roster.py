"""Roster import benchmark: 10,000 rows, wall time and peak memory, against openpyxl reading the same file.

    .venv/bin/python bench/import_roster.py [--rows 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partyorg_import .venv/bin/python bench/import_roster.py

Without DATABASE_URL it builds a fresh SQLite database in a temporary folder. The sheet is an export
of generated members (all 25 columns, dates as Excel dates). The import runs as the page does: the
check (preview) reads and checks the file and keeps the parsed sheet; the confirmed run checks that
sheet again against the registry and writes all rows in one transaction. Goal: the run ≤ 15 s and
≤ 3× the bare read.
"""

import argparse
import io
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = Path(tempfile.mkdtemp(prefix="partyorg-import-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp / 'bench.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(_tmp / "media"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings")
os.environ["AXES_ENABLED"] = "0"
os.environ.setdefault("DEBUG", "1")  # a development run: no production SECRET_KEY needed

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from accounts.models import User  # noqa: E402
from members import roster_services  # noqa: E402
from members.demo import build_tree, make_member  # noqa: E402
from members.models import Member, RosterImport  # noqa: E402
from members.roster import write_roster  # noqa: E402
from organizations.models import Organization  # noqa: E402
from partyorg.lib.dates import today  # noqa: E402


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def make_sheet(rows: int) -> bytes:
    rng = random.Random(2026)
    ward = Organization.objects.get(code="BN-XG")
    branches = list(Organization.objects.filter(path__startswith=ward.path, depth=ward.depth + 1))
    used: set[str] = set()
    members = [make_member(rng, rng.choice(branches), today=today(), used_ids=used) for _ in range(rows)]
    stream = io.BytesIO()
    write_roster(members, stream)
    return stream.getvalue()


def bare_read(content: bytes) -> float:
    started = time.perf_counter()
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    for _ in workbook.active.iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - started


def run_import(content: bytes, actor, ward) -> tuple[float, float, RosterImport]:
    stream = io.BytesIO(content)
    started = time.perf_counter()
    roster_import = roster_services.start_roster_import(
        actor=actor, organization=ward, file=stream, file_name="bench.xlsx", queue=False
    )
    roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    checked = time.perf_counter()
    assert roster_import.can_confirm, roster_import.report["problems"][:5]
    roster_services.confirm_roster_import(actor=actor, roster_import=roster_import, queue=False)
    roster_import = roster_services.run_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.status == RosterImport.Status.DONE
    return checked - started, time.perf_counter() - checked, roster_import


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(code="BN-XG").exists():
        build_tree(actor=None, rng=random.Random(1), base_count=3, branches_per_base=2)
    actor = User.objects.filter(username="bench").first() or User.objects.create_user("bench", password="x")
    ward = Organization.objects.get(code="BN-XG")
    Member.history.filter(branch__path__startswith=ward.path).delete()

    content = make_sheet(args.rows)
    print(f"{args.rows} rows, {len(content) / 1024 / 1024:.1f} MB, database {django.db.connection.vendor}")
    bare = min(bare_read(content) for _ in range(3))
    print(f"openpyxl read alone (best of 3): {bare:.2f} s")

    rss_before = max_rss_mb()
    check, run, roster_import = run_import(content, actor, ward)
    print(f"check (preview):       {check:.2f} s  = {check / bare:.1f}× the bare read")
    print(f"confirmed run (write): {run:.2f} s  = {run / bare:.1f}× the bare read")
    print(f"both steps:            {check + run:.2f} s")
    print(f"new members: {roster_import.new_count}; peak RSS {max_rss_mb():.0f} MB (was {rss_before:.0f} MB before)")

    # The same import again (every row now unchanged), traced for the Python heap's peak.
    tracemalloc.start()
    _, _, again = run_import(content, actor, ward)
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    print(f"re-import of the same sheet: {again.unchanged_count} unchanged; peak Python heap {peak:.0f} MB")


if __name__ == "__main__":
    main()
