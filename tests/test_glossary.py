"""The pages say one thing one way: the variants docs/glossary.md lists under "Not written" appear nowhere in the
templates or in the Vietnamese text of the code (the roster's list of headers it accepts from spreadsheets aside)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Where the pages' words are written: templates, and the apps' code (labels, messages, choices).
APPS = ("accounts", "admissions", "audit", "documents", "members", "organizations", "partyorg")
# The headers a spreadsheet may carry, old words included, so that the import recognizes them.
ACCEPTED_INPUT = {ROOT / "members" / "roster.py"}


def not_written() -> list[str]:
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    section = text.split("## Not written", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| not written")]
    return [row.split("|")[1].strip() for row in rows if not set(row.split("|")[1].strip()) <= {"-"}]


def ui_sources() -> list[Path]:
    files = list((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        files += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts and p not in ACCEPTED_INPUT]
    return files


def test_the_glossary_lists_variants_not_to_write():
    assert "miễn sinh hoạt" in not_written() and "xoá" in not_written()


def test_the_pages_use_the_glossarys_terms():
    variants = not_written()
    found = []
    for path in ui_sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found += [f"{path.relative_to(ROOT)}:{number}: {v}" for v in variants if re.search(re.escape(v), line)]
    assert found == []
