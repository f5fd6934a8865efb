"""Imports run one way: organizations → members → workflows (admissions, documents) → screening → reports.

A lower layer never imports a higher one, not even inside a function: what a lower page or service needs from
above is registered in settings (ORGANIZATION_PANELS, TREE_PARTICIPANTS, PRINT_BUNDLES) and looked up by name.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Each app and the apps it may import (besides itself and the shared partyorg, accounts and audit).
LAYERS = {
    "organizations": set(),
    "members": {"organizations"},
    "documents": {"organizations"},
    "admissions": {"organizations", "members", "documents"},
}
APPS = set(LAYERS) | {"ratings", "meetings", "dues", "screening", "reports"}


def _imported_apps(path: pathlib.Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
    return found & APPS


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_an_app_imports_only_the_layers_below_it(app):
    wrong = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue  # migrations name the models they depend on, as Django writes them
        above = _imported_apps(path) - LAYERS[app] - {app}
        if above:
            wrong[str(path.relative_to(ROOT))] = sorted(above)
    assert wrong == {}
