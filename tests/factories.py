"""Factories with Vietnamese data. Members are built through the registry's own service."""

import datetime as dt
import itertools

import factory

from accounts.models import User
from members.choices import Gender
from members.models import Member
from members.services import create_member
from organizations.models import Organization, Role

_serial = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    password = factory.PostGenerationMethodCall("set_password", "matkhau-thu-nghiem")


def make_user(username: str, kind: str | None = None, organization: Organization | None = None) -> User:
    user = UserFactory(username=username)
    user.save()
    if kind:
        Role.objects.create(user=user, organization=organization, kind=kind)
    return user


def personal_id_for(gender: str, birth_date: dt.date, serial: int | None = None, province: str = "024") -> str:
    """A CCCD that agrees with gender and birth year (Thông tư 59/2021/TT-BCA)."""
    century_digit = {
        (1900, Gender.MALE): "0",
        (1900, Gender.FEMALE): "1",
        (2000, Gender.MALE): "2",
        (2000, Gender.FEMALE): "3",
    }[(birth_date.year // 100 * 100, gender)]
    serial = next(_serial) if serial is None else serial
    return f"{province}{century_digit}{birth_date.year % 100:02d}{serial:06d}"


def member_data(**overrides) -> dict:
    """Valid fields of a member record; override what a test is about."""
    gender = overrides.get("gender", Gender.MALE)
    birth = overrides.get("birth_date", dt.date(1985, 3, 14))
    data = {
        "full_name": "Nguyễn Văn An",
        "gender": gender,
        "birth_date": birth,
        "personal_id": personal_id_for(gender, birth),
        "ethnicity": "Kinh",
        "religion": "Không",
        "admission_decided_on": dt.date(2010, 5, 19),
        "ceremony_held_on": dt.date(2010, 6, 2),
        "official_on": dt.date(2011, 6, 2),
    }
    data.update(overrides)
    if "personal_id" not in overrides and ("gender" in overrides or "birth_date" in overrides):
        data["personal_id"] = personal_id_for(data["gender"], data["birth_date"])
    return data


def make_member(branch: Organization, actor: User, **overrides) -> Member:
    return create_member(actor=actor, branch=branch, **member_data(**overrides))


def decision(**overrides) -> dict:
    """The decision a member's status change stands on (members.models.TRANSITION_DECISION_FIELDS)."""
    return {
        "decision_number": "12-QĐ/ĐU",
        "decided_by": "Đảng ủy Trường THPT Ngô Sĩ Liên",
        "decided_on": dt.date(2026, 1, 5),
        "reason": "Vi phạm tư cách đảng viên",
        **overrides,
    }


def tree_decision(**overrides) -> dict:
    """The decision a change of the organization tree stands on (organizations.services.TREE_DECISION_FIELDS)."""
    return {
        "decision_number": "15-QĐ/ĐU",
        "decided_by": "Ban Thường vụ Đảng ủy phường Xương Giang",
        "reason": "Sắp xếp tổ chức bộ máy",
        **overrides,
    }


def assert_member_counts_fresh() -> None:
    """The member counts per branch (members.models.OrganizationMemberCount) equal a recount from the members:
    a writer that forgot them leaves a drift the recount reports."""
    from members.counts import recount_organization_members

    assert recount_organization_members() == []
