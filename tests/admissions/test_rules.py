"""Working days, the rules by date, the vote arithmetic and the deadlines."""

import datetime as dt
from fractions import Fraction

from admissions import deadlines
from admissions.rules import RULES, rules_in_force, vote_passes
from partyorg.lib.working_days import add_working_days, is_working_day, working_days_between

D = dt.date


def test_working_days_skip_weekends_and_tet_holidays():
    # Friday 13/02/2026; Tết Bính Ngọ runs 16–20/02/2026: the next working day is Monday 23/02.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert not is_working_day(D(2026, 9, 2))  # National Day


def test_swapped_saturday_is_a_working_day_and_swapped_day_off_is_not():
    # 2025: Saturday 26/04 worked in exchange for Friday 02/05 off.
    assert is_working_day(D(2025, 4, 26))
    assert not is_working_day(D(2025, 5, 2))


def test_rules_in_force_follow_the_effective_date_of_each_document():
    assert "294" in rules_in_force(on=D(2025, 7, 1)).document
    assert "232" in rules_in_force(on=D(2025, 6, 30)).document
    assert "24-QĐ" in rules_in_force(on=D(2023, 1, 1)).document
    assert rules_in_force(on=D(2010, 1, 1)) is RULES[0]


def test_two_thirds_is_exact_without_rounding():
    assert vote_passes(in_favour_count=6, eligible_count=9, threshold=Fraction(2, 3))
    assert not vote_passes(in_favour_count=5, eligible_count=8, threshold=Fraction(2, 3))  # 62.5%
    assert vote_passes(in_favour_count=2, eligible_count=3, threshold=Fraction(2, 3))
    assert not vote_passes(in_favour_count=0, eligible_count=0, threshold=Fraction(2, 3))


def test_certificate_is_valid_sixty_months():
    # Source example: certificate 15/01/2020 expired 15/01/2025.
    assert deadlines.certificate_expires_on(D(2020, 1, 15)) == D(2025, 1, 15)


def test_decision_due_within_sixty_working_days_of_branch_resolution_plus_extension():
    start = D(2024, 4, 15)
    assert deadlines.decision_due_on(start).due_on == add_working_days(start, 60)
    assert deadlines.decision_due_on(start, 30).due_on == add_working_days(start, 90)
    assert working_days_between(start, deadlines.decision_due_on(start).due_on) == 60


def test_ceremony_due_within_thirty_working_days_of_receiving_decision():
    assert deadlines.ceremony_due_on(D(2026, 1, 30)).due_on == add_working_days(D(2026, 1, 30), 30)
    # Tết inside the window pushes the date: 30 working days after 30/01/2026 land after Tết (16–20/02).
    assert deadlines.ceremony_due_on(D(2026, 1, 30)).due_on > D(2026, 1, 30) + dt.timedelta(days=42)


def test_recognition_deadlines_count_thirty_working_days():
    end = deadlines.probation_ends_on(D(2024, 5, 20))
    assert end == D(2025, 5, 20)
    assert deadlines.recognition_branch_due_on(end).due_on == add_working_days(end, 30)
    assert deadlines.recognition_decision_due_on(D(2025, 5, 26)).due_on == add_working_days(D(2025, 5, 26), 30)
