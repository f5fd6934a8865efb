"""The fixed cast of the tests: a small province with two wards, and one persona per role.

Đảng bộ tỉnh Thử nghiệm (province)
├── Đảng bộ phường Xương Giang (superior)
│   ├── Đảng bộ Trường THPT Ngô Sĩ Liên (base committee)
│   │   ├── Chi bộ Giáo viên (branch)        ← secretary_a
│   │   └── Chi bộ Văn phòng (branch)        ← secretary_b
│   └── Chi bộ Khu phố 1 (base branch)
└── Đảng bộ phường Đa Mai (superior)          ← outsider (superior staff of another ward)
    └── Chi bộ Khu phố 5 (base branch)
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from organizations.models import Organization, OrganizationKind, RoleKind

from .factories import make_member, make_user


@pytest.fixture
def tree(db):
    province = Organization.objects.add_root(
        dict(code="T", name="Đảng bộ tỉnh Thử nghiệm", kind=OrganizationKind.PROVINCE)
    )
    ward = Organization.objects.add_child(
        province, dict(code="T-XG", name="Đảng bộ phường Xương Giang", kind=OrganizationKind.SUPERIOR)
    )
    base = Organization.objects.add_child(
        ward,
        dict(
            code="T-XG-NSL",
            name="Đảng bộ Trường THPT Ngô Sĩ Liên",
            kind=OrganizationKind.BASE_COMMITTEE,
            authorized_to_admit=True,
        ),
    )
    branch_a = Organization.objects.add_child(
        base, dict(code="T-XG-NSL-GV", name="Chi bộ Giáo viên", kind=OrganizationKind.BRANCH)
    )
    base = Organization.objects.get(pk=base.pk)
    branch_b = Organization.objects.add_child(
        base, dict(code="T-XG-NSL-VP", name="Chi bộ Văn phòng", kind=OrganizationKind.BRANCH)
    )
    ward = Organization.objects.get(pk=ward.pk)
    base_branch = Organization.objects.add_child(
        ward, dict(code="T-XG-KP1", name="Chi bộ Khu phố 1", kind=OrganizationKind.BASE_BRANCH)
    )
    province = Organization.objects.get(pk=province.pk)
    other_ward = Organization.objects.add_child(
        province, dict(code="T-DM", name="Đảng bộ phường Đa Mai", kind=OrganizationKind.SUPERIOR)
    )
    other_branch = Organization.objects.add_child(
        other_ward, dict(code="T-DM-KP5", name="Chi bộ Khu phố 5", kind=OrganizationKind.BASE_BRANCH)
    )
    refresh = lambda o: Organization.objects.get(pk=o.pk)  # noqa: E731 - paths change as siblings are added
    return SimpleNamespace(
        province=refresh(province),
        ward=refresh(ward),
        base=refresh(base),
        branch_a=refresh(branch_a),
        branch_b=refresh(branch_b),
        base_branch=refresh(base_branch),
        other_ward=refresh(other_ward),
        other_branch=refresh(other_branch),
    )


@pytest.fixture
def personas(tree):
    return SimpleNamespace(
        admin=_superuser(),
        province=make_user("tinh", RoleKind.PROVINCE_STAFF, tree.province),
        superior=make_user("phuong", RoleKind.SUPERIOR_STAFF, tree.ward),
        base=make_user("coso", RoleKind.BASE_STAFF, tree.base),
        secretary_a=make_user("bithu_a", RoleKind.BRANCH_SECRETARY, tree.branch_a),
        secretary_b=make_user("bithu_b", RoleKind.BRANCH_SECRETARY, tree.branch_b),
        outsider=make_user("ngoai", RoleKind.SUPERIOR_STAFF, tree.other_ward),
    )


def _superuser():
    from accounts.models import User

    return User.objects.create_superuser("quantri", password="matkhau-thu-nghiem")


@pytest.fixture
def members(tree, personas):
    """A few members per branch, with Vietnamese names that exercise search and ordering."""
    actor = personas.admin
    return SimpleNamespace(
        an=make_member(tree.branch_a, actor, full_name="Nguyễn Văn An"),
        dat=make_member(tree.branch_a, actor, full_name="Trần Đức Đạt", birth_date=dt.date(1990, 1, 2)),
        yen=make_member(tree.branch_b, actor, full_name="Lê Thị Yến", gender="female", birth_date=dt.date(1978, 7, 9)),
        binh=make_member(tree.base_branch, actor, full_name="Phạm Văn Bình", birth_date=dt.date(1960, 2, 2)),
        other=make_member(tree.other_branch, actor, full_name="Hoàng Văn Ân", birth_date=dt.date(1970, 4, 5)),
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run in-process in tests, even when CI configures a Redis broker; only tests marked
    `celery_worker` send them through the broker to a real worker (see tests/test_celery_worker.py)."""
    from partyorg.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = "celery_worker" not in request.keywords
    yield
    app.conf.task_always_eager = previous
