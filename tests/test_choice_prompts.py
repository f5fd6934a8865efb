"""Every select opens on a Vietnamese prompt, not Django's "---------" (partyorg.lib.forms.ChoicePromptMixin)."""

import importlib
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.forms import MemberFilter
from members.models import Member
from partyorg.lib.forms import ChoicePromptMixin, set_choice_prompt

# The project's own apps: under the repository, but not the libraries of a virtualenv kept inside it (.venv).
PROJECT_APPS = [
    app.name
    for app in apps.get_app_configs()
    if app.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in Path(app.path).parts
]


def _project_forms():
    for app in PROJECT_APPS:
        try:
            importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
    found, stack = [], [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS and not cls.__name__.startswith("_"):
            found.append(cls)
    return found


def test_every_form_of_the_project_prompts_in_vietnamese():
    classes = _project_forms()
    assert len(classes) > 20  # the member, organization and admission forms were found
    assert [cls.__qualname__ for cls in classes if not issubclass(cls, ChoicePromptMixin)] == []
    assert issubclass(MemberFilter._meta.form, ChoicePromptMixin)


def test_prompt_replaces_only_the_dashes_and_runs_no_query(db):
    field = forms.ModelChoiceField(queryset=Member.objects.all())
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
    custom = forms.ChoiceField(choices=[("", "— Chọn thay đổi —"), ("a", "A")])
    with CaptureQueriesContext(connection) as queries:
        for f in (field, plain, custom):
            set_choice_prompt(f, "— Chọn —")
    assert len(queries) == 0
    assert field.empty_label == "— Chọn —"
    assert plain.choices[0] == ("", "— Chọn —") and plain.widget.choices[0] == ("", "— Chọn —")
    assert custom.choices[0] == ("", "— Chọn thay đổi —")


@pytest.mark.parametrize(
    "persona, url",
    [
        ("superior", lambda fx: reverse("members:list")),
        ("superior", lambda fx: reverse("members:create")),
        ("base", lambda fx: reverse("members:import")),
        ("superior", lambda fx: reverse("members:transfer", args=[fx.members.an.pk])),
        ("secretary_a", lambda fx: reverse("admissions:candidate_create")),
    ],
)
def test_pages_show_no_dashes(client, tree, personas, members, persona, url):
    from types import SimpleNamespace

    client.force_login(getattr(personas, persona))
    html = client.get(url(SimpleNamespace(tree=tree, members=members))).content.decode()
    assert "<select" in html and "---------" not in html


def test_a_step_with_a_member_select_shows_the_prompt(client, tree, personas, members):
    from admissions import services
    from tests.admissions.conftest import person

    dossier = services.add_to_source_pool(
        actor=personas.secretary_a, branch=tree.branch_a, proposed_by="youth_union", proposed_on=tree_day(), **person()
    )
    client.force_login(personas.secretary_a)
    html = client.get(reverse("admissions:dossier_action", args=[dossier.pk, "sympathizer"])).content.decode()
    assert '<option value="" selected>— Chọn —</option>' in html and "---------" not in html


def tree_day():
    import datetime as dt

    return dt.date(2024, 1, 10)
