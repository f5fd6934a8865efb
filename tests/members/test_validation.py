"""The member record's own rules (members/validation.py), judged without the database."""

import datetime as dt

from members.validation import member_record_problems
from tests.factories import member_data

D = dt.date


def _age_problems(birth: dt.date, decided: dt.date) -> list[str]:
    data = member_data(birth_date=birth, admission_decided_on=decided, ceremony_held_on=None, official_on=None)
    return [
        message for field, message in member_record_problems(data, on=D(2026, 12, 1)) if field == "admission_decided_on"
    ]


def test_admission_age_is_counted_in_full_months_like_the_branch_vote():
    # Born 29/02/2008: the 216 months end on 28/02/2026, the last day of a February without a 29th
    # (Bộ luật Dân sự 2015, Điều 148); docs/rules/members.md "Counting months and years".
    assert _age_problems(D(2008, 2, 29), D(2026, 2, 28)) == []
    assert _age_problems(D(2008, 2, 29), D(2026, 2, 27)) == ["Chưa đủ 18 tuổi khi được kết nạp (Điều lệ Đảng, Điều 1)."]
    assert _age_problems(D(2006, 4, 15), D(2024, 4, 15)) == []
    assert _age_problems(D(2006, 4, 16), D(2024, 4, 15)) != []
