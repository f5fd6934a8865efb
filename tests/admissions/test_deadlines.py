"""Every open dossier's next deadline, by the rules in force on its dates, and the daily overdue records.

Each rule refused with a Vietnamese message that names it; the rules and their sources: docs/rules/."""

import datetime as dt

import pytest

from admissions import services
from admissions.deadlines import DEADLINE_KEY_OF_STAGE, compute_next_deadline
from admissions.models import Dossier, DossierStage, OverdueRecord
from partyorg.lib.errors import DomainError
from partyorg.lib.working_days import add_working_days

from .steps import shifted_dates

D = dt.date


def test_dossier_whose_certificate_expires_is_flagged_by_its_next_deadline(pipeline):
    p = pipeline.new(certificate_on=D(2019, 6, 1))
    dossier = p.to(DossierStage.PREPARING)
    assert dossier.next_deadline_on == D(2024, 5, 31)
    assert "giấy chứng nhận" in dossier.next_deadline_label


@pytest.mark.parametrize(
    "stage",
    [DossierStage.SYMPATHIZER, DossierStage.PREPARING, DossierStage.BRANCH_PROPOSED, DossierStage.BASE_PROPOSED,
     DossierStage.ADMITTED, DossierStage.PROBATION, DossierStage.RECOGNITION_BRANCH, DossierStage.RECOGNITION_BASE],
)  # fmt: skip
def test_every_open_dossier_with_a_certificate_shows_its_next_deadline(pipeline, stage):
    p = pipeline.default
    if stage == DossierStage.SYMPATHIZER:
        dossier = p.to(stage)
        services.record_certificate(actor=p.personas.secretary_a, dossier=dossier, issued_on=D(2024, 3, 1))
        dossier = p.refresh()
    else:
        dossier = p.to(stage)
    assert dossier.next_deadline_on and dossier.next_deadline_label and dossier.next_deadline_source
    # The overdue records file it under the key its stage's phase declares.
    assert compute_next_deadline(dossier).key == DEADLINE_KEY_OF_STAGE[stage]


def test_dossier_dated_before_a_rule_change_keeps_the_old_rule(pipeline, monkeypatch):
    from admissions import rules

    new_rule = rules.Rule("Quy định thử nghiệm 999-QĐ/TW", effective=D(2024, 5, 1),
                          decision_within=rules.WorkingDays(45))  # fmt: skip
    monkeypatch.setattr(rules, "RULES", [*rules.RULES, new_rule])
    old = pipeline.default.to(DossierStage.BRANCH_PROPOSED)  # branch resolution 15/04/2024
    assert old.next_deadline_on == add_working_days(D(2024, 4, 15), 60)
    assert "24-QĐ/TW" in old.next_deadline_source
    p = pipeline.new(**shifted_dates(D(2024, 5, 6)))
    new = p.to(DossierStage.BRANCH_PROPOSED, full_name="Đỗ Minh Khoa")
    assert new.next_deadline_on == add_working_days(D(2024, 5, 6), 45)
    assert "999-QĐ/TW" in new.next_deadline_source
    # The late check of the decision reads the same rule as the deadline shown.
    services.record_base_committee_vote(
        actor=p.personas.base, dossier=new, held_on=D(2024, 5, 10), resolution_number="1", members_count=9,
        in_favour_count=9,
    )  # fmt: skip
    late = add_working_days(D(2024, 5, 6), 46)
    with pytest.raises(DomainError, match="chậm 1 ngày làm việc.*999-QĐ/TW"):
        services.record_admission_decision(
            actor=p.personas.base, dossier=Dossier.objects.get(pk=new.pk), decision_number="1", signed_on=late
        )


def test_overdue_task_records_each_overdue_deadline_once(pipeline):
    p = pipeline.default
    dossier = p.to(DossierStage.BASE_PROPOSED)
    assert services.record_overdue_dossiers(on=D(2024, 6, 1)) == 0
    after = dossier.next_deadline_on + dt.timedelta(days=1)
    assert services.record_overdue_dossiers(on=after) == 1
    assert services.record_overdue_dossiers(on=after + dt.timedelta(days=1)) == 0
    record = OverdueRecord.objects.get()
    assert record.deadline_key == "decision" and record.detected_on == after
    services.record_admission_decision(
        actor=p.personas.base, dossier=Dossier.objects.get(pk=dossier.pk), decision_number="1",
        signed_on=after, late_reason="Chờ ý kiến cấp trên",
    )  # fmt: skip
    services.record_overdue_dossiers(on=after + dt.timedelta(days=2))
    record.refresh_from_db()
    assert record.resolved_on is not None


def test_overdue_beat_task_is_scheduled_daily_and_idempotent(pipeline, settings):
    from admissions import tasks

    schedule = settings.CELERY_BEAT_SCHEDULE["admissions-record-overdue"]
    assert schedule["task"] == "admissions.tasks.record_overdue_dossiers" and schedule["schedule"] == 86400
    p = pipeline.default
    p.to(DossierStage.ADMITTED)  # ceremony due 30 working days after the decision of 10/05/2024: long past
    assert tasks.record_overdue_dossiers() == 1
    assert tasks.record_overdue_dossiers() == 0
    assert OverdueRecord.objects.get().deadline_key == "ceremony"
