"""Scope guard: every URL that takes an object id, as every persona outside that object's scope.

The matrix is built from the URL configuration itself, so a new URL with an id fails
`test_every_url_with_an_id_is_in_the_matrix` until a case is added for it, here or in a
`tests/<app>/scope_cases.py` module holding a `CASES` dict of its own.
"""

import importlib
import pathlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ["secretary_a", "secretary_b", "base", "superior", "outsider", "province"]


def _member(name):
    return lambda fx: (getattr(fx.members, name), getattr(fx.members, name).branch)


def _org(name):
    return lambda fx: (getattr(fx.tree, name), getattr(fx.tree, name))


# url name → how to get (object, organization that owns it). Objects in several parts of the tree,
# so that each persona is outside at least one of them.
CASES = {
    "members:detail": [_member("an"), _member("yen"), _member("binh"), _member("other")],
    "members:edit": [_member("an"), _member("other")],
    "members:change_status": [_member("yen"), _member("other")],
    "members:transfer": [_member("binh"), _member("other")],
    "members:reveal_personal_id": [_member("an"), _member("yen"), _member("other")],
    "organizations:detail": [_org("branch_a"), _org("branch_b"), _org("base"), _org("other_ward")],
    "organizations:create_child": [_org("base"), _org("other_ward")],
    "organizations:move": [_org("branch_b"), _org("other_branch")],
    "organizations:merge": [_org("branch_b"), _org("other_branch")],
}

# Each app's own cases: url name → [case(fx) → (object, owning organization)], where fx.<name> is a fixture.
for _module_path in sorted(pathlib.Path(__file__).parent.glob("*/scope_cases.py")):
    _module = importlib.import_module(f"tests.{_module_path.parent.name}.scope_cases")
    CASES.update(_module.CASES)


class _Fixtures:
    """Attribute access to pytest fixtures, so that a case can ask for the objects it needs."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return self._request.getfixturevalue(name)


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


def _outside(user, organization) -> bool:
    return not any(organization.path.startswith(role.organization.path) for role in user.roles.all())


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_objects_outside_scope_are_unreachable(request, client, personas, url_name):
    fx = _Fixtures(request)
    checked = 0
    for case in CASES[url_name]:
        obj, owner, *extra = case(fx)  # an optional third item: more URL kwargs
        url = reverse(url_name, kwargs={"pk": obj.pk, **(extra[0] if extra else {})})
        for persona_name in PERSONAS:
            user = getattr(personas, persona_name)
            if not _outside(user, owner):
                continue
            client.force_login(user)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                # 404 outside the scope; 403 where the role may not act; 405 for a GET on a POST-only action.
                assert response.status_code in (403, 404, 405), (url_name, persona_name, method, response.status_code)
                if response.status_code == 403:
                    assert str(obj) not in response.content.decode()
            checked += 1
    assert checked, "the cases of this URL put no persona outside the object's scope"


def test_another_branch_member_gives_404(client, personas, members):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("members:detail", kwargs={"pk": members.yen.pk})).status_code == 404
    assert client.get(reverse("members:detail", kwargs={"pk": members.an.pk})).status_code == 200


def test_user_without_role_sees_nothing(client, db, members):
    from tests.factories import make_user

    client.force_login(make_user("khongvaitro"))
    response = client.get(reverse("members:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
