"""Printed forms benchmark: one 2-page form, one whole dossier, and a batch of 100 dossiers through Celery.

    .venv/bin/python bench/print_forms.py                      # SQLite, Celery in-process (eager)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partyorg_pdf \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/print_forms.py --worker-concurrency 2

With a broker the script starts `celery -A partyorg worker` as a subprocess on the same database and
queues the batch to it; without one the tasks run in-process. Give the bench a Redis database of its own
(here /2): a test run's worker on the same queue would take the bench's tasks. The database is the bench's own: it is
flushed and seeded (demo data plus enough dossiers driven to "official" through the real services).
Targets (issue 4): one 2-page form ≤ 0.5 s, a whole dossier ≤ 3 s.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyorg.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'partyorg_bench_print.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "partyorg_bench_media"))
os.environ["AXES_ENABLED"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import User  # noqa: E402
from admissions import demo, printing  # noqa: E402
from admissions.models import Dossier, DossierStage  # noqa: E402
from documents import rendering, services  # noqa: E402
from documents.models import GeneratedDocument  # noqa: E402
from organizations.models import Organization, OrganizationKind  # noqa: E402
from partyorg.celery import app  # noqa: E402


def seed(dossier_count: int, members: int) -> list[Dossier]:
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", members=members, seed=7, verbosity=0)
    rng, today = random.Random(7), dt.date.today()
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    used = set(Dossier.objects.values_list("candidate__personal_id", flat=True))
    base = Organization.objects.filter(kind=OrganizationKind.BASE_COMMITTEE).order_by("path").first()
    branches = list(Organization.objects.filter(path__startswith=base.path, kind=OrganizationKind.BRANCH)[:4])
    makers = [m for m in (demo.DemoDossier(rng, b, admin, today) for b in branches) if len(m.officials) >= 2]
    full = list(Dossier.objects.filter(stage=DossierStage.OFFICIAL))
    while len(full) < dossier_count:
        maker = makers[len(full) % len(makers)]
        start = today - dt.timedelta(days=rng.randint(560, 800))
        full.append(maker.run("official", start, used))
    return full[:dossier_count]


def timed(fn, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return timings


def report(label: str, timings: list[float], target: float | None = None) -> None:
    median = statistics.median(timings)
    p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
    verdict = "" if target is None else ("  ok" if median <= target else f"  OVER {target:.1f} s")
    print(f"{label:<48} median {median:6.3f} s   p95 {p95:6.3f} s   n={len(timings)}{verdict}")


def two_page_form(dossiers: list[Dossier], runs: int) -> None:
    printable = printing.printable_form(dossiers[0], "2-knd")
    cold = timed(lambda: rendering.render_pdf(printable.template, printable.context), 1)[0]
    pages = len(rendering.render_document(printable.template, printable.context).pages)
    print(f"2-KNĐ: {pages} pages; first render in the process (fonts loaded) {cold:.3f} s")
    report(
        "one 2-page form (2-KNĐ), render only",
        timed(lambda: rendering.render_pdf(printable.template, printable.context), runs),
        0.5,
    )

    def through_view_service():
        GeneratedDocument.objects.filter(code="2-KNĐ").delete()
        services.form_pdf(subject=dossiers[0], printable=printing.printable_form(dossiers[0], "2-knd"))

    report("one 2-page form, data + render + cache store", timed(through_view_service, runs), 0.5)
    report(
        "one 2-page form, cache hit",
        timed(
            lambda: services.form_pdf(subject=dossiers[0], printable=printing.printable_form(dossiers[0], "2-knd")),
            runs,
        ),
    )


def whole_dossier(dossiers: list[Dossier], runs: int) -> None:
    timings, pages = [], []
    for dossier in dossiers[:runs]:
        GeneratedDocument.objects.filter(object_id=dossier.pk, code=GeneratedDocument.BUNDLE).delete()
        app.conf.task_always_eager = False  # queue nothing: the service runs here, timed on its own
        row = services.request_bundle(subject=dossier)
        started = time.perf_counter()
        pages.append(services.render_bundle(document_id=row.pk))
        timings.append(time.perf_counter() - started)
    print(f"whole dossier: {statistics.median(pages):.0f} pages, {len(printing.available_forms(dossiers[0]))} forms")
    report("whole dossier (contents + every form, one PDF)", timings, 3.0)


def batch(dossiers: list[Dossier], concurrency: int) -> None:
    GeneratedDocument.objects.all().delete()
    worker = None
    if settings.CELERY_BROKER_URL:
        app.conf.task_always_eager = False
        command = [sys.executable, "-m", "celery", "-A", "partyorg", "worker", "--loglevel", "WARNING"]
        command += ["--concurrency", str(concurrency), "--without-gossip", "--without-mingle"]
        command += ["-n", f"bench-print-{os.getpid()}@%h"]
        worker = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1) and time.monotonic() < deadline:
            pass
        mode = f"real worker, concurrency {concurrency}, broker {settings.CELERY_BROKER_URL}"
    else:
        app.conf.task_always_eager = True
        mode = "in-process (eager, no broker)"
    try:
        started = time.perf_counter()
        for dossier in dossiers:
            services.request_bundle(subject=dossier)
        queued = time.perf_counter() - started
        ids = list(GeneratedDocument.objects.filter(code=GeneratedDocument.BUNDLE).values_list("pk", flat=True))
        while GeneratedDocument.objects.filter(pk__in=ids, status__in=["pending", "running"]).exists():
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
    done = GeneratedDocument.objects.filter(pk__in=ids, status="done").count()
    pages = sum(GeneratedDocument.objects.filter(pk__in=ids).values_list("page_count", flat=True))
    print(f"batch of {len(dossiers)} dossiers, {mode}: {done} done, {pages} pages")
    print(f"  total {elapsed:.1f} s (queueing {queued:.1f} s) → {elapsed / len(dossiers):.3f} s per dossier")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=100)
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--worker-concurrency", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    print(f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; seeding {args.dossiers} dossiers …")
    started = time.perf_counter()
    dossiers = seed(args.dossiers, args.members)
    print(f"seeded in {time.perf_counter() - started:.0f} s")
    two_page_form(dossiers, args.runs)
    whole_dossier(dossiers, args.runs)
    batch(dossiers, args.worker_concurrency)


if __name__ == "__main__":
    main()
