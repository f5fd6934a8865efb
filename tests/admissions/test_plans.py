"""Admission plans: the yearly target of an organization and its progress.

Each rule refused with a Vietnamese message that names it; the rules and their sources: docs/rules/."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from admissions import services
from admissions.models import DossierStage
from partyorg.lib.errors import DomainError

D = dt.date


def test_plan_target_defaults_to_three_to_four_percent_of_members_at_start_of_year(tree, personas, members):
    from admissions.selectors import plan_progress

    # 4 members admitted before 2025 under the ward (An, Đạt, Yến, Bình): 3.5% rounds up to 1.
    progress = plan_progress(tree.ward, 2025)
    assert progress["members_at_start"] == 4 and progress["is_default"]
    assert (progress["target_low"], progress["target"], progress["target_high"]) == (1, 1, 1)
    with pytest.raises(PermissionDenied, match="Bạn không lập kế hoạch kết nạp cho tổ chức này"):
        # base staff do not plan for the ward above them
        services.save_admission_plan(actor=personas.base, organization=tree.ward, year=2025, target_count=3)
    plan = services.save_admission_plan(actor=personas.superior, organization=tree.ward, year=2025, target_count=3,
                                        term="2025–2030")  # fmt: skip
    progress = plan_progress(tree.ward, 2025)
    assert progress["plan"] == plan and progress["target"] == 3 and not progress["is_default"]
    with pytest.raises(DomainError, match="không được âm"):
        services.save_admission_plan(actor=personas.superior, organization=tree.ward, year=2025, target_count=-1)


def test_plan_progress_counts_the_decisions_signed_in_the_year(pipeline, tree, personas):
    from admissions.selectors import plan_progress

    services.save_admission_plan(actor=personas.base, organization=tree.base, year=2024, target_count=2)
    pipeline.default.to(DossierStage.ADMITTED)  # decision 10/05/2024
    progress = plan_progress(tree.base, 2024)
    assert progress["admitted"] == 1 and progress["target"] == 2 and progress["percent"] == 50
    assert plan_progress(tree.base, 2025)["admitted"] == 0


def test_a_plan_change_is_audited_with_the_target_before_and_after(tree, personas):
    from audit.models import AuditAction, AuditEvent

    save = dict(organization=tree.ward, year=2025)
    plan = services.save_admission_plan(actor=personas.superior, target_count=3, term="2025–2030", **save)
    services.save_admission_plan(actor=personas.province, target_count=5, term="2025–2030", **save)
    services.save_admission_plan(actor=personas.province, target_count=5, term="2025–2030", **save)  # no change
    events = list(AuditEvent.objects.filter(action=AuditAction.ADMISSION_PLAN_CHANGE).order_by("at", "id"))
    assert [(e.actor, e.details["target_count"]) for e in events] == [
        (personas.superior, {"old": None, "new": 3}),
        (personas.province, {"old": 3, "new": 5}),
    ]
    assert events[1].target_id == str(plan.pk) and events[1].details["changed"] == ["target_count"]
    assert events[1].target_label == "Kế hoạch kết nạp năm 2025 – Đảng bộ phường Xương Giang"
    history = list(
        plan.history.order_by("history_date").values_list("target_count", "history_user", "history_change_reason")
    )
    assert history == [(3, personas.superior.pk, "Lập kế hoạch"), (5, personas.province.pk, "Sửa chỉ tiêu 3 → 5")]
