"""The repository stands alone, and its documentation points at things that exist.

- No tracked file reads or cites a path outside the repository (a clone works anywhere).
- docs/rules/ names, for each rule, the code that enforces it and the tests that fail when it is broken: every
  file, every name in a file and every test it names exists, so a rename cannot leave the rules behind.
- Every "docs/… "Section"" the code cites, and every link between the docs, leads to an existing heading.
"""

import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOCS = ROOT / "docs"
# Spelled in two parts so that this file does not match itself.
OUTSIDE = ["/wo" + "rk/", "../sha" + "red", "sha" + "red/domain", "sha" + "red/fixtures", "sha" + "red/seeds"]


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    files = []
    for name in names:
        path = ROOT / name
        if (
            path.suffix in {".py", ".md", ".html", ".txt", ".toml", ".yml", ".yaml", ".css", ".cfg", ""}
            and path.is_file()
        ):
            try:
                files.append((path, path.read_text(encoding="utf-8")))
            except UnicodeDecodeError:
                continue
    return files


def test_no_file_reads_or_cites_a_path_outside_the_repository():
    found = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path, text in tracked_text_files()
        for needle in OUTSIDE
        if needle in text
    ]
    assert found == []


def _doc_texts() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in DOCS.rglob("*.md")}


def _headings(text: str) -> set[str]:
    return {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}


def _slug(heading: str) -> str:
    return re.sub(r"\s+", "-", re.sub(r"[^\w\s-]", "", heading.lower()).strip())


def test_every_test_the_rules_name_exists():
    missing = []
    for text in _doc_texts().values():
        for file, name in re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", text):
            path = ROOT / file
            if not path.is_file() or not re.search(rf"^def {name}\(", path.read_text(encoding="utf-8"), re.M):
                missing.append(f"{file}::{name}")
    assert missing == []


def test_every_file_and_name_the_rules_cite_exists():
    missing = []
    for doc, text in _doc_texts().items():
        for file, names in re.findall(r"`([\w/]+(?:\.py|/))`(?:\s+\(([^)]*)\))?", text):
            path = ROOT / file
            if not path.exists():
                missing.append(f"{doc.name}: {file}")
                continue
            if path.is_file():
                source = path.read_text(encoding="utf-8")
                missing += [
                    f"{doc.name}: {file} {n}"
                    for n in re.findall(r"`([\w.]+)`", names)
                    if n.split(".")[-1] not in source
                ]
    assert missing == []


def test_links_between_the_docs_lead_to_a_heading():
    broken = []
    for doc, text in _doc_texts().items():
        for target, anchor in re.findall(r"\]\(([\w./-]*\.md)?(?:#([\w-]+))?\)", text):
            path = (doc.parent / target).resolve() if target else doc
            if not path.is_file():
                broken.append(f"{doc.name} → {target}")
            elif anchor and anchor not in {_slug(h) for h in _headings(path.read_text(encoding="utf-8"))}:
                broken.append(f"{doc.name} → {target}#{anchor}")
    assert broken == []


def test_the_sections_the_code_cites_exist():
    broken = []
    for path, text in tracked_text_files():
        if path.suffix != ".py":
            continue
        for doc, section in re.findall(r'(docs/[\w/]+\.md)(?: "([^"]+)")?', text):
            target = ROOT / doc
            if not target.is_file():
                broken.append(f"{path.relative_to(ROOT)}: {doc}")
            elif section and section not in _headings(target.read_text(encoding="utf-8")):
                broken.append(f'{path.relative_to(ROOT)}: {doc} "{section}"')
    assert broken == []
