"""Working days, the rules by date, the vote arithmetic and the deadlines.

Checklist of issue 4: rule → code that enforces it → tests. s:: is tests/admissions/test_services.py, r:: this file,
p:: test_pipeline.py. Each test was seen failing with its rule broken on purpose (2/3 → 1/2, 60 → 61 working days,
60 → 61 months, a check removed, …) and passing again once restored. Sources: /work/shared/domain/rules.md §3–4;
every number with its document and effective date: admissions/rules.py (RULES).

1. Source pool, sympathizer list
  - proposed by a mass organization or a member
      code: services/dossier.add_to_source_pool
      s::test_source_pool_takes_candidates_proposed_by_the_mass_organizations
      s::test_source_pool_refuses_an_unknown_proposer_and_a_member_route_without_the_member
      s::test_a_member_cannot_be_added_to_the_source_pool
  - branch resolution; helper is an official member of the branch
      code: put_on_sympathizer_list, common.check_official_member_of_branch
      s::test_sympathizer_helper_must_be_an_official_member_of_the_branch
2. Party-awareness course
  - certificate issued after its batch ends
      code: record_certificate
      s::test_certificate_is_issued_after_its_course_ends
  - valid 60 months (HD 06 point 5.4)
      code: Rule.certificate_valid_months, deadlines.certificate_expires_on
      r::test_certificate_is_valid_sixty_months
      s::test_certificate_valid_on_the_last_day
  - expired at the branch vote blocks it
      code: eligibility.certificate_problems
      s::test_expired_certificate_blocks_the_branch_vote
  - flagged when it will expire before the vote
      code: deadlines.next_deadline ("certificate")
      s::test_dossier_whose_certificate_expires_is_flagged_by_its_next_deadline
3. The dossier
  - 1-KNĐ before 2-KNĐ; stamp only once submitted
      code: record_resume, stamp_resume
      s::test_resume_comes_after_the_application
      s::test_resume_is_stamped_only_once_submitted
  - no verification before the stamp
      code: record_verification_request
      s::test_verification_cannot_start_before_the_resume_is_stamped
  - two official members, >= 12 months, same base organization (3-KNĐ)
      code: add_introduction, _check_member_introducer, eligibility.introduction_problems
      s::test_introducer_must_be_an_official_member
      s::test_introducer_must_have_worked_with_the_candidate_twelve_months
      s::test_introducer_must_belong_to_the_same_base_organization
      s::test_one_member_alone_is_not_enough_to_introduce
      s::test_introducer_who_left_the_party_no_longer_counts_at_the_vote
  - or Youth Union resolution (4-KNĐ) + one member, for youth members in youth age
      code: _check_youth_union_introduction
      s::test_youth_union_resolution_and_one_member_introduce_a_youth_union_member
      s::test_youth_union_route_is_only_for_youth_union_members
      s::test_youth_union_route_ends_with_youth_age
  - verification: relatives, results, party-member exemption
      code: record_verification_request/_result, certify_resume
      s::test_relatives_who_are_party_members_are_exempt_from_verification
      s::test_resume_is_certified_only_after_every_verification_result
  - opinions summarized (5-KNĐ); complete file before the vote
      code: summarize_opinions, eligibility.completeness_problems
      s::test_opinions_are_summarized_only_when_there_are_opinions
      s::test_branch_vote_needs_the_complete_file
4. Votes: counts recorded, pass or fail computed, exact 2/3
  - branch 6-KNĐ >= 2/3 of full members; denominator without members attached elsewhere and absent exempted members;
    absent members without exemption still count (QĐ 294 §9.3.2); a branch needs 3 full members
      code: services/votes.create_vote, check_counts, rules.vote_passes
      s::test_branch_vote_needs_two_thirds_of_full_members
      s::test_branch_vote_denominator_excludes_temporarily_attached_and_absent_exempted_members
      s::test_absent_members_not_exempted_still_count_in_the_denominator
      s::test_vote_counts_seven_of_ten_six_of_nine_pass_five_of_eight_fails
      r::test_two_thirds_is_exact_without_rounding
      r::test_two_thirds_seven_of_ten_passes
      s::test_vote_counts_cannot_exceed_the_denominator
      s::test_votes_cannot_exceed_the_members_present
      s::test_branch_with_fewer_than_three_full_members_cannot_vote
  - base committee 8-KNĐ >= 2/3 of committee members
      code: record_base_committee_vote
      s::test_base_committee_vote_needs_two_thirds_of_committee_members
  - three failed recognition votes go upward (QĐ 29 §4.3); admission votes may be held again
      code: check_not_escalated
      s::test_three_recognition_votes_without_two_thirds_are_reported_upward
      s::test_admission_vote_may_be_held_again_after_three_failures
5. Decision 9-KNĐ
  - competent committee: the authorized base committee, else the superior
      code: organizations.deciding_organization_of
      s::test_base_branch_is_decided_by_the_superior_committee_without_a_base_vote
      s::test_branch_under_base_committee_needs_the_base_committee_vote_before_the_decision
  - within 60 working days of the branch resolution (+ up to 30)
      code: record_admission_decision, deadlines.decision_due_on
      s::test_decision_after_sixty_working_days_needs_a_reason
      r::test_decision_due_within_sixty_working_days_of_branch_resolution_plus_extension
  - creates the probationary member dated by the decision (party age)
      code: record_admission_decision
      s::test_decision_creates_the_probationary_member_dated_by_the_decision
      s::test_refused_decision_closes_the_dossier
6. Ceremony
  - within 30 working days of receiving the decision; helper assigned
      code: record_ceremony
      s::test_ceremony_within_thirty_working_days_of_receiving_the_decision
      s::test_ceremony_assigns_an_official_member_of_the_branch_as_helper
7. Probation and recognition
  - 12 months from the ceremony; the branch reviews only after
      code: record_recognition_branch_vote
      s::test_branch_reviews_only_after_the_twelve_months
  - file: 10-, 11-, 12-KNĐ and the new-member course
      code: _recognition_file_problems
      s::test_recognition_needs_the_self_assessment_and_the_helpers_comment
      s::test_recognition_needs_the_new_member_course
  - 13-KNĐ within 30 working days after the 12 months
      code: deadlines.recognition_branch_due_on
      s::test_probation_deadline_is_thirty_working_days_after_twelve_months
      s::test_recognition_branch_vote_late_is_recorded_as_late
  - 15-KNĐ, then 16-KNĐ within 30 working days
      code: record_recognition_base_vote, record_recognition_decision
      s::test_recognition_decision_after_thirty_working_days_needs_a_reason
  - official as of the day the 12 months end
      code: record_recognition_decision
      s::test_qualified_member_is_official_as_of_the_day_the_twelve_months_end_even_when_decided_late
  - unqualified: struck off, no extension
      code: record_recognition_branch_vote, record_recognition_decision
      s::test_unqualified_member_is_struck_off_without_extension
      s::test_probation_cannot_be_extended
      s::test_competent_committee_decides_after_three_failed_branch_votes
8. Eligibility at the branch vote, messages naming the rule
  - 18 to 60 in full months; over 60 with the province's consent
      code: eligibility.age_problems, is_over_age_limit
      s::test_candidate_must_be_eighteen_in_full_months_at_the_branch_vote
      s::test_candidate_eighteen_on_the_vote_day_may_be_voted_on
      s::test_born_on_29_february_is_eighteen_on_28_february
      s::test_under_eighteen_message_names_the_charter_and_the_regulation_in_force
      s::test_over_sixty_needs_province_consent_before_the_decision
      s::test_candidate_exactly_sixty_needs_no_province_consent
      s::test_candidate_sixty_and_one_month_needs_province_consent
      tests/test_dates.py::test_age_in_full_months_at_the_boundaries
  - lower secondary, with the exceptions of rules §3.1
      code: eligibility.education_problems
      s::test_education_must_be_at_least_lower_secondary
      s::test_special_areas_admit_primary_education
      s::test_literate_village_elder_may_be_voted_on_but_not_without_the_exception
  - valid certificate, introducers: see 2 and 3
      code: eligibility.branch_vote_problems
9. Deadlines
  - weekends, public holidays and Tết from the `holidays` package
      code: partyorg/lib/working_days.py
      r::test_working_days_skip_weekends_and_tet_holidays
      r::test_working_days_skip_tet_2025
      r::test_swapped_saturday_is_a_working_day_and_swapped_day_off_is_not
      r::test_working_days_follow_the_holidays_package_not_a_hand_written_list
      r::test_ceremony_deadline_crossing_tet_2025_is_pushed
      s::test_decision_deadline_crossing_tet_is_pushed_by_the_holidays
  - rules by document and effective date; a dossier keeps the rule of its dates
      code: rules.RULES, rules_in_force
      r::test_rules_in_force_follow_the_effective_date_of_each_document
      r::test_every_document_has_an_effective_date_and_the_numbers_it_sets
      s::test_dossier_dated_before_a_rule_change_keeps_the_old_rule
  - every dossier shows its next deadline
      code: deadlines.refresh_next_deadline (called by common.log)
      s::test_every_open_dossier_with_a_certificate_shows_its_next_deadline
      s::test_next_deadline_of_a_proposed_dossier_is_the_decision
  - a daily beat task records newly overdue items, idempotent
      code: services/overdue.py, tasks.py, CELERY_BEAT_SCHEDULE
      s::test_overdue_task_records_each_overdue_deadline_once
      s::test_overdue_beat_task_is_scheduled_daily_and_idempotent
10. Plans
  - per organization and year (term); default 3–4% of members on 1 January; progress
      code: services/plans.save_admission_plan, selectors.plan_progress
      s::test_plan_target_defaults_to_three_to_four_percent_of_members_at_start_of_year
      s::test_plan_progress_counts_the_decisions_signed_in_the_year
Every state change writes a DossierEvent with actor and date
      code: services/common.log
      p::test_every_state_change_writes_an_event_with_actor_and_date
      p::test_a_failed_vote_is_logged_without_moving_the_stage
      p::test_candidate_goes_from_source_pool_to_official_member
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
