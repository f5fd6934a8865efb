"""Printed documents as PDF (WeasyPrint), in the layout of Hướng dẫn 36-HD/VPTW (2018) on party documents.

The serif is Liberation Serif 2 (Times New Roman metrics, full Vietnamese, SIL OFL 1.1), shipped in
`static/fonts/` and loaded with @font-face by file URL: the PDF embeds it whatever the machine has, so a
document prints the same from a server without fonts and from a desktop with Times New Roman.
"""

import atexit
import datetime as dt
import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template, render_to_string

# WeasyPrint logs every layout step at INFO; the root logger is at INFO in this project.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
BASE_TEMPLATE = "documents/base_print.html"
# Templates every printed page goes through; their text is part of each fingerprint.
LAYOUT_TEMPLATES = (BASE_TEMPLATE, "documents/print.css", "documents/contents.html")


@dataclass(frozen=True)
class Printable:
    """One printed form: its code ("6-KNĐ"), title, template and a context of plain values only."""

    code: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


def _font_url(name: str) -> str:
    return (FONT_DIR / name).as_uri()


FONT_FACES = {
    "regular": _font_url("LiberationSerif-Regular.ttf"),
    "bold": _font_url("LiberationSerif-Bold.ttf"),
    "italic": _font_url("LiberationSerif-Italic.ttf"),
    "bold_italic": _font_url("LiberationSerif-BoldItalic.ttf"),
}


_local = threading.local()


def _print_style():
    """The print stylesheet and its fonts, parsed once per thread.

    Parsing the CSS and loading the four @font-face files took about a fifth of every render; a shared
    FontConfiguration keeps them for the next documents (WeasyPrint's documented way to reuse fonts).
    """
    style = getattr(_local, "style", None)
    if style is None:
        from weasyprint import CSS  # imported here: loading pango costs a second at start-up
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        css = CSS(string=render_to_string("documents/print.css", {"fonts": FONT_FACES}), font_config=font_config)
        style = _local.style = (css, font_config)
        # Drop it before the interpreter tears pango down (FontConfiguration.__del__ needs it).
        atexit.register(lambda: _local.__dict__.pop("style", None))
    return style


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, context)


def render_document(template: str, context: dict):
    """The laid-out WeasyPrint document (pages can be combined with others' before writing)."""
    from weasyprint import HTML

    css, font_config = _print_style()
    html = HTML(string=render_html(template, context), base_url=str(settings.BASE_DIR))
    return html.render(stylesheets=[css], font_config=font_config)


def render_pdf(template: str, context: dict) -> bytes:
    """A PDF of `template` rendered with `context`; fonts embedded and subset."""
    return render_document(template, context).write_pdf()


def combine(documents) -> bytes:
    """One PDF of the pages of several rendered documents, in order."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"a print context holds plain values only, not {type(value).__name__}")


def fingerprint(printables: list[Printable]) -> str:
    """A hash of everything that goes on paper: the templates' text and the contexts.

    Contexts hold plain values, so the same data gives the same hash; a changed name, vote count or
    template gives another, and the cached PDF is rendered again.
    """
    digest = hashlib.sha256()
    templates = sorted({p.template for p in printables} | set(LAYOUT_TEMPLATES))
    for name in templates:
        digest.update(name.encode())
        digest.update(get_template(name).template.source.encode())
    for printable in printables:
        payload = [printable.code, printable.title, printable.template, printable.context]
        digest.update(json.dumps(payload, sort_keys=True, default=_plain, ensure_ascii=False).encode())
    return digest.hexdigest()
