"""The whole walk through the services, from the source pool to official member."""

import datetime as dt

from admissions.models import DossierStage, DossierStep
from members.models import MemberStatus


def test_candidate_goes_from_source_pool_to_official_member(pipeline):
    dossier = pipeline.default.to(DossierStage.OFFICIAL)
    assert dossier.stage == DossierStage.OFFICIAL
    member = dossier.member
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    # Party age from the decision, probation from the ceremony, official when the 12 months end.
    assert member.admission_decided_on == dt.date(2024, 5, 10)
    assert member.ceremony_held_on == dt.date(2024, 5, 20)
    assert member.official_on == dt.date(2025, 5, 20)
    assert member.first_introducer and member.second_introducer
    steps = list(dossier.events.values_list("step", flat=True))
    assert steps[0] == DossierStep.SOURCE_POOL and steps[-1] == DossierStep.RECOGNITION_DECISION
    assert dossier.next_deadline_on is None
    # The recognition stands on the competent committee's decision, as every status change does.
    change = member.status_changes.get()
    assert (change.decision_number, change.decided_by, change.decided_on) == (
        "150-QĐ/ĐU",
        dossier.deciding_organization.name,
        dt.date(2025, 6, 10),
    )


def test_every_state_change_writes_an_event_with_actor_and_date(pipeline):
    """Each service call of the walk leaves exactly one DossierEvent, recorded by the acting user, dated by the step."""
    p = pipeline.default
    dossier = p.to(DossierStage.OFFICIAL)
    d, secretary, base = p.d, p.personas.secretary_a, p.personas.base
    expected = [
        (DossierStep.SOURCE_POOL, secretary, d["proposed_on"]),
        (DossierStep.SYMPATHIZER, secretary, d["listed_on"]),
        (DossierStep.CERTIFICATE, secretary, d["certificate_on"]),
        (DossierStep.APPLICATION, secretary, d["application_on"]),
        (DossierStep.RESUME, secretary, d["resume_on"]),
        (DossierStep.RESUME_STAMPED, base, d["stamped_on"]),
        (DossierStep.INTRODUCTION, secretary, d["introduced_on"]),
        (DossierStep.INTRODUCTION, secretary, d["introduced_on"]),
        (DossierStep.VERIFICATION_REQUEST, secretary, d["request_on"]),
        (DossierStep.VERIFICATION_REQUEST, secretary, d["stamped_on"]),  # exempted party member: no request date
        (DossierStep.VERIFICATION_RESULT, secretary, d["result_on"]),
        (DossierStep.RESUME_CERTIFIED, base, d["certified_on"]),
        (DossierStep.OPINION, secretary, d["opinion_on"]),  # the mass organization where she works
        (DossierStep.OPINION, secretary, d["opinion_on"]),  # the committee where she lives
        (DossierStep.OPINIONS_SUMMARIZED, secretary, d["summary_on"]),
        (DossierStep.BRANCH_VOTE, secretary, d["branch_vote_on"]),
        (DossierStep.BASE_VOTE, base, d["base_vote_on"]),
        (DossierStep.DECISION, base, d["decision_on"]),
        (DossierStep.DECISION_RECEIVED, secretary, d["received_on"]),
        (DossierStep.CEREMONY, secretary, d["ceremony_on"]),
        (DossierStep.NEW_MEMBER_COURSE, secretary, d["course_on"]),
        (DossierStep.OPINION, secretary, d["papers_on"]),
        (DossierStep.SELF_ASSESSMENT, secretary, d["papers_on"]),
        (DossierStep.HELPER_COMMENT, secretary, d["papers_on"]),
        (DossierStep.RECOGNITION_OPINIONS, secretary, d["papers_on"]),
        (DossierStep.RECOGNITION_BRANCH_VOTE, secretary, d["recognition_vote_on"]),
        (DossierStep.RECOGNITION_BASE_VOTE, base, d["recognition_base_on"]),
        (DossierStep.RECOGNITION_DECISION, base, d["recognition_decision_on"]),
    ]
    events = list(dossier.events.order_by("at", "id"))
    assert [(e.step, e.actor, e.effective_on) for e in events] == expected
    # The stage moves are logged where they happen, each from the stage the previous event left.
    for before, after in zip(events, events[1:], strict=False):
        assert after.from_stage == before.to_stage
    assert events[-1].to_stage == DossierStage.OFFICIAL


def test_a_failed_vote_is_logged_without_moving_the_stage(pipeline):
    p = pipeline.default
    dossier = p.to("ready_for_vote")
    from admissions import services

    services.record_branch_vote(
        actor=p.personas.secretary_a, dossier=dossier, held_on=p.d["branch_vote_on"], resolution_number="07",
        members_count=9, in_favour_count=5,
    )  # fmt: skip
    event = dossier.events.order_by("-id").first()
    assert event.step == DossierStep.BRANCH_VOTE and event.actor == p.personas.secretary_a
    assert event.from_stage == event.to_stage == DossierStage.PREPARING
    assert "5/9 tán thành — không đạt" in event.notes
