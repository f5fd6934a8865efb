"""Vendored assets are served from static/ (no CDN): each one is loaded by a template or a stylesheet, or is
listed in static/vendor/VERSIONS.txt as kept for a planned feature. Nothing else ships."""

from pathlib import Path

from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "static"
VENDOR = STATIC / "vendor"


def _planned() -> set[str]:
    lines = (VENDOR / "VERSIONS.txt").read_text(encoding="utf-8").splitlines()
    return {line.removeprefix("planned:").split("—")[0].strip() for line in lines if line.startswith("planned:")}


def test_every_vendored_file_is_used_or_planned():
    templates = Path(settings.BASE_DIR) / "templates"
    used_by_pages = " ".join(p.read_text(encoding="utf-8") for p in templates.rglob("*.html"))
    stylesheets = " ".join(p.read_text(encoding="utf-8") for p in STATIC.rglob("*.css"))
    planned = _planned()
    unused = [
        str(path.relative_to(VENDOR))
        for path in VENDOR.rglob("*")
        if path.is_file()
        and path.name != "VERSIONS.txt"
        and f"vendor/{path.relative_to(VENDOR)}" not in used_by_pages
        and path.name not in stylesheets  # fonts loaded by a vendored stylesheet
        and str(path.relative_to(VENDOR)) not in planned
    ]
    assert unused == []


def test_planned_assets_exist():
    planned = _planned()
    assert planned and all((VENDOR / name).is_file() for name in planned)
