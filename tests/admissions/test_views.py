"""Pages of admissions: the board, the candidate page, the actions each role may record, the panels."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.models import DossierStage

D = dt.date


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_board_shows_cards_by_stage_with_due_dates(client, pipeline, tree, personas):
    dossier = pipeline.default.to(DossierStage.BASE_PROPOSED)
    response = _get(client, personas.base, reverse("admissions:board", args=[tree.base.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lê Thị Hồng Nhung" in html and "Đảng ủy cơ sở đề nghị kết nạp" in html
    assert f"{dossier.next_deadline_on:%d/%m/%Y}" in html
    assert "Quá hạn" in html  # the 2024 decision deadline has long passed


def test_board_query_count_does_not_grow_with_dossiers(client, pipeline, tree, personas):
    pipeline.default.to(DossierStage.PREPARING)
    url = reverse("admissions:board", args=[tree.base.pk])
    client.force_login(personas.base)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(3):
        pipeline.new().to(DossierStage.SYMPATHIZER, full_name=f"Người thứ {i}", birth_date=D(1990, 1, i + 1))
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_candidate_page_masks_the_personal_id_and_shows_the_timeline(client, pipeline, personas):
    dossier = pipeline.default.to(DossierStage.BRANCH_PROPOSED)
    response = _get(client, personas.secretary_a, reverse("admissions:dossier", args=[dossier.pk]))
    html = response.content.decode()
    assert dossier.candidate.personal_id not in html
    assert dossier.candidate.masked_personal_id in html
    assert "Chi bộ xét, biểu quyết đề nghị kết nạp" in html and "6-KNĐ" in html


def test_each_role_sees_only_its_actions_at_this_stage(client, pipeline, personas):
    dossier = pipeline.default.to(DossierStage.BRANCH_PROPOSED)
    base_vote = reverse("admissions:dossier_action", args=[dossier.pk, "base_vote"])
    assert base_vote in _get(client, personas.base, reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    html = _get(client, personas.secretary_a, reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    assert base_vote not in html
    assert _get(client, personas.secretary_a, base_vote).status_code == 403


def test_action_refused_by_a_rule_shows_the_vietnamese_reason(client, pipeline, personas):
    dossier = pipeline.default.to(DossierStage.PREPARING)
    client.force_login(personas.secretary_a)
    url = reverse("admissions:dossier_action", args=[dossier.pk, "branch_vote"])
    response = client.post(
        url,
        {"held_on": "15/04/2024", "members_count": 9, "temporarily_attached_count": 0, "exempted_absent_count": 0,
         "in_favour_count": 9, "against_count": 0},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Hồ sơ còn thiếu" in response.content.decode()


def test_secretary_records_a_step_through_the_page(client, pipeline, personas, members):
    dossier = pipeline.default.to(DossierStage.SOURCE_POOL)
    client.force_login(personas.secretary_a)
    url = reverse("admissions:dossier_action", args=[dossier.pk, "sympathizer"])
    response = client.post(url, {"listed_on": "01/02/2024", "resolution_number": "05-NQ/CB", "helper": members.an.pk})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage == DossierStage.SYMPATHIZER and dossier.helper == members.an


def test_dossier_outside_scope_is_not_found(client, pipeline, personas):
    dossier = pipeline.default.to(DossierStage.SOURCE_POOL)
    assert _get(client, personas.outsider, reverse("admissions:dossier", args=[dossier.pk])).status_code == 404
    assert _get(client, personas.secretary_b, reverse("admissions:dossier", args=[dossier.pk])).status_code == 404


def test_deadlines_panel_lists_overdue_dossiers(client, pipeline, tree, personas):
    pipeline.default.to(DossierStage.ADMITTED)
    html = _get(client, personas.superior, reverse("admissions:deadlines_panel", args=[tree.ward.pk])).content.decode()
    assert "Lê Thị Hồng Nhung" in html and "quá hạn" in html


def test_plan_defaults_to_three_and_a_half_percent_and_counts_decisions(client, pipeline, tree, personas):
    from admissions.selectors import plan_progress

    pipeline.default.to(DossierStage.ADMITTED)
    progress = plan_progress(tree.base, 2024)
    assert progress["members_at_start"] == 3  # An, Đạt, Yến were admitted before 2024
    assert progress["target"] == 1 and progress["admitted"] == 1
    html = _get(client, personas.base, reverse("admissions:plan_panel", args=[tree.base.pk]) + "?nam=2024")
    assert "Đã kết nạp <strong>1</strong>" in html.content.decode()


def test_candidate_is_added_to_the_source_pool_from_the_form(client, tree, personas):
    client.force_login(personas.secretary_a)
    response = client.post(
        reverse("admissions:candidate_create"),
        {
            "branch": tree.branch_a.pk, "full_name": "Đỗ Minh Khôi", "gender": "male", "birth_date": "02/03/2001",
            "personal_id": "024201000123", "ethnicity": "Kinh", "religion": "Không",
            "general_education": "upper_secondary", "proposed_by": "youth_union", "proposed_on": "01/09/2026",
            "categories": ["youth_union_member"],
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
