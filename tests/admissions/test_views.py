"""Pages of admissions: the board, the candidate page, the actions each role may record, the panels.

Rules themselves are tested on the services (test_services.py, test_rules.py); here: that each page
answers, shows what it should to whom, refuses the wrong role (403) and never fails on bad input.
Scope (404 outside a user's subtree) is walked by tests/test_scope_matrix.py with scope_cases.py.
"""

import datetime as dt

import pytest
from django.urls import reverse

from admissions.actions import ACTIONS, allowed_actions
from admissions.models import AdmissionPlan, Dossier, DossierStage, DossierStep, VerificationItem, Vote, VoteKind
from audit.models import AuditAction, AuditEvent
from members.models import MemberStatus
from tests.documents.pdf import text_of

D = dt.date
S = DossierStage


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _action_url(dossier, key):
    return reverse("admissions:dossier_action", args=[dossier.pk, key])


def _post_step(client, dossier, key, data):
    """Post a step's form as a page loaded just now would: with the dossier's current version."""
    version = Dossier.objects.values_list("version", flat=True).get(pk=dossier.pk)
    return client.post(_action_url(dossier, key), {**data, "version": version})


# ---------------------------------------------------------------- board


def test_board_shows_cards_by_stage_with_due_dates(client, pipeline, tree, personas):
    dossier = pipeline.default.to(S.BASE_PROPOSED)
    response = _get(client, personas.base, reverse("admissions:board", args=[tree.base.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lê Thị Hồng Nhung" in html and "Đảng ủy cơ sở đề nghị kết nạp" in html
    assert f"{dossier.next_deadline_on:%d/%m/%Y}" in html
    assert "Quá hạn" in html  # the 2024 decision deadline has long passed
    column = next(c for c in response.context["columns"] if c["stage"] == S.BASE_PROPOSED)
    assert [d["id"] for d in column["cards"]] == [dossier.pk] and column["overdue_count"] == 1


def test_board_has_a_column_per_open_stage_in_pipeline_order(client, tree, personas):
    response = _get(client, personas.secretary_a, reverse("admissions:board", args=[tree.branch_a.pk]))
    stages = [c["stage"] for c in response.context["columns"]]
    assert stages[0] == S.SOURCE_POOL and stages[-1] == S.RECOGNITION_BASE
    assert S.OFFICIAL not in stages and S.CLOSED not in stages


def test_board_of_a_base_committee_filters_by_branch(client, pipeline, tree, personas):
    pipeline.default.to(S.SYMPATHIZER)
    url = reverse("admissions:board", args=[tree.base.pk])
    html = _get(client, personas.base, url).content.decode()
    assert "Chi bộ Giáo viên" in html and "Chi bộ Văn phòng" in html  # both in the filter
    assert "Lê Thị Hồng Nhung" in html
    filtered = client.get(url, {"chi_bo": tree.branch_b.pk})
    assert filtered.context["branch"] == tree.branch_b
    assert "Lê Thị Hồng Nhung" not in filtered.content.decode()
    # A branch outside the user's scope, or nonsense, is ignored rather than trusted.
    for value in (tree.other_branch.pk, "abc", "-1", "1" * 30):
        response = client.get(url, {"chi_bo": value})
        assert response.status_code == 200 and response.context["branch"] is None


def test_board_of_the_superior_level_lists_its_branches(client, tree, personas):
    response = _get(client, personas.superior, reverse("admissions:board", args=[tree.ward.pk]))
    names = {b.name for b in response.context["branches"]}
    assert names == {"Chi bộ Giáo viên", "Chi bộ Văn phòng", "Chi bộ Khu phố 1"}


# The board costs the same number of queries for 1 or 200 dossiers: session, user, roles (scope),
# the organization, the branch list, the dossiers with their candidates and branches.
BOARD_QUERIES = 7


def test_board_query_count_does_not_grow_with_dossiers(client, pipeline, tree, personas, django_assert_max_num_queries):
    pipeline.default.to(S.PREPARING)
    url = reverse("admissions:board", args=[tree.base.pk])
    client.force_login(personas.base)
    with django_assert_max_num_queries(BOARD_QUERIES):
        few = client.get(url)
    for i, stage in enumerate([S.SOURCE_POOL, S.SYMPATHIZER, S.BRANCH_PROPOSED, S.ADMITTED, S.PROBATION]):
        pipeline.new().to(stage, full_name=f"Người thứ {i}", birth_date=D(1990, 1, i + 1))
    with django_assert_max_num_queries(BOARD_QUERIES):
        more = client.get(url)
    assert sum(c["count"] for c in more.context["columns"]) == 6
    assert sum(c["count"] for c in few.context["columns"]) == 1


def test_index_opens_the_board_of_the_users_organization(client, tree, personas):
    response = _get(client, personas.secretary_a, reverse("admissions:index"))
    assert response.status_code == 302 and response.url == reverse("admissions:board", args=[tree.branch_a.pk])


# ---------------------------------------------------------------- candidate page


def test_candidate_page_masks_the_personal_id_and_shows_the_timeline(client, pipeline, personas):
    dossier = pipeline.default.to(S.BRANCH_PROPOSED)
    response = _get(client, personas.secretary_a, reverse("admissions:dossier", args=[dossier.pk]))
    html = response.content.decode()
    assert dossier.candidate.personal_id not in html
    assert dossier.candidate.masked_personal_id in html
    assert "Chi bộ xét, biểu quyết đề nghị kết nạp" in html and "6-KNĐ" in html
    # Every step is on the timeline, in order.
    steps = [e.step for e in response.context["events"]]
    assert steps[0] == DossierStep.SOURCE_POOL and steps[-1] == DossierStep.BRANCH_VOTE
    assert steps.count(DossierStep.INTRODUCTION) == 2


def test_candidate_page_shows_the_next_deadline_and_what_blocks_the_branch_vote(client, pipeline, personas):
    dossier = pipeline.default.to(S.PREPARING)
    html = _get(client, personas.secretary_a, reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    assert "Hạn tiếp theo" in html and f"{dossier.next_deadline_on:%d/%m/%Y}" in html
    assert "Chưa đủ điều kiện để chi bộ xét hôm nay" in html and "Hồ sơ còn thiếu" in html


def test_each_role_sees_only_its_actions_at_this_stage(client, pipeline, personas):
    dossier = pipeline.default.to(S.BRANCH_PROPOSED)
    base_vote = _action_url(dossier, "base_vote")
    assert base_vote in _get(client, personas.base, reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    html = _get(client, personas.secretary_a, reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    assert base_vote not in html
    assert _get(client, personas.secretary_a, base_vote).status_code == 403


def test_a_step_of_another_stage_is_refused(client, pipeline, personas):
    dossier = pipeline.default.to(S.SOURCE_POOL)
    client.force_login(personas.secretary_a)
    assert client.get(_action_url(dossier, "ceremony")).status_code == 403
    assert client.post(_action_url(dossier, "branch_vote"), {}).status_code == 403
    assert client.get(_action_url(dossier, "no-such-step")).status_code == 404


def test_dossier_outside_scope_is_not_found(client, pipeline, personas):
    dossier = pipeline.default.to(S.SOURCE_POOL)
    assert _get(client, personas.outsider, reverse("admissions:dossier", args=[dossier.pk])).status_code == 404
    assert _get(client, personas.secretary_b, reverse("admissions:dossier", args=[dossier.pk])).status_code == 404
    assert _get(client, personas.secretary_b, _action_url(dossier, "sympathizer")).status_code == 404


# ---------------------------------------------------------------- every action through the pages


def _walk(members):
    """(persona, action, data) from the source pool to official, dates as in tests/admissions/conftest.py."""
    an, dat = members.an.pk, members.dat.pk
    vote = {"temporarily_attached_count": 0, "exempted_absent_count": 0, "against_count": 0}
    return [
        ("secretary_a", "sympathizer", {"listed_on": "01/02/2024", "resolution_number": "05-NQ/CB", "helper": an}),
        ("secretary_a", "certificate", {"issued_on": "01/03/2024", "number": "123/CN"}),
        ("secretary_a", "application", {"submitted_on": "05/03/2024"}),
        ("secretary_a", "resume", {"submitted_on": "06/03/2024"}),
        ("base", "stamp_resume", {"stamped_on": "11/03/2024"}),
        ("secretary_a", "introduction",
         {"kind": "member", "introducer": an, "known_since": "01/01/2022", "introduced_on": "12/03/2024"}),
        ("secretary_a", "introduction",
         {"kind": "member", "introducer": dat, "known_since": "01/01/2022", "introduced_on": "12/03/2024"}),
        ("secretary_a", "verification_request",
         {"relationship": "self", "person_name": "Lê Thị Hồng Nhung", "request_sent_to": "Công an phường Xương Giang",
          "request_sent_on": "12/03/2024"}),
        ("secretary_a", "verification_request",
         {"relationship": "father", "person_name": "Lê Văn Hùng", "is_party_member": "on"}),
        ("secretary_a", "verification_result",
         {"item": "self", "result_received_on": "01/04/2024", "result": "Chấp hành tốt.", "is_clear": "on"}),
        ("base", "certify_resume", {"certified_on": "05/04/2024"}),
        ("secretary_a", "opinion",
         {"source": "mass_organization", "organization_name": "Công đoàn Trường", "given_on": "08/04/2024",
          "participants_count": 40, "agreeing_count": 38}),
        ("secretary_a", "opinion",
         {"source": "residence_branch", "organization_name": "Chi bộ Khu phố 1", "given_on": "08/04/2024"}),
        ("secretary_a", "summarize_opinions", {"summarized_on": "09/04/2024"}),
        ("secretary_a", "branch_vote",
         {"held_on": "15/04/2024", "resolution_number": "07-NQ/CB", "members_count": 9, "in_favour_count": 7, **vote}),
        ("base", "base_vote",
         {"held_on": "25/04/2024", "resolution_number": "45-NQ/ĐU", "members_count": 9, "in_favour_count": 8,
          "against_count": 0}),
        ("base", "decision", {"approved": "1", "decision_number": "112-QĐ/ĐU", "signed_on": "10/05/2024"}),
        ("secretary_a", "decision_received", {"received_on": "13/05/2024"}),
        ("secretary_a", "ceremony", {"held_on": "20/05/2024", "probation_helper": dat}),
        ("secretary_a", "new_member_course", {"completed_on": "06/09/2024", "certificate_number": "77/CN"}),
        ("secretary_a", "self_assessment", {"dated_on": "21/05/2025"}),
        ("secretary_a", "helper_comment", {"dated_on": "21/05/2025"}),
        ("secretary_a", "recognition_opinion",
         {"source": "residence_branch", "organization_name": "Chi bộ Khu phố 1", "given_on": "21/05/2025"}),
        ("secretary_a", "recognition_opinions", {"dated_on": "21/05/2025"}),
        ("secretary_a", "recognition_branch_vote",
         {"proposal": "official", "held_on": "26/05/2025", "resolution_number": "20-NQ/CB", "members_count": 10,
          "in_favour_count": 9, **vote}),
        ("base", "recognition_base_vote",
         {"held_on": "02/06/2025", "resolution_number": "60-NQ/ĐU", "members_count": 9, "in_favour_count": 9,
          "against_count": 0}),
        ("base", "recognition_decision", {"outcome": "official", "decision_number": "150-QĐ/ĐU",
                                          "decided_on": "10/06/2025"}),
    ]  # fmt: skip


def test_every_step_is_recorded_through_its_page_by_the_role_that_owns_it(client, pipeline, personas, members):
    """Source pool to official member through the forms; at each step the other role is refused (403)."""
    dossier = pipeline.default.to(S.SOURCE_POOL)
    others = {"secretary_a": personas.base, "base": personas.secretary_a}
    for persona, key, data in _walk(members):
        url = _action_url(dossier, key)
        client.force_login(others[persona])
        assert client.get(url).status_code == 403, (key, "wrong role")
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == 200, key
        if data.get("item") == "self":
            data = {**data, "item": VerificationItem.objects.get(dossier=dossier, relationship="self").pk}
        response = _post_step(client, dossier, key, data)
        assert response.status_code == 302, (key, response.context and response.context["form"].errors)
        assert response.url == reverse("admissions:dossier", args=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.stage == S.OFFICIAL
    assert dossier.member.status == MemberStatus.OFFICIAL and dossier.member.official_on == D(2025, 5, 20)
    assert dossier.events.count() == len(_walk(members)) + 1  # + the source pool
    html = _get(client, personas.secretary_a, reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    assert "Đã công nhận chính thức" in html and "16-KNĐ" in html
    assert not allowed_actions(personas.secretary_a, dossier) and not allowed_actions(personas.base, dossier)


def test_a_base_branch_is_decided_by_the_superior_committee(client, pipeline, tree, personas):
    dossier = pipeline.default.to(S.SOURCE_POOL, branch=tree.base_branch)
    Dossier.objects.filter(pk=dossier.pk).update(stage=S.BRANCH_PROPOSED)
    dossier.refresh_from_db()
    keys = {a.key for a in allowed_actions(personas.superior, dossier)}
    assert "decision_base_branch" in keys and "base_vote" not in keys and "decision" not in keys
    assert _get(client, personas.base, _action_url(dossier, "decision_base_branch")).status_code == 404  # not in scope


def test_a_refused_decision_closes_the_dossier_with_the_reason(client, pipeline, personas):
    dossier = pipeline.default.to(S.BASE_PROPOSED)
    client.force_login(personas.base)
    data = {"approved": "0", "decision_number": "113-QĐ/ĐU", "signed_on": "10/05/2024"}
    response = _post_step(client, dossier, "decision", data)
    assert response.status_code == 200 and "Ghi rõ lý do không kết nạp" in response.content.decode()
    assert _post_step(client, dossier, "decision", {**data, "refusal_reason": "Chưa đủ tiêu chuẩn"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage == S.CLOSED and "Chưa đủ tiêu chuẩn" in dossier.closed_reason


def test_the_secretary_closes_a_dossier_before_the_vote(client, pipeline, personas):
    dossier = pipeline.default.to(S.SYMPATHIZER)
    client.force_login(personas.secretary_a)
    response = _post_step(client, dossier, "close", {"closed_on": "01/03/2024", "reason": "Chuyển nơi ở"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage == S.CLOSED


def test_the_decider_extends_the_decision_deadline(client, pipeline, personas):
    dossier = pipeline.default.to(S.BASE_PROPOSED)
    before = dossier.next_deadline_on
    client.force_login(personas.base)
    data = {"working_days": 10, "reason": "Chờ kết quả thẩm tra bổ sung", "decided_on": "30/04/2024"}
    assert _post_step(client, dossier, "extend_decision", data).status_code == 302
    dossier.refresh_from_db()
    assert dossier.next_deadline_on > before
    response = _post_step(client, dossier, "extend_decision", {**data, "working_days": 25})
    assert response.status_code == 200 and "không quá 30 ngày làm việc" in response.content.decode()


def test_province_staff_records_consent_for_a_candidate_over_sixty(client, pipeline, personas):
    dossier = pipeline.default.to(S.SOURCE_POOL)
    assert _get(client, personas.secretary_a, _action_url(dossier, "province_consent")).status_code == 403
    client.force_login(personas.province)
    data = {"consented_on": "01/02/2024", "reference": "15-CV/TU"}
    assert _post_step(client, dossier, "province_consent", data).status_code == 302
    dossier.refresh_from_db()
    assert dossier.province_consent_number == "15-CV/TU"


def test_after_three_failed_recognition_votes_the_decider_decides(client, pipeline, personas):
    dossier = pipeline.default.to("ready_for_recognition")
    client.force_login(personas.secretary_a)
    data = {"proposal": "official", "held_on": "26/05/2025", "members_count": 10, "in_favour_count": 5,
            "temporarily_attached_count": 0, "exempted_absent_count": 0, "against_count": 5}  # fmt: skip
    for _ in range(3):
        assert _post_step(client, dossier, "recognition_branch_vote", data).status_code == 302
    assert Vote.objects.filter(dossier=dossier, kind=VoteKind.BRANCH_RECOGNITION, passed=False).count() == 3
    dossier.refresh_from_db()
    assert "recognition_decision_escalated" in {a.key for a in allowed_actions(personas.base, dossier)}
    client.force_login(personas.base)
    response = _post_step(
        client,
        dossier,
        "recognition_decision_escalated",
        {"outcome": "struck_off", "decision_number": "151-QĐ/ĐU", "decided_on": "20/06/2025"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage == S.STRUCK_OFF


def test_action_refused_by_a_rule_shows_the_vietnamese_reason(client, pipeline, personas):
    dossier = pipeline.default.to(S.PREPARING)
    client.force_login(personas.secretary_a)
    response = _post_step(
        client,
        dossier,
        "branch_vote",
        {"held_on": "15/04/2024", "members_count": 9, "temporarily_attached_count": 0, "exempted_absent_count": 0,
         "in_favour_count": 9, "against_count": 0},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Hồ sơ còn thiếu" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.stage == S.PREPARING


def test_a_date_in_the_future_is_refused_on_its_field(client, pipeline, personas, members):
    dossier = pipeline.default.to(S.SOURCE_POOL)
    client.force_login(personas.secretary_a)
    response = _post_step(client, dossier, "sympathizer", {"listed_on": "01/01/2099", "helper": members.an.pk})
    assert response.status_code == 200
    assert "không được sau ngày hôm nay" in str(response.context["form"].errors["listed_on"])


# Stages to reach, by the first stage each action runs at, to try every action's form with nonsense.
_REACH = {S.PROBATION: "ready_for_recognition"}
_NONSENSE = [
    lambda name: "x" * 5000,
    lambda name: "9" * 30,
    lambda name: "-1",
    lambda name: "31/02/2024",
    lambda name: "01/01/0001",
    lambda name: "",
]


@pytest.mark.parametrize("stage", sorted({a.stages[0] for a in ACTIONS}))
def test_no_action_form_fails_on_nonsense_input(client, pipeline, personas, stage):
    """Too long, too large, negative, impossible dates, year 1, empty: a Vietnamese form error, never a 500."""
    dossier = pipeline.default.to(_REACH.get(stage, stage))
    client.force_login(personas.admin)
    events = dossier.events.count()
    actions = [a for a in allowed_actions(personas.admin, dossier) if a.stages[0] == stage]
    assert actions
    for action in actions:
        fields = list(action.form(dossier=dossier).fields)
        for make in _NONSENSE:
            response = client.post(_action_url(dossier, action.key), {name: make(name) for name in fields})
            assert response.status_code == 200, (action.key, make("f"))
            errors = str(response.context["form"].errors)
            assert errors, (action.key, make("f"))
            assert not any(english in errors for english in ("Enter ", "Ensure ", "This field", "Select a")), errors
    assert dossier.events.count() == events


# ---------------------------------------------------------------- source pool form


def _candidate_data(tree, **overrides):
    data = {
        "branch": tree.branch_a.pk, "full_name": "Đỗ Minh Khôi", "gender": "male", "birth_date": "02/03/2001",
        "personal_id": "024201000123", "ethnicity": "Kinh", "religion": "Không",
        "general_education": "upper_secondary", "proposed_by": "youth_union", "proposed_on": "01/09/2026",
        "categories": ["youth_union_member"],
    }  # fmt: skip
    data.update(overrides)
    return data


def test_candidate_is_added_to_the_source_pool_from_the_form(client, tree, personas):
    client.force_login(personas.secretary_a)
    response = client.post(reverse("admissions:candidate_create"), _candidate_data(tree))
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get(candidate__full_name="Đỗ Minh Khôi")
    assert dossier.stage == S.SOURCE_POOL and dossier.branch == tree.branch_a


def test_source_pool_form_explains_a_wrong_personal_id_in_vietnamese(client, tree, personas):
    client.force_login(personas.secretary_a)
    response = client.post(reverse("admissions:candidate_create"), _candidate_data(tree, personal_id="12345"))
    assert response.status_code == 200
    assert "Số CCCD phải gồm đúng 12 chữ số" in str(response.context["form"].errors["personal_id"])
    response = client.post(reverse("admissions:candidate_create"), _candidate_data(tree, birth_date="01/01/0001"))
    assert response.status_code == 200


def test_source_pool_form_offers_only_the_secretarys_own_branches(client, tree, personas):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("admissions:candidate_create"), {"chi_bo": "rác"})
    assert list(response.context["form"].fields["branch"].queryset) == [tree.branch_a]
    response = client.post(reverse("admissions:candidate_create"), _candidate_data(tree, branch=tree.branch_b.pk))
    assert response.status_code == 200 and response.context["form"].errors["branch"]
    assert not Dossier.objects.exists()


def test_base_staff_cannot_put_people_in_the_source_pool(client, tree, personas):
    client.force_login(personas.base)
    assert client.get(reverse("admissions:candidate_create")).status_code == 403
    assert client.post(reverse("admissions:candidate_create"), _candidate_data(tree)).status_code == 403


# ---------------------------------------------------------------- organization panels


@pytest.mark.parametrize("persona, organization", [("secretary_a", "branch_a"), ("base", "base"), ("superior", "ward")])
def test_deadlines_panel_lists_overdue_dossiers_at_each_level(client, pipeline, tree, personas, persona, organization):
    pipeline.default.to(S.ADMITTED)
    url = reverse("admissions:deadlines_panel", args=[getattr(tree, organization).pk])
    response = _get(client, getattr(personas, persona), url)
    html = response.content.decode()
    assert "Lê Thị Hồng Nhung" in html and "quá hạn" in html
    assert response.context["overdue_count"] == 1


@pytest.mark.parametrize("days_before, counted", [(0, True), (1, True), (30, True), (31, False)])
def test_deadlines_panel_lists_what_is_due_in_the_next_30_days(
    client, pipeline, tree, personas, monkeypatch, days_before, counted
):
    dossier = pipeline.default.to(S.ADMITTED)
    on = dossier.next_deadline_on - dt.timedelta(days=days_before)
    monkeypatch.setattr("admissions.views.today", lambda: on)
    response = _get(client, personas.base, reverse("admissions:deadlines_panel", args=[tree.base.pk]))
    assert response.context["due_count"] == int(counted) and response.context["overdue_count"] == 0
    assert (f"hạn {dossier.next_deadline_on:%d/%m/%Y}" in response.content.decode()) is counted


def test_deadlines_panel_on_the_last_day_of_a_month_shows_what_is_due_early_next_month(
    client, pipeline, tree, personas, monkeypatch
):
    # A calendar-month window showed nothing on 30/11 for a deadline on 02/12.
    dossier = pipeline.default.to(S.ADMITTED)
    month_end = dossier.next_deadline_on.replace(day=1) - dt.timedelta(days=1)
    monkeypatch.setattr("admissions.views.today", lambda: month_end)
    response = _get(client, personas.base, reverse("admissions:deadlines_panel", args=[tree.base.pk]))
    assert response.context["due_count"] == 1


def test_deadlines_panel_names_branches_with_their_parent(client, pipeline, tree, personas):
    pipeline.default.to(S.ADMITTED)
    html = _get(client, personas.superior, reverse("admissions:deadlines_panel", args=[tree.ward.pk])).content.decode()
    assert "Chi bộ Giáo viên — Đảng bộ Trường THPT Ngô Sĩ Liên" in html


def test_deadlines_panel_of_another_branch_is_empty(client, pipeline, tree, personas):
    pipeline.default.to(S.ADMITTED)
    response = _get(client, personas.secretary_b, reverse("admissions:deadlines_panel", args=[tree.branch_b.pk]))
    assert response.context["overdue_count"] == 0 and "Lê Thị Hồng Nhung" not in response.content.decode()


def test_organization_page_loads_both_admission_panels(client, tree, personas):
    html = _get(client, personas.base, reverse("organizations:detail", args=[tree.base.pk])).content.decode()
    assert reverse("admissions:plan_panel", args=[tree.base.pk]) in html
    assert reverse("admissions:deadlines_panel", args=[tree.base.pk]) in html


# ---------------------------------------------------------------- plans


def test_plan_defaults_to_three_and_a_half_percent_and_counts_decisions(client, pipeline, tree, personas):
    from admissions.selectors import plan_progress

    pipeline.default.to(S.ADMITTED)
    progress = plan_progress(tree.base, 2024)
    assert progress["members_at_start"] == 3  # An, Đạt, Yến were admitted before 2024
    assert progress["target"] == 1 and progress["admitted"] == 1
    html = _get(client, personas.base, reverse("admissions:plan_panel", args=[tree.base.pk]) + "?nam=2024")
    assert "Đã kết nạp <strong>1</strong>" in html.content.decode()


@pytest.mark.parametrize("year", ["abc", "-5", "99999999999999999999", "1800", "2024.5", "", "²", "%00", "9" * 5000])
def test_plan_panel_falls_back_to_this_year_on_a_bad_year(client, tree, personas, year):
    from partyorg.lib.dates import today

    response = _get(client, personas.base, reverse("admissions:plan_panel", args=[tree.base.pk]) + f"?nam={year}")
    assert response.status_code == 200 and response.context["progress"]["year"] == today().year


def test_plan_is_saved_and_shown_on_the_panel(client, tree, personas):
    client.force_login(personas.base)
    url = reverse("admissions:plan_edit", args=[tree.base.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2026, "term": "2025–2030", "target_count": 4, "notes": ""})
    assert response.status_code == 302
    assert AdmissionPlan.objects.get(organization=tree.base, year=2026).target_count == 4
    audited = AuditEvent.objects.get(action=AuditAction.ADMISSION_PLAN_CHANGE)
    assert audited.actor == personas.base and audited.details["target_count"] == {"old": None, "new": 4}
    html = client.get(reverse("admissions:plan_panel", args=[tree.base.pk]) + "?nam=2026").content.decode()
    assert "chỉ tiêu <strong>4</strong>" in html and "nhiệm kỳ 2025–2030" in html


def test_plan_form_refuses_nonsense_in_vietnamese(client, tree, personas):
    client.force_login(personas.base)
    url = reverse("admissions:plan_edit", args=[tree.base.pk])
    nonsense = [
        {"year": 1800, "target_count": 4},
        {"year": 2026, "target_count": -1},
        {"year": "x", "target_count": "9" * 30},
    ]
    for data in nonsense:
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors, data
    assert not AdmissionPlan.objects.exists()
    assert client.get(url + "?nam=abc").status_code == 200


def test_plan_of_the_base_committee_cannot_be_edited_by_a_branch_secretary(client, tree, personas):
    assert _get(client, personas.secretary_a, reverse("admissions:plan_edit", args=[tree.base.pk])).status_code == 404
    response = _get(client, personas.secretary_a, reverse("admissions:plan_edit", args=[tree.branch_a.pk]))
    assert response.status_code == 200


def test_branch_vote_form_starts_from_the_branchs_full_members(client, pipeline, personas):
    dossier = pipeline.default.to(S.PREPARING)
    response = _get(client, personas.secretary_a, _action_url(dossier, "branch_vote"))
    assert response.context["form"].fields["members_count"].initial == 2  # An and Đạt
    assert "hiện có 2" in response.content.decode()


def test_candidate_page_tells_who_records_the_next_step(client, pipeline, personas):
    dossier = pipeline.default.to(S.BRANCH_PROPOSED)
    response = _get(client, personas.secretary_a, reverse("admissions:dossier", args=[dossier.pk]))
    assert not response.context["actions"]
    assert "Đảng ủy cơ sở xét kết nạp (8-KNĐ) — do đảng ủy cơ sở ghi" in response.content.decode()


# The candidate page reads the dossier, its rows (events, certificates, introductions, verification, opinions,
# votes) and what the user may do: the same number of queries at the first step as at the last.
DOSSIER_PAGE_QUERIES = 14


def test_candidate_page_queries_do_not_grow_with_the_steps(client, pipeline, personas, django_assert_max_num_queries):
    early = pipeline.default.to(S.SYMPATHIZER)
    late = pipeline.new().to(S.OFFICIAL, full_name="Người đã chính thức", birth_date=D(1995, 5, 5))
    assert late.events.count() > 3 * early.events.count()
    client.force_login(personas.base)
    for dossier in (early, late):
        with django_assert_max_num_queries(DOSSIER_PAGE_QUERIES):
            assert client.get(reverse("admissions:dossier", args=[dossier.pk])).status_code == 200


def test_deadlines_panel_queries_do_not_grow_with_dossiers(
    client, pipeline, tree, personas, django_assert_max_num_queries
):
    for i in range(4):
        pipeline.new().to(S.ADMITTED, full_name=f"Người thứ {i}", birth_date=D(1990, 2, i + 1))
    client.force_login(personas.superior)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admissions:deadlines_panel", args=[tree.ward.pk]))
    assert response.context["overdue_count"] == 4


def test_plan_of_another_year_is_edited_from_its_panel(client, tree, personas):
    client.force_login(personas.base)
    panel = client.get(reverse("admissions:plan_panel", args=[tree.base.pk]) + "?nam=2025").content.decode()
    edit = reverse("admissions:plan_edit", args=[tree.base.pk]) + "?nam=2025"
    assert edit in panel
    assert client.get(edit).context["form"].initial["year"] == 2025


def test_an_id_too_large_for_the_database_is_not_found(client, personas):
    client.force_login(personas.secretary_a)
    huge = "9" * 30
    for url in (f"/ket-nap/ho-so/{huge}/", f"/ket-nap/to-chuc/{huge}/", f"/ket-nap/ho-so/{huge}/sympathizer/"):
        assert client.get(url).status_code == 404, url


def test_the_summary_page_names_the_missing_residence_opinion_and_takes_the_branchs_area(
    client, pipeline, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    dossier = pipeline.default.to(S.PREPARING)
    client.force_login(personas.secretary_a)
    opinion = {"source": "mass_organization", "organization_name": "Công đoàn Trường", "given_on": "08/04/2024"}
    assert _post_step(client, dossier, "opinion", opinion).status_code == 302
    assert 'name="resides_in_branch_area"' in client.get(_action_url(dossier, "summarize_opinions")).content.decode()
    refused = _post_step(client, dossier, "summarize_opinions", {"summarized_on": "09/04/2024"})
    assert refused.status_code == 200
    assert "còn thiếu ý kiến nhận xét của chi ủy (chi bộ) nơi người vào Đảng cư trú" in refused.content.decode()
    accepted = _post_step(
        client, dossier, "summarize_opinions", {"summarized_on": "09/04/2024", "resides_in_branch_area": "on"}
    )
    assert accepted.status_code == 302
    pdf = client.get(reverse("admissions:print_form", args=[dossier.pk, "5-knd"])).content
    assert "chi ủy chi bộ đồng thời là chi ủy nơi cư trú" in text_of(pdf)


def test_a_case_sent_up_after_three_failed_votes_is_found_and_decided_by_the_committee_above(
    client, pipeline, personas, tree
):
    from admissions import services
    from admissions.deadlines import ESCALATED_LABEL, escalated_decision_due_on

    # A base branch: its candidate is decided by the ward's standing committee (superior staff).
    dossier = pipeline.default.to("ready_for_recognition", branch=tree.base_branch)
    vote = dict(actor=personas.admin, dossier=dossier, proposal="official", resolution_number="",
                members_count=10, in_favour_count=5, against_count=5)  # fmt: skip
    board = reverse("admissions:board", args=[tree.ward.pk])
    panel = reverse("admissions:deadlines_panel", args=[tree.ward.pk])
    client.force_login(personas.superior)
    for held_on in (D(2025, 5, 26), D(2025, 6, 2)):
        services.record_recognition_branch_vote(held_on=held_on, **vote)
    assert ESCALATED_LABEL not in client.get(board).content.decode()  # the branch may still vote once more
    assert 'data-testid="awaiting"' not in client.get(panel).content.decode()
    services.record_recognition_branch_vote(held_on=D(2025, 6, 9), **vote)

    assert client.get(reverse("admissions:index")).url == board  # the ward's staff land on the ward's board
    page = client.get(board).content.decode()
    due = escalated_decision_due_on(D(2025, 6, 9)).due_on
    assert "Lê Thị Hồng Nhung" in page and ESCALATED_LABEL in page and f"{due:%d/%m/%Y}" in page
    page = client.get(panel).content.decode()
    assert "Chờ cấp trên quyết định: 1" in page and 'data-testid="awaiting"' in page
    assert reverse("admissions:dossier", args=[dossier.pk]) in page
    detail = client.get(reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    assert _action_url(dossier, "recognition_decision_escalated") in detail

    response = _post_step(
        client,
        dossier,
        "recognition_decision_escalated",
        {"outcome": "official", "decision_number": "151-QĐ/ĐU", "decided_on": "20/06/2025"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage == S.OFFICIAL and dossier.next_deadline_label == ""
    assert "Lê Thị Hồng Nhung" not in client.get(board).content.decode()
    assert 'data-testid="awaiting"' not in client.get(panel).content.decode()


def test_a_member_in_probation_through_a_dossier_is_on_the_probation_panel(client, pipeline, tree, personas):
    from members.rules import probation_ends_on

    dossier = pipeline.default.to(S.PROBATION)
    html = _get(client, personas.secretary_a, reverse("members:probation_panel", args=[tree.branch_a.pk]))
    html = html.content.decode()
    assert "Lê Thị Hồng Nhung" in html
    assert f"{probation_ends_on(dossier.ceremony_held_on):%d/%m/%Y}" in html


# ---------------------------------------------------------------- step pages: papers first, no step twice


def test_print_buttons_name_the_form_with_its_title(client, pipeline, personas):
    dossier = pipeline.default.to("ready_for_vote")
    html = _get(client, personas.secretary_a, reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    links = html[html.index('data-testid="print-links"') :]
    assert "1-KNĐ</span> Đơn xin vào Đảng</span>" in links
    assert "5-KNĐ</span> Tổng hợp ý kiến nhận xét của tổ chức đoàn thể và chi bộ nơi cư trú</span>" in links


def test_recognition_vote_page_says_which_papers_are_missing_before_its_form(client, pipeline, personas):
    dossier = pipeline.default.to(S.PROBATION)
    html = _get(client, personas.secretary_a, _action_url(dossier, "recognition_branch_vote")).content.decode()
    problems = html.index('data-testid="step-problems"')
    assert problems < html.index('name="held_on"')
    for paper in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "lớp bồi dưỡng lý luận chính trị cho đảng viên mới"):
        assert paper in html[problems : html.index("</ul>", problems)]


def test_a_step_page_without_problems_shows_its_form_at_once(client, pipeline, personas):
    dossier = pipeline.default.to("ready_for_recognition")
    html = _get(client, personas.secretary_a, _action_url(dossier, "recognition_branch_vote")).content.decode()
    assert 'data-testid="step-problems"' not in html and "<details" not in html and 'name="held_on"' in html


def test_branch_vote_page_lists_the_eligibility_problems_first(client, pipeline, personas):
    dossier = pipeline.default.to(S.PREPARING)
    html = _get(client, personas.secretary_a, _action_url(dossier, "branch_vote")).content.decode()
    assert html.index("Hồ sơ còn thiếu") < html.index('name="held_on"')


def test_stamp_page_says_the_resume_is_missing(client, pipeline, personas):
    dossier = pipeline.default.to(S.PREPARING)
    html = _get(client, personas.base, _action_url(dossier, "stamp_resume")).content.decode()
    assert "Chưa có lý lịch của người xin vào Đảng (2-KNĐ) để đóng dấu giáp lai." in html


def test_a_paper_recorded_once_is_not_offered_again(client, pipeline, personas):
    dossier = pipeline.default.to("ready_for_vote")
    offered = {a.key for a in allowed_actions(personas.secretary_a, dossier)}
    assert {"resume", "introduction", "verification_result", "summarize_opinions"}.isdisjoint(offered)
    assert {"opinion", "branch_vote"} <= offered  # opinions and votes may be recorded again
    assert "certify_resume" not in {a.key for a in allowed_actions(personas.base, dossier)}
    assert _get(client, personas.secretary_a, _action_url(dossier, "resume")).status_code == 403


def test_recognition_papers_are_offered_until_recorded(pipeline, personas):
    dossier = pipeline.default.to(S.PROBATION)
    papers = {"new_member_course", "self_assessment", "helper_comment", "recognition_opinions"}
    assert papers <= {a.key for a in allowed_actions(personas.secretary_a, dossier)}
    dossier = pipeline.default.to("ready_for_recognition")
    assert papers.isdisjoint({a.key for a in allowed_actions(personas.secretary_a, dossier)})
