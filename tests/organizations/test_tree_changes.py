"""Tree changes stand on their decision, offer only valid targets, are confirmed after a summary, and are audited."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from members.models import BranchMembership
from organizations.models import Organization, OrganizationEvent, OrganizationKind, ResidentialGroup
from organizations.services import (
    create_organization,
    merge_organizations,
    move_organization,
    plan_merge_organizations,
)
from partyorg.lib.dates import today
from partyorg.lib.errors import DomainError
from tests.factories import tree_decision

TREE_DECISION = {"decision_number", "decided_by", "reason"}


def _create(tree, personas, **overrides):
    return create_organization(
        actor=personas.superior,
        parent=tree.base,
        kind=OrganizationKind.BRANCH,
        code="T-XG-NSL-HS",
        name="Chi bộ Học sinh",
        **{"active_from": dt.date(2025, 9, 1), **tree_decision(), **overrides},
    )


def _move(tree, personas, **overrides):
    return move_organization(
        actor=personas.province,
        organization=tree.base,
        new_parent=tree.other_ward,
        **{"effective_on": dt.date(2025, 7, 1), **tree_decision(), **overrides},
    )


def _merge(tree, personas, **overrides):
    return merge_organizations(
        actor=personas.superior,
        source=tree.branch_b,
        target=tree.branch_a,
        **{"effective_on": dt.date(2025, 7, 1), **tree_decision(), **overrides},
    )


NO_DECISION = {"decision_number": "", "decided_by": " ", "reason": ""}


@pytest.mark.parametrize(
    "change, date_field",
    [(_create, "active_from"), (_move, "effective_on"), (_merge, "effective_on")],
)
def test_tree_change_without_its_decision_is_refused(tree, personas, members, change, date_field):
    with pytest.raises(DomainError) as excinfo:
        change(tree, personas, **NO_DECISION, **{date_field: None})
    assert {field for field, _ in excinfo.value.problems} == {date_field, *TREE_DECISION}
    assert not OrganizationEvent.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "change, date_field",
    [(_create, "active_from"), (_move, "effective_on"), (_merge, "effective_on")],
)
@pytest.mark.parametrize(
    "day, message",
    [
        (dt.date(1930, 2, 2), "Ngày hiệu lực (02/02/1930) không được trước ngày thành lập Đảng (03/02/1930)."),
        (None, "không được sau ngày hôm nay."),
    ],
)
def test_tree_change_dates_are_bounded(tree, personas, members, change, date_field, day, message):
    day = day or today() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as excinfo:
        change(tree, personas, **{date_field: day})
    assert excinfo.value.field == date_field and message in excinfo.value.message


@pytest.mark.parametrize(
    "change, event, target",
    [
        (_create, "created", lambda tree: Organization.objects.get(code="T-XG-NSL-HS")),
        (_move, "moved", lambda tree: tree.base),
        (_merge, "merged", lambda tree: tree.branch_b),
    ],
)
def test_every_tree_change_is_audited_with_its_decision(tree, personas, members, change, event, target):
    change(tree, personas, decided_by="Ban Thường vụ Tỉnh ủy", reason="Thực hiện Kết luận 127-KL/TW")
    organization = target(tree)
    audit = AuditEvent.objects.get()
    assert audit.action == AuditAction.ORGANIZATION_CHANGE
    assert (audit.target_type, audit.target_id) == ("organizations.organization", str(organization.pk))
    assert audit.details["event"] == event
    assert (audit.details["decision_number"], audit.details["decided_by"], audit.details["reason"]) == (
        "15-QĐ/ĐU",
        "Ban Thường vụ Tỉnh ủy",
        "Thực hiện Kết luận 127-KL/TW",
    )
    recorded = OrganizationEvent.objects.get(organization=organization, action=event)
    assert (recorded.decided_by, recorded.reason) == ("Ban Thường vụ Tỉnh ủy", "Thực hiện Kết luận 127-KL/TW")
    assert audit.details["effective_on"] == recorded.effective_on.isoformat()


def test_a_merge_is_audited_once_and_its_moved_units_keep_their_history(tree, personas, members):
    merge_organizations(
        actor=personas.province,
        source=tree.other_ward,
        target=tree.ward,
        effective_on=dt.date(2025, 7, 1),
        **tree_decision(),
    )
    audit = AuditEvent.objects.get()
    assert (audit.details["event"], audit.details["units_moved"], audit.record_count) == ("merged", 1, 1)
    moved = OrganizationEvent.objects.get(organization=tree.other_branch, action="moved")
    assert (moved.decision_number, moved.decided_by) == ("15-QĐ/ĐU", "Ban Thường vụ Đảng ủy phường Xương Giang")


def test_merge_summary_counts_what_passes_to_the_target(tree, personas, members):
    ResidentialGroup.objects.create(organization=tree.branch_b, name="Tổ dân phố số 3")
    ResidentialGroup.objects.create(organization=tree.branch_b, name="Tổ dân phố số 4")
    plan = plan_merge_organizations(
        actor=personas.superior,
        source=tree.branch_b,
        target=tree.branch_a,
        effective_on=dt.date(2025, 7, 1),
        **tree_decision(),
    )
    assert plan.summary[0] == (
        "1 đảng viên, 0 tổ chức trực thuộc, 2 tổ dân phố / thôn sẽ chuyển sang Chi bộ Giáo viên; "
        "Chi bộ Văn phòng ngừng hoạt động từ 01/07/2025. Không thể hoàn tác."
    )
    assert plan.summary[1] == (
        "Căn cứ: Quyết định số 15-QĐ/ĐU của Ban Thường vụ Đảng ủy phường Xương Giang, hiệu lực từ 01/07/2025."
    )
    ward_plan = plan_merge_organizations(
        actor=personas.province,
        source=tree.other_ward,
        target=tree.ward,
        effective_on=dt.date(2025, 7, 1),
        **tree_decision(),
    )
    assert ward_plan.summary[0].startswith(
        "0 đảng viên, 1 tổ chức trực thuộc (cùng 1 đảng viên sinh hoạt tại đó), 0 tổ dân phố / thôn sẽ chuyển sang "
        "Đảng bộ phường Xương Giang; Đảng bộ phường Đa Mai ngừng hoạt động từ 01/07/2025."
    )
    assert not AuditEvent.objects.exists()
    assert Organization.objects.get(pk=tree.branch_b.pk).is_active


def test_merge_date_before_a_member_joined_the_source_is_refused_before_confirmation(tree, personas, members):
    BranchMembership.objects.filter(member=members.yen).update(started_on=dt.date(2025, 8, 1))
    with pytest.raises(DomainError) as excinfo:
        plan_merge_organizations(
            actor=personas.superior,
            source=tree.branch_b,
            target=tree.branch_a,
            effective_on=dt.date(2025, 7, 1),
            **tree_decision(),
        )
    assert excinfo.value.field == "effective_on"


def test_move_to_the_present_parent_is_refused(tree, personas):
    with pytest.raises(DomainError, match="đã trực thuộc"):
        move_organization(
            actor=personas.province,
            organization=tree.base,
            new_parent=tree.ward,
            effective_on=dt.date(2025, 7, 1),
            **tree_decision(),
        )


# Pages: only valid choices, then a confirmation.


def _detail(client, organization):
    return client.get(reverse("organizations:detail", kwargs={"pk": organization.pk})).content.decode()


def test_merge_without_a_valid_target_is_not_offered(client, personas, tree):
    # The only base committee of the ward: nothing of its kind to merge into.
    client.force_login(personas.superior)
    merge_url = reverse("organizations:merge", kwargs={"pk": tree.base.pk})
    assert merge_url not in _detail(client, tree.base)
    response = client.get(merge_url)
    html = response.content.decode()
    assert "Không có tổ chức cùng loại hình" in html and 'name="target"' not in html
    # A branch has its sibling to merge into: the button is there.
    assert reverse("organizations:merge", kwargs={"pk": tree.branch_b.pk}) in _detail(client, tree.branch_b)


def test_merge_offers_only_active_units_of_its_kind_where_the_user_acts(client, personas, tree):
    closed = Organization.objects.add_child(
        Organization.objects.get(pk=tree.base.pk),
        dict(code="T-XG-NSL-CU", name="Chi bộ Cũ", kind=OrganizationKind.BRANCH, active_to=dt.date(2024, 1, 1)),
    )
    client.force_login(personas.superior)
    response = client.get(reverse("organizations:merge", kwargs={"pk": tree.branch_b.pk}))
    offered = set(response.context["form"].fields["target"].queryset)
    assert offered == {tree.branch_a, tree.base_branch}
    assert closed not in offered and tree.other_branch not in offered


def test_move_offers_only_units_that_may_hold_it(client, personas, tree):
    client.force_login(personas.province)
    response = client.get(reverse("organizations:move", kwargs={"pk": tree.base.pk}))
    # A base committee sits under the province or a ward; not its present ward, not a branch.
    assert set(response.context["form"].fields["target"].queryset) == {tree.province, tree.other_ward}
    client.force_login(personas.superior)
    assert reverse("organizations:move", kwargs={"pk": tree.base.pk}) not in _detail(client, tree.base)


def _merge_payload(tree, **overrides):
    return {
        "target": tree.branch_a.pk,
        "effective_on": "01/07/2025",
        "decision_number": "15-QĐ/ĐU",
        "decided_by": "Ban Thường vụ Đảng ủy phường Xương Giang",
        "reason": "Sắp xếp chi bộ",
        **overrides,
    }


def test_merge_is_written_only_once_confirmed(client, personas, tree, members):
    client.force_login(personas.superior)
    url = reverse("organizations:merge", kwargs={"pk": tree.branch_b.pk})
    response = client.post(url, _merge_payload(tree))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 đảng viên, 0 tổ chức trực thuộc, 0 tổ dân phố / thôn sẽ chuyển sang Chi bộ Giáo viên" in html
    assert 'name="confirm" value="1"' in html
    assert Organization.objects.get(pk=tree.branch_b.pk).is_active
    assert not AuditEvent.objects.exists()
    response = client.post(url, {**_merge_payload(tree), "confirm": "1"})
    assert response.status_code == 302
    assert Organization.objects.get(pk=tree.branch_b.pk).merged_into_id == tree.branch_a.pk
    assert AuditEvent.objects.get().details["event"] == "merged"
    assert "Ban Thường vụ Đảng ủy phường Xương Giang" in _detail(client, tree.branch_b)


@pytest.mark.parametrize("confirm", [{}, {"confirm": "1"}])
def test_merge_form_refuses_a_missing_decision_and_out_of_range_dates(client, personas, tree, members, confirm):
    client.force_login(personas.superior)
    url = reverse("organizations:merge", kwargs={"pk": tree.branch_b.pk})
    payload = _merge_payload(tree, decision_number="", decided_by="", reason="", effective_on="01/01/1929", **confirm)
    errors = client.post(url, payload).context["form"].errors
    assert {"decision_number", "decided_by", "reason"} <= errors.keys()
    assert errors["effective_on"] == ["Ngày hiệu lực (01/01/1929) không được trước ngày thành lập Đảng (03/02/1930)."]
    assert Organization.objects.get(pk=tree.branch_b.pk).is_active


def test_create_child_offers_only_kinds_allowed_under_the_parent_and_confirms(client, personas, tree):
    client.force_login(personas.superior)
    url = reverse("organizations:create_child", kwargs={"pk": tree.base.pk})
    choices = client.get(url).context["form"].fields["kind"].choices
    assert choices == [
        ("", "— Chọn loại hình —"),
        ("sub_committee", "Đảng bộ bộ phận"),
        ("branch", "Chi bộ trực thuộc"),
    ]
    payload = {
        "kind": "branch",
        "code": "T-XG-NSL-HS",
        "name": "Chi bộ Học sinh",
        "active_from": "01/09/2025",
        **tree_decision(),
    }
    html = client.post(url, payload).content.decode()
    assert "Chi bộ Học sinh (Chi bộ trực thuộc, mã T-XG-NSL-HS) sẽ được thành lập trực thuộc" in html
    assert not Organization.objects.filter(code="T-XG-NSL-HS").exists()
    assert client.post(url, {**payload, "confirm": "1"}).status_code == 302
    assert Organization.objects.filter(code="T-XG-NSL-HS").exists()
    # A branch holds no units: no button, and the page says so instead of a form.
    assert reverse("organizations:create_child", kwargs={"pk": tree.branch_a.pk}) not in _detail(client, tree.branch_a)
    html = client.get(reverse("organizations:create_child", kwargs={"pk": tree.branch_a.pk})).content.decode()
    assert "không có tổ chức đảng trực thuộc" in html and 'name="kind"' not in html
