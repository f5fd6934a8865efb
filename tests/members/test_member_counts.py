"""The member counts per branch and status: kept by every writer in its transaction, read by the organization
page in a number of queries that does not depend on the number of members, rebuilt by the nightly recount."""

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import tasks
from members.counts import apply_count_deltas, recount_organization_members
from members.demo import generate_members
from members.models import Member, MemberStatus, MemberTransition, OrganizationMemberCount
from members.selectors import status_counts, subunits_with_counts
from members.services import change_member_status, transfer_member
from organizations.services import merge_organizations
from tests.factories import assert_member_counts_fresh, decision, make_member, tree_decision

from .roster_files import roster_file, sheet_row
from .test_roster_import import import_file


def stored(branch) -> dict[str, int]:
    return dict(OrganizationMemberCount.objects.filter(organization=branch, count__gt=0).values_list("status", "count"))


def test_creating_members_counts_them_by_branch_and_status(tree, personas, members):
    make_member(tree.branch_a, personas.admin, full_name="Vũ Thị Hoa", official_on=None)
    assert stored(tree.branch_a) == {MemberStatus.OFFICIAL: 2, MemberStatus.PROBATIONARY: 1}
    assert stored(tree.branch_b) == {MemberStatus.OFFICIAL: 1}
    assert_member_counts_fresh()


@pytest.mark.parametrize(
    "transition, counted_as",
    [(MemberTransition.STRIKE_OFF, MemberStatus.STRUCK_OFF), (MemberTransition.RECORD_DEATH, MemberStatus.DECEASED)],
)
def test_a_status_change_moves_the_member_between_counts(tree, personas, members, transition, counted_as):
    change_member_status(
        actor=personas.base,
        member=members.an,
        transition=transition,
        effective_on=dt.date(2026, 1, 5),
        **decision(),
    )
    assert stored(tree.branch_a) == {MemberStatus.OFFICIAL: 1, counted_as: 1}
    assert_member_counts_fresh()
    change_member_status(
        actor=personas.base,
        member=members.dat,
        transition=MemberTransition.STRIKE_OFF,
        effective_on=dt.date(2026, 1, 5),
        **decision(),
    )
    if counted_as == MemberStatus.STRUCK_OFF:
        change_member_status(
            actor=personas.base,
            member=members.an,
            transition=MemberTransition.REINSTATE,
            effective_on=dt.date(2026, 2, 1),
            **decision(),
        )
    assert_member_counts_fresh()


def test_a_transfer_moves_the_member_between_branches(tree, personas, members):
    transfer_member(actor=personas.base, member=members.an, to_branch=tree.branch_b, effective_on=dt.date(2026, 3, 1))
    assert stored(tree.branch_a) == {MemberStatus.OFFICIAL: 1}
    assert stored(tree.branch_b) == {MemberStatus.OFFICIAL: 2}
    assert_member_counts_fresh()


def test_a_merge_carries_the_counts_to_the_target(tree, personas, members):
    merge_organizations(
        actor=personas.superior,
        source=tree.branch_b,
        target=tree.branch_a,
        effective_on=dt.date(2025, 7, 1),
        **tree_decision(),
    )
    assert stored(tree.branch_b) == {}
    assert stored(tree.branch_a) == {MemberStatus.OFFICIAL: 3}
    assert_member_counts_fresh()


def test_a_roster_import_counts_the_new_members_and_not_the_updated(tree, personas, members):
    an = members.an
    update = sheet_row(
        **{
            "Họ và tên": an.full_name,
            "Ngày sinh": dt.datetime.combine(an.birth_date, dt.time()),
            "Số CCCD": an.personal_id,
            "Nghề nghiệp": "Hưu trí",
            "Ngày vào Đảng": dt.datetime.combine(an.admission_decided_on, dt.time()),
            "Ngày chính thức": dt.datetime.combine(an.official_on, dt.time()),
        }
    )
    new_probationary = sheet_row(**{"Ngày chính thức": None, "Chi bộ": "chi bo van phong"})
    roster_import = import_file(personas.base, tree.base, roster_file([update, sheet_row(), new_probationary]))
    assert (roster_import.new_count, roster_import.update_count) == (2, 1)
    assert stored(tree.branch_b) == {MemberStatus.OFFICIAL: 1, MemberStatus.PROBATIONARY: 1}
    assert_member_counts_fresh()


def test_demo_members_are_counted(tree, personas):
    import random

    generate_members(
        branches=[tree.branch_a, tree.branch_b, tree.other_branch],
        count=40,
        rng=random.Random(1),
        actor=personas.admin,
        today=dt.date(2026, 1, 1),
        batch_size=15,
    )
    assert sum(OrganizationMemberCount.objects.values_list("count", flat=True)) == 40
    assert_member_counts_fresh()


def test_counts_change_only_inside_the_members_transaction(tree):
    # The tests run inside a transaction; outside one a count could commit without its member.
    transaction.get_connection().in_atomic_block, was = False, transaction.get_connection().in_atomic_block
    try:
        with pytest.raises(RuntimeError):
            apply_count_deltas({(tree.branch_a.pk, MemberStatus.OFFICIAL): 1})
    finally:
        transaction.get_connection().in_atomic_block = was


def test_the_recount_corrects_and_logs_a_corrupted_count(tree, personas, members, caplog):
    OrganizationMemberCount.objects.filter(organization=tree.branch_a, status=MemberStatus.OFFICIAL).update(count=7)
    OrganizationMemberCount.objects.filter(organization=tree.branch_b).delete()
    # A member written around the services (the shell, a manual fix) is not counted until the recount.
    Member.objects.filter(pk=members.binh.pk).update(status=MemberStatus.DECEASED)
    with caplog.at_level(logging.WARNING, logger="members.counts"):
        drift = recount_organization_members()
    assert {(d["organization_id"], d["status"], d["stored"], d["actual"]) for d in drift} == {
        (tree.branch_a.pk, MemberStatus.OFFICIAL, 7, 2),
        (tree.branch_b.pk, MemberStatus.OFFICIAL, 0, 1),
        (tree.base_branch.pk, MemberStatus.OFFICIAL, 1, 0),
        (tree.base_branch.pk, MemberStatus.DECEASED, 0, 1),
    }
    assert len([r for r in caplog.records if "drift corrected" in r.getMessage()]) == 4
    assert stored(tree.branch_a) == {MemberStatus.OFFICIAL: 2}
    assert stored(tree.base_branch) == {MemberStatus.DECEASED: 1}
    assert_member_counts_fresh()


def test_the_recount_command_and_nightly_task(tree, personas, members, settings, capsys):
    OrganizationMemberCount.objects.filter(organization=tree.branch_a).update(count=0)
    call_command("recount_members")
    assert "Đã sửa 1 số đếm bị lệch" in capsys.readouterr().out
    call_command("recount_members")
    assert "không có gì phải sửa" in capsys.readouterr().out
    OrganizationMemberCount.objects.filter(organization=tree.branch_b).update(count=5)
    assert tasks.recount_organization_members_task.delay().get() == 1
    [entry] = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.recount_organization_members_task.name
    ]
    assert entry["schedule"].hour == {3}


def test_subtree_counts_come_from_the_count_table(tree, personas, members):
    make_member(tree.branch_b, personas.admin, full_name="Vũ Thị Hoa", official_on=None)
    assert status_counts(tree.ward) == {MemberStatus.OFFICIAL: 4, MemberStatus.PROBATIONARY: 1}
    assert status_counts(tree.branch_b) == {MemberStatus.OFFICIAL: 1, MemberStatus.PROBATIONARY: 1}
    rows = {row["organization"].code: (row["official"], row["probationary"]) for row in subunits_with_counts(tree.ward)}
    assert rows == {"T-XG-NSL": (3, 1), "T-XG-KP1": (1, 0)}
    # Read from the table, not the members: a stale count shows until the recount.
    OrganizationMemberCount.objects.filter(organization=tree.base_branch).update(count=9)
    assert status_counts(tree.ward)[MemberStatus.OFFICIAL] == 12


def panel_queries(client, organization):
    url = reverse("members:organization_panel", kwargs={"pk": organization.pk})
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries.captured_queries, response


def test_the_panel_reads_no_members_whatever_their_number(client, tree, personas):
    client.force_login(personas.superior)
    counts = []
    for total in (5, 50):
        while Member.objects.count() < total:
            make_member(tree.branch_a, personas.admin, full_name=f"Nguyễn Văn Thử {Member.objects.count()}")
        queries, response = panel_queries(client, tree.ward)
        assert response.context["counts"][MemberStatus.OFFICIAL] == total
        by_code = {row["organization"].code: row["official"] for row in response.context["subunits"]}
        assert by_code == {"T-XG-NSL": total, "T-XG-KP1": 0}
        assert not [q["sql"] for q in queries if '"members_member"' in q["sql"]]
        counts.append(len(queries))
    assert counts[0] == counts[1]
