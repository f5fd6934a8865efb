"""One bound for every date of party life (partyorg.lib.dates): not before 3/2/1930, not in the future."""

import datetime as dt

import pytest
from django import forms

from members.services import MemberValidationError, create_member
from partyorg.lib.dates import PARTY_FOUNDED, party_date_problem, today
from partyorg.lib.forms import PartyDateField
from tests.factories import member_data


def test_the_bound_is_the_founding_of_the_party():
    assert PARTY_FOUNDED == dt.date(1930, 2, 3)
    assert party_date_problem(PARTY_FOUNDED) is None
    assert party_date_problem(today()) is None
    assert party_date_problem(dt.date(1930, 2, 2), "Ngày kết nạp") == (
        "Ngày kết nạp (02/02/1930) không được trước ngày thành lập Đảng (03/02/1930)."
    )
    tomorrow = today() + dt.timedelta(days=1)
    assert party_date_problem(tomorrow) == f"Ngày ({tomorrow:%d/%m/%Y}) không được sau ngày hôm nay."


class _Form(forms.Form):
    held_on = PartyDateField(label="Ngày họp")


@pytest.mark.parametrize(
    "typed, error",
    [
        ("03/02/1930", None),
        ("31/12/1929", "Ngày họp (31/12/1929) không được trước ngày thành lập Đảng (03/02/1930)."),
        ("01/01/0024", "Ngày họp (01/01/0024) không được trước ngày thành lập Đảng (03/02/1930)."),
    ],
)
def test_party_date_field_refuses_dates_before_the_party_in_vietnamese(typed, error):
    form = _Form({"held_on": typed})
    assert form.is_valid() is (error is None)
    if error:
        assert form.errors["held_on"] == [error]


def test_party_date_field_refuses_the_future():
    tomorrow = today() + dt.timedelta(days=1)
    form = _Form({"held_on": f"{tomorrow:%d/%m/%Y}"})
    assert form.errors["held_on"] == [f"Ngày họp ({tomorrow:%d/%m/%Y}) không được sau ngày hôm nay."]


def test_member_record_dates_of_party_life_are_bounded_but_not_the_birth_date(tree, personas):
    with pytest.raises(MemberValidationError) as excinfo:
        create_member(
            actor=personas.admin,
            branch=tree.branch_a,
            **member_data(
                birth_date=dt.date(1905, 5, 1),
                admission_decided_on=dt.date(1929, 10, 1),
                ceremony_held_on=dt.date(1929, 10, 1),
                official_on=dt.date(1930, 10, 1),
            ),
        )
    problems = dict(excinfo.value.problems)
    assert set(problems) == {"admission_decided_on", "ceremony_held_on"}
    assert "không được trước ngày thành lập Đảng (03/02/1930)" in problems["admission_decided_on"]
    # Born before the Party, admitted after its founding: a valid record.
    create_member(
        actor=personas.admin,
        branch=tree.branch_a,
        **member_data(
            birth_date=dt.date(1905, 5, 1),
            admission_decided_on=dt.date(1935, 3, 1),
            ceremony_held_on=dt.date(1935, 3, 10),
            official_on=dt.date(1936, 3, 10),
        ),
    )


def test_admission_steps_use_the_same_bound():
    from admissions.services.common import not_in_future
    from partyorg.lib.errors import DomainError

    with pytest.raises(DomainError) as excinfo:
        not_in_future(dt.date(1929, 1, 1), "Ngày họp chi bộ", "held_on")
    assert excinfo.value.field == "held_on"
    assert "không được trước ngày thành lập Đảng" in excinfo.value.message
