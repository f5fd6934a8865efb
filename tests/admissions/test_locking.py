"""Lost updates on a dossier: two people recording a step from forms loaded on the same version."""

import pytest
from django.test import Client
from django.urls import reverse

from admissions.actions import ACTIONS_BY_KEY
from admissions.models import DossierStage, DossierStep, Vote
from organizations.models import RoleKind
from partyorg.lib.locking import EditConflict
from tests.factories import make_user

S = DossierStage


@pytest.fixture
def deputy(tree):
    """The branch's deputy secretary: records the same steps as the secretary."""
    return make_user("phobithu_a", RoleKind.BRANCH_DEPUTY, tree.branch_a)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(dossier, key):
    return reverse("admissions:dossier_action", args=[dossier.pk, key])


def _open_step(client, dossier, key) -> int:
    """Load the step's form; return the version it carries."""
    response = client.get(_url(dossier, key))
    assert response.status_code == 200
    assert f'type="hidden" name="version" value="{dossier.version}"' in response.content.decode()
    return response.context["form"]["version"].value()


def test_second_of_two_concurrent_step_forms_is_refused_with_who_recorded_what(pipeline, personas, deputy):
    dossier = pipeline.default.to(S.PREPARING)
    first, second = _client_for(personas.secretary_a), _client_for(deputy)
    version_of_first = _open_step(first, dossier, "resume")
    version_of_second = _open_step(second, dossier, "resume")
    events = dossier.events.count()

    assert (
        first.post(_url(dossier, "resume"), {"submitted_on": "06/03/2024", "version": version_of_first}).status_code
        == 302
    )
    response = second.post(_url(dossier, "resume"), {"submitted_on": "07/03/2024", "version": version_of_second})

    assert response.status_code == 200
    dossier.refresh_from_db()
    assert f"{dossier.resume_submitted_on:%d/%m/%Y}" == "06/03/2024"
    assert dossier.events.count() == events + 1
    message = " ".join(response.context["form"].non_field_errors())
    assert f"Hồ sơ đã được {personas.secretary_a} sửa lúc" in message
    assert "(Lý lịch của người xin vào Đảng)" in message
    assert "ngày nộp lý lịch (2-KNĐ): — → 06/03/2024" in message and "Hãy xem lại và lưu lại." in message
    assert response.context["form"]["submitted_on"].value() == "07/03/2024"  # the second user's input is kept
    assert int(response.context["form"]["version"].value()) == dossier.version


def test_a_step_whose_stage_passed_meanwhile_says_who_moved_the_dossier_not_403(pipeline, personas, deputy):
    dossier = pipeline.default.to("ready_for_vote")
    first, second = _client_for(personas.secretary_a), _client_for(deputy)
    vote = {"held_on": "15/04/2024", "resolution_number": "07-NQ/CB", "members_count": 9, "in_favour_count": 7,
            "temporarily_attached_count": 0, "exempted_absent_count": 0, "against_count": 0}  # fmt: skip
    version = _open_step(first, dossier, "branch_vote")
    assert _open_step(second, dossier, "branch_vote") == version

    assert first.post(_url(dossier, "branch_vote"), {**vote, "version": version}).status_code == 302
    response = second.post(_url(dossier, "branch_vote"), {**vote, "in_favour_count": 8, "version": version})

    assert response.status_code == 200
    assert Vote.objects.filter(dossier=dossier).count() == 1
    message = " ".join(response.context["form"].non_field_errors())
    assert str(personas.secretary_a) in message
    assert "giai đoạn: Hoàn thiện hồ sơ → Chi bộ đề nghị kết nạp" in message


def test_a_stale_form_of_a_step_the_user_never_records_is_still_403(client, pipeline, personas):
    dossier = pipeline.default.to("ready_for_vote")
    version = dossier.version
    first = _client_for(personas.secretary_a)
    vote = {"held_on": "15/04/2024", "members_count": 9, "in_favour_count": 7, "against_count": 0,
            "temporarily_attached_count": 0, "exempted_absent_count": 0}  # fmt: skip
    assert first.post(_url(dossier, "branch_vote"), {**vote, "version": version}).status_code == 302
    client.force_login(personas.base)  # base committee staff: no branch vote is theirs to record
    assert client.post(_url(dossier, "branch_vote"), {**vote, "version": version}).status_code == 403


def test_recording_a_step_on_a_stale_version_writes_nothing(pipeline, personas):
    dossier = pipeline.default.to(S.PREPARING)
    seen = dossier.version
    resume = ACTIONS_BY_KEY["resume"]
    resume.record(personas.secretary_a, dossier, {"submitted_on": pipeline.default.d["resume_on"]}, seen_version=seen)
    dossier.refresh_from_db()
    assert dossier.version == seen + 1  # one step, one version
    with pytest.raises(EditConflict):
        resume.record(personas.admin, dossier, {"submitted_on": pipeline.default.d["stamped_on"]}, seen_version=seen)
    dossier.refresh_from_db()
    assert dossier.resume_submitted_on == pipeline.default.d["resume_on"] and dossier.version == seen + 1


def test_each_step_leaves_one_history_row_naming_who_recorded_it(pipeline, personas):
    dossier = pipeline.default.to(S.SYMPATHIZER)
    records = list(dossier.history.order_by("history_date"))
    assert [r.version for r in records] == [1, 2]
    assert records[0].history_user == personas.secretary_a
    assert [r.history_change_reason for r in records] == [DossierStep.SOURCE_POOL.label, DossierStep.SYMPATHIZER.label]
    assert dossier.version == 2
