"""Scope and permission matrix: every URL that takes an object id, as every persona, multi-role ones included.

For each case (an object somewhere in the tree) and each persona:
- outside the persona's scope: 404 on every method, and the database unchanged;
- inside it, a read URL answers 200 (or 403 for personas a case names as not allowed to read it; or 404 to all
  but the personas a private object is kept for, e.g. an export for its requester);
- inside it, a state-changing URL answers 403 to the personas that may not act there, **with a payload that
  would have worked** for one who may, and the database is unchanged; the personas that may act post the same
  payload and the database changes (which is what proves the payload good).

The matrix is built from the URL configuration itself, so a new URL with an id fails
`test_every_url_with_an_id_is_in_the_matrix` until a case is added for it, here or in a
`tests/<app>/scope_cases.py` module holding a `CASES` dict of its own.

Who may act is written out per case (`actors`), not derived from organizations.permissions: the matrix is
the specification the permission code is checked against.
"""

import datetime as dt
import hashlib
import importlib
import pathlib

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organizations.models import Role, RoleKind
from tests.factories import make_user
from tests.matrix import Case, act, read

# Single-role personas (tests/conftest.py) and two multi-role ones: a decision role in one place, a
# secretary's role in another. Scope is the union of roles; the right to act is not.
PERSONAS = [
    "secretary_a",
    "secretary_b",
    "base",
    "superior",
    "outsider",
    "province",
    "base_and_secretary",
    "superior_and_secretary",
]

# Tables whose rows change on any request or login, not through the views under test.
UNWATCHED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
# Columns written by the login itself.
UNWATCHED_COLUMNS = {"last_login"}


def _member(name):
    return lambda fx: (getattr(fx.members, name), getattr(fx.members, name).branch)


def _org(name):
    return lambda fx: (getattr(fx.tree, name), getattr(fx.tree, name))


def _day(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _edit_payload(fx, member):
    from members.forms import PROFILE_FIELDS

    payload = {}
    for field in PROFILE_FIELDS:
        value = getattr(member, field)
        payload[field] = _day(value) if hasattr(value, "strftime") else ("" if value is None else value)
    payload["occupation"] = "Kỹ sư kiểm thử quyền"
    payload["version"] = member.version  # the version the form was shown at (optimistic locking)
    return payload


def _death_payload(fx, member):
    return {
        "transition": "record_death",
        "effective_on": "01/02/2025",
        "decision_number": "01-TB/CB",
        "decided_by": "Chi ủy chi bộ",
        "decided_on": "02/02/2025",
        "confirm": "1",  # the confirmed second step: the one that writes
    }


# What every tree change stands on (organizations.services), confirmed.
TREE_DECISION = {
    "decision_number": "5-QĐ/ĐU",
    "decided_by": "Ban Thường vụ Đảng ủy",
    "reason": "Sắp xếp",
    "confirm": "1",
}


def _transfer_to(branch_name):
    def payload(fx, member):
        return {
            "to_branch": getattr(fx.tree, branch_name).pk,
            "effective_on": "01/02/2025",
            "reason": "Chuyển công tác",
        }

    return payload


def _child_payload(fx, organization):
    child = {"kind": "branch", "code": f"{organization.code}-MOI", "name": "Chi bộ Mới", "active_from": "01/02/2025"}
    return {**child, **TREE_DECISION}


def _target(target_name):
    def payload(fx, organization):
        return {"target": getattr(fx.tree, target_name).pk, "effective_on": "01/02/2025", **TREE_DECISION}

    return payload


CASES = {
    "members:detail": [read(_member("an")), read(_member("yen")), read(_member("binh")), read(_member("other"))],
    # Any role over the branch corrects the file (the secretary of the branch included).
    "members:edit": [
        act(_member("an"), {"secretary_a", "base", "base_and_secretary", "superior", "province"}, _edit_payload),
        act(_member("other"), {"outsider", "province", "base_and_secretary", "superior_and_secretary"}, _edit_payload),
        # Secretary of Khu phố 1 through a second role: they correct its files as its secretary.
        act(_member("binh"), {"superior", "province", "superior_and_secretary"}, _edit_payload),
    ],
    # Decisions: the base level and above, through a role over the member's branch.
    "members:change_status": [
        act(_member("yen"), {"base", "base_and_secretary", "superior", "province"}, _death_payload),
        act(_member("other"), {"outsider", "province", "superior_and_secretary"}, _death_payload),
        # Secretary of Khu phố 5 (base_and_secretary) and of Khu phố 1 (superior_and_secretary): no decisions.
        act(_member("binh"), {"superior", "province"}, _death_payload),
    ],
    "members:transfer": [
        act(_member("an"), {"base", "base_and_secretary", "superior", "province"}, _transfer_to("branch_b")),
        act(_member("binh"), {"superior", "province"}, _transfer_to("branch_a")),
        act(_member("other"), {"outsider", "province", "superior_and_secretary"}, _transfer_to("other_branch_2")),
    ],
    "members:reveal_personal_id": [
        act(_member(name), actors, lambda fx, member: {}, post_only=True)
        for name, actors in (
            ("an", {"secretary_a", "base", "base_and_secretary", "superior", "province"}),
            ("yen", {"secretary_b", "base", "base_and_secretary", "superior", "province"}),
            ("other", {"outsider", "province", "base_and_secretary", "superior_and_secretary"}),
            ("binh", {"superior", "province", "superior_and_secretary"}),
        )
    ],
    "organizations:detail": [read(_org(n)) for n in ("branch_a", "branch_b", "base", "other_ward")],
    "organizations:create_child": [
        act(_org("base"), {"superior", "province"}, _child_payload),
        act(
            _org("other_ward"),
            {"outsider", "province", "superior_and_secretary"},
            lambda fx, org: {**_child_payload(fx, org), "kind": "base_branch"},
        ),
    ],
    # Both ends: a move is allowed only through roles over the unit and over its new parent.
    "organizations:move": [
        act(_org("base_branch"), {"province"}, _target("other_ward"), openers={"superior"}),
        act(_org("other_branch"), {"province"}, _target("ward"), openers={"outsider", "superior_and_secretary"}),
        act(_org("branch_b"), {"superior", "province"}, _target("base_2")),
    ],
    "organizations:merge": [
        act(_org("branch_b"), {"superior", "province"}, _target("branch_a")),
        act(_org("other_branch"), {"outsider", "province", "superior_and_secretary"}, _target("other_branch_2")),
        act(_org("base_branch"), {"province"}, _target("other_branch"), openers={"superior"}),
    ],
}

# Each app's own cases: url name → [Case], where fx.<name> is a pytest fixture.
for _module_path in sorted(pathlib.Path(__file__).parent.glob("*/scope_cases.py")):
    _module = importlib.import_module(f"tests.{_module_path.parent.name}.scope_cases")
    CASES.update(_module.CASES)


class _Fixtures:
    """Attribute access to pytest fixtures, so that a case can ask for the objects it needs."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return self._request.getfixturevalue(name)


@pytest.fixture
def matrix_personas(personas, tree):
    """The conftest personas, the two multi-role ones, and a second branch and base to move and merge into."""
    from organizations.models import Organization

    base_and_secretary = make_user("coso_va_bithu", RoleKind.BASE_STAFF, tree.base)
    Role.objects.create(user=base_and_secretary, organization=tree.other_branch, kind=RoleKind.BRANCH_SECRETARY)
    superior_and_secretary = make_user("phuong_va_bithu", RoleKind.SUPERIOR_STAFF, tree.other_ward)
    Role.objects.create(user=superior_and_secretary, organization=tree.base_branch, kind=RoleKind.BRANCH_SECRETARY)
    personas.base_and_secretary = base_and_secretary
    personas.superior_and_secretary = superior_and_secretary
    tree.other_branch_2 = Organization.objects.add_child(
        Organization.objects.get(pk=tree.other_ward.pk),
        dict(code="T-DM-KP6", name="Chi bộ Khu phố 6", kind="base_branch"),
    )
    tree.base_2 = Organization.objects.add_child(
        Organization.objects.get(pk=tree.ward.pk),
        dict(code="T-XG-UB", name="Đảng bộ Cơ quan phường", kind="base_committee"),
    )
    for name in ("province", "ward", "base", "branch_a", "branch_b", "base_branch", "other_ward", "other_branch"):
        setattr(tree, name, Organization.objects.get(pk=getattr(tree, name).pk))
    return personas


def _urls_with_ids(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.namespace is None and "admin" in str(pattern.pattern):
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _urls_with_ids(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.pattern.converters:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)


def test_every_url_with_an_id_is_in_the_matrix():
    missing = [name for name, _ in _urls_with_ids() if name not in CASES]
    assert not missing, f"add scope cases for: {missing}"


def database_fingerprint() -> str:
    """A digest of every row of every table the views may write: equal digests, unchanged database."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.db_table):
        if model._meta.db_table in UNWATCHED_TABLES or not model._meta.managed:
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in UNWATCHED_COLUMNS]
        digest.update(model._meta.db_table.encode())
        for row in model._base_manager.order_by("pk").values_list(*columns):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _in_scope(user, organization) -> bool:
    return user.is_superuser or any(organization.path.startswith(r.organization.path) for r in user.roles.all())


def _check(client, user, persona_name, url_name, case: Case, made):
    obj, owner, url, payload = made
    client.force_login(user)
    where = (url_name, persona_name, str(obj))
    before = database_fingerprint()
    if not _in_scope(user, owner):
        for method in ("get", "post"):
            status = getattr(client, method)(url, payload if method == "post" else {}).status_code
            expected = 405 if (method == "get" and case.post_only) or (method == "post" and case.get_only) else 404
            assert status == expected, (*where, method, status)
        assert database_fingerprint() == before, (*where, "the database changed on a refused request")
        return "outside"
    if case.actors is None:  # a read
        status = client.get(url).status_code
        if case.private_to is not None and persona_name not in case.private_to:
            expected = 404
        else:
            expected = 403 if persona_name in case.not_readers else case.read_status
        assert status == expected, (*where, "get", status)
        return "read"
    may_act, may_open = persona_name in case.actors, persona_name in case.openers
    if not case.post_only:
        status = client.get(url).status_code
        assert status == (200 if may_open else 403), (*where, "get", status)
    response = client.post(url, payload)
    if may_act:
        assert response.status_code in (200, 302), (*where, "post", response.status_code)
        assert database_fingerprint() != before, (*where, "the payload changed nothing: it proves no refusal")
        return "acted"
    # Refused: 403, or for one who may open the form, the form again with the offending choice refused.
    assert response.status_code == (200 if may_open else 403), (*where, "post", response.status_code)
    if may_open:
        assert response.context["form"].errors, (*where, "the form accepted a choice outside the user's roles")
    assert database_fingerprint() == before, (*where, "the database changed on a refused request")
    return "refused"


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_every_persona_at_every_url(request, client, matrix_personas, url_name):
    fx = _Fixtures(request)
    for case in CASES[url_name]:
        # The object, its URL and the payload are made once, before any request (they may build fixtures).
        obj, owner, *extra = case.make(fx)
        url = reverse(url_name, kwargs={"pk": obj.pk, **(extra[0] if extra else {})})
        made = (obj, owner, url, case.payload(fx, obj) if case.payload else {})
        for persona_name in PERSONAS:
            # Each request starts from the same database: what one persona did must not decide the next one's answer.
            with transaction.atomic():
                _check(client, getattr(matrix_personas, persona_name), persona_name, url_name, case, made)
                transaction.set_rollback(True)


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_each_url_is_checked_outside_and_inside_scope(request, client, matrix_personas, url_name):
    """The cases of a URL put some persona outside the object's scope, and (for actions) some persona may act
    and some in scope may not: otherwise the matrix would prove nothing for that URL."""
    fx = _Fixtures(request)
    outcomes = set()
    for case in CASES[url_name]:
        obj, owner, *_ = case.make(fx)
        for persona_name in PERSONAS:
            user = getattr(matrix_personas, persona_name)
            if not _in_scope(user, owner):
                outcomes.add("outside")
            elif case.actors is not None:
                outcomes.add("acted" if persona_name in case.actors else "refused")
    assert "outside" in outcomes
    if any(case.actors is not None for case in CASES[url_name]):
        assert "acted" in outcomes, outcomes


def test_another_branch_member_gives_404(client, personas, members):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("members:detail", kwargs={"pk": members.yen.pk})).status_code == 404
    assert client.get(reverse("members:detail", kwargs={"pk": members.an.pk})).status_code == 200


def test_user_without_role_sees_nothing(client, db, members):
    client.force_login(make_user("khongvaitro"))
    response = client.get(reverse("members:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


# URLs without an id that create something somewhere: the place is chosen in the payload. Each persona posts a
# payload aimed at a place; those who may not act there are refused (403, or the form with the place refused)
# and the database is unchanged; those who may, succeed.
def _new_member(branch_name):
    def payload(fx):
        from tests.factories import member_data

        data = member_data(full_name="Đinh Thị Mới", gender="female", birth_date=dt.date(1990, 6, 7))
        data = {k: _day(v) if hasattr(v, "strftime") else v for k, v in data.items()}
        return {**data, "branch": getattr(fx.tree, branch_name).pk}

    return payload


def _new_candidate(branch_name):
    def payload(fx):
        from tests.factories import personal_id_for

        birth = dt.date(2002, 4, 5)
        return {
            "branch": getattr(fx.tree, branch_name).pk,
            "full_name": "Quần chúng Mới",
            "gender": "male",
            "birth_date": _day(birth),
            "personal_id": personal_id_for("male", birth),
            "ethnicity": "Kinh",
            "religion": "Không",
            "general_education": "upper_secondary",
            "proposed_by": "youth_union",
            "proposed_on": "10/01/2024",
        }

    return payload


def _roster_upload(org_name):
    def payload(fx):
        from tests.members.roster_files import roster_file, sheet_row

        return {"organization": getattr(fx.tree, org_name).pk, "file": roster_file([sheet_row()])}

    return payload


CREATE_CASES = {
    "members:create": [
        (_new_member("branch_a"), {"base", "base_and_secretary", "superior", "province"}),
        (_new_member("other_branch"), {"outsider", "province", "superior_and_secretary"}),
        (_new_member("base_branch"), {"superior", "province"}),
    ],
    "admissions:candidate_create": [
        (_new_candidate("branch_b"), {"secretary_b"}),
        (_new_candidate("other_branch"), {"base_and_secretary"}),
        (_new_candidate("base_branch"), {"superior_and_secretary"}),
    ],
    "members:import": [
        (_roster_upload("base"), {"base", "base_and_secretary", "superior", "province"}),
        (_roster_upload("other_branch"), {"outsider", "province", "superior_and_secretary"}),
        (_roster_upload("base_branch"), {"superior", "province"}),
    ],
}


@pytest.mark.parametrize("url_name", sorted(CREATE_CASES))
def test_every_persona_creates_only_where_a_role_lets_them(request, client, matrix_personas, members, url_name):
    fx = _Fixtures(request)
    for make_payload, actors in CREATE_CASES[url_name]:
        for persona_name in PERSONAS:
            client.force_login(getattr(matrix_personas, persona_name))
            with transaction.atomic():
                before = database_fingerprint()
                response = client.post(reverse(url_name), make_payload(fx))
                where = (url_name, persona_name, make_payload(fx).get("branch") or make_payload(fx).get("organization"))
                if persona_name in actors:
                    assert response.status_code == 302, (*where, response.status_code)
                    assert database_fingerprint() != before, where
                else:
                    assert response.status_code in (200, 403), (*where, response.status_code)
                    if response.status_code == 200:
                        assert response.context["form"].errors, (*where, "the form accepted a place outside the roles")
                    assert database_fingerprint() == before, (*where, "the database changed on a refused request")
                transaction.set_rollback(True)
