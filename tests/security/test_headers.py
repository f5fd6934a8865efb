"""Every response carries the Content-Security-Policy and Permissions-Policy, and the templates stay within
the policy: nothing inline for the browser to run or style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

REPOSITORY = Path(settings.BASE_DIR)
# Rendered to PDF by WeasyPrint, never served to a browser: their inline styles are the printed layout.
PRINT_BASE = '{% extends "documents/base_print.html" %}'

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def _browser_templates():
    folders = [REPOSITORY / "templates", *REPOSITORY.glob("*/templates")]
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            if path.is_relative_to(REPOSITORY / "templates" / "documents") or text.startswith(PRINT_BASE):
                continue
            yield path, text


def test_the_template_walk_finds_the_templates():
    names = {path.name for path, _ in _browser_templates()}
    assert {"base.html", "login.html", "board.html", "_plan_panel.html"} <= names


@pytest.mark.parametrize(
    "pattern, what",
    [
        (INLINE_SCRIPT, "inline <script>"),
        (EVENT_HANDLER, "on*= event handler"),
        (STYLE_ATTRIBUTE, 'style="" attribute'),
        (STYLE_ELEMENT, "<style> element"),
        (JAVASCRIPT_URL, "javascript: URL"),
    ],
)
def test_no_template_has_inline_code_or_styles(pattern, what):
    offenders = [
        f"{path.relative_to(REPOSITORY)}:{text[: match.start()].count(chr(10)) + 1}"
        for path, text in _browser_templates()
        for match in pattern.finditer(text)
    ]
    assert not offenders, f"{what} is blocked by the Content-Security-Policy (use app.js or app.css): {offenders}"


def test_the_checks_catch_inline_code():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js"></script>')
    assert EVENT_HANDLER.search('<select name="x" onchange="this.form.submit()">')
    assert STYLE_ATTRIBUTE.search('<div class="progress-bar" style="width: 5%">')
    assert not STYLE_ATTRIBUTE.search("<p>style=plain text</p>")


def test_pages_carry_the_policies(client, personas):
    for response in (client.get(reverse("login")), _logged_in_home(client, personas)):
        policy = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
        assert "unsafe" not in policy
        permissions = response.headers["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in permissions


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client, db):
    body = client.get(reverse("login")).content.decode()
    assert '"includeIndicatorStyles": false' in body and '"allowEval": false' in body
    assert "js/app.js" in body


def _logged_in_home(client, personas):
    client.force_login(personas.secretary_a)
    return client.get(reverse("home"), follow=True)
