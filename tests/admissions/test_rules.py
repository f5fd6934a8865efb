"""Working days, the rules by date, the vote arithmetic and the deadlines.

Each rule in docs/rules/ names the document it comes from, the code that enforces it and the tests that fail when
it is broken (tests/test_docs.py checks that every test named there exists). Each was seen failing with its rule
broken on purpose (2/3 → 1/2, 60 → 61 working days, 60 → 61 months, a check removed, …) and passing again once
restored. Every number with its document and effective date: members/rules.py and admissions/rules.py.
"""

import datetime as dt
from fractions import Fraction

from admissions import deadlines
from admissions.rules import RULES, rules_in_force, vote_passes
from members.rules import REGULATIONS
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
    assert "24-QĐ" in rules_in_force(on=D(2021, 7, 30)).document
    # Before Quy định 24 (30/7/2021) the rules in force were Quy định 29-QĐ/TW (25/7/2016).
    assert rules_in_force(on=D(2021, 7, 29)).document == "Quy định 29-QĐ/TW"
    assert rules_in_force(on=D(2016, 7, 25)).document == "Quy định 29-QĐ/TW"
    # Before every entry: the oldest, whose numbers the Charter already set (docs/rules/members.md).
    assert rules_in_force(on=D(2010, 1, 1)) is RULES[0]


def test_admission_rules_extend_the_registry_regulations_one_for_one():
    assert [(r.document, r.effective) for r in RULES] == [(r.document, r.effective) for r in REGULATIONS]
    for rule, regulation in zip(RULES, REGULATIONS):
        assert (rule.minimum_age_months, rule.probation_months, rule.branch_minimum_full_members) == (
            regulation.minimum_age_months,
            regulation.probation_months,
            regulation.branch_minimum_full_members,
        )


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
        assert rule.branch_minimum_full_members == 3 and rule.introducer_known_months == 12


def test_admission_targets_are_three_to_four_percent_rounded_up_exactly():
    from admissions.rules import admission_targets

    assert admission_targets(100) == (3, 4, 4)
    assert admission_targets(200) == (6, 7, 8)  # 3.5% of 200 is 7: floating point would give 7.000…01 → 8
    assert admission_targets(0) == (0, 0, 0)


def test_every_stage_has_one_phase_and_the_groups_follow_it():
    from admissions.models import (
        AWAITING_DECISION_STAGES,
        BEFORE_BRANCH_VOTE_STAGES,
        BOARD_STAGES,
        ENDED_STAGES,
        PHASE_OF_STAGE,
        DossierStage,
    )

    assert set(PHASE_OF_STAGE) == set(DossierStage)
    assert BEFORE_BRANCH_VOTE_STAGES == ("source_pool", "sympathizer", "preparing")
    assert AWAITING_DECISION_STAGES == ("branch_proposed", "base_proposed")
    assert ENDED_STAGES == ("official", "struck_off", "closed")
    assert BOARD_STAGES == tuple(s for s in DossierStage if s not in ENDED_STAGES)
