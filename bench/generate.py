"""Generate a large registry for the benchmarks: the demo tree scaled to N members.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partyorg_bench \
        .venv/bin/python bench/generate.py --members 500000

The database must be empty (it is migrated first). History rows are skipped for speed unless
--with-history: the list pages never read them.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("DEBUG", "1")  # a development run: no production SECRET_KEY needed

import django  # noqa: E402

django.setup()

import random  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from members import demo  # noqa: E402
from organizations.models import Organization  # noqa: E402
from partyorg.lib.dates import today  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--with-history", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if Organization.objects.exists():
        sys.exit("The database already holds data; use an empty one.")
    started = time.perf_counter()
    rng = random.Random(args.seed)
    base_count = max(3, round(38 * args.members / 10_000))
    tree = demo.build_tree(actor=None, rng=rng, base_count=base_count, branches_per_base=8)
    demo.create_accounts(tree)
    print(f"tree: {Organization.objects.count()} organizations in {time.perf_counter() - started:.1f}s", flush=True)
    actor = User.objects.get(username="quantri")
    step = 50_000
    done = 0
    while done < args.members:
        n = min(step, args.members - done)
        branches = tree.branches[:6] if done == 0 and n >= 320 else tree.branches
        demo.generate_members(
            branches=branches if done else tree.branches,
            count=n,
            rng=rng,
            actor=actor,
            today=today(),
            with_history=args.with_history,
        )
        done += n
        print(f"  {done} members, {time.perf_counter() - started:.0f}s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"done in {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
