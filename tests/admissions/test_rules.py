"""Working days, the rules by date, the vote arithmetic and the deadlines."""

import datetime as dt
from fractions import Fraction

from admissions import deadlines
from admissions.eligibility import age_in_full_months
from admissions.rules import RULES, rules_in_force, vote_passes
from partyorg.lib.working_days import add_working_days, holiday_name, is_working_day, working_days_between

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


def test_working_days_skip_tet_2025():
    # Tết Ất Tỵ: days off Monday 27/01 to Saturday 01/02/2025 (with the weekend, 25/01–02/02).
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    # After 20/01 up to 07/02/2025: 21–24/01 (4) and 03–07/02 (5); the Tết week counts nothing.
    assert working_days_between(D(2025, 1, 20), D(2025, 2, 7)) == 9
    assert holiday_name(D(2025, 1, 29)) == "Lunar New Year"


def test_working_days_follow_the_holidays_package_not_a_hand_written_list():
    # 2026: National Day is two days (01–02/09) and Monday 31/08 is off, swapped with Saturday 22/08.
    assert not is_working_day(D(2026, 9, 1)) and not is_working_day(D(2026, 8, 31))
    assert is_working_day(D(2026, 8, 22))
    # A count starting across the year boundary reads both years' calendars.
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)


def test_ceremony_deadline_crossing_tet_2025_is_pushed():
    # Decision received Thursday 16/01/2025: 30 working days without Tết would end 27/02; the Tết week
    # (27–31/01) pushes it five working days, to Thursday 06/03/2025.
    assert deadlines.ceremony_due_on(D(2025, 1, 16)).due_on == D(2025, 3, 6)


def test_age_in_full_months_at_the_boundaries():
    assert age_in_full_months(D(2006, 4, 15), D(2024, 4, 15)) == 216  # 18th birthday
    assert age_in_full_months(D(2006, 4, 16), D(2024, 4, 15)) == 215  # the day before
    assert age_in_full_months(D(1964, 4, 15), D(2024, 4, 15)) == 720  # exactly 60: no consent needed
    assert age_in_full_months(D(1964, 3, 15), D(2024, 4, 15)) == 721  # over 60
    assert age_in_full_months(D(2008, 2, 29), D(2026, 2, 28)) == 216  # no 29/02 in 2026
    assert age_in_full_months(D(2008, 2, 29), D(2026, 2, 27)) == 215
    assert age_in_full_months(D(2006, 1, 31), D(2024, 2, 29)) == 217


def test_two_thirds_seven_of_ten_passes():
    assert vote_passes(in_favour_count=7, eligible_count=10, threshold=Fraction(2, 3))
    assert not vote_passes(in_favour_count=6, eligible_count=10, threshold=Fraction(2, 3))


def test_every_document_has_an_effective_date_and_the_numbers_it_sets():
    assert [rule.effective for rule in RULES] == sorted(rule.effective for rule in RULES)
    for rule in RULES:
        assert rule.document and rule.cite().endswith(f"{rule.effective:%d/%m/%Y}")
        assert rule.decision_within.count == 60 and rule.decision_extension_max.count == 30
        assert rule.ceremony_within.count == 30 and rule.probation_months == 12
        assert rule.recognition_branch_within.count == 30 and rule.recognition_decision_within.count == 30
        assert rule.certificate_valid_months == 60
        assert (rule.minimum_age_months, rule.maximum_age_months) == (216, 720)
        assert rule.branch_vote_threshold == rule.base_vote_threshold == Fraction(2, 3)
