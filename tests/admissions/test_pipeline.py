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
