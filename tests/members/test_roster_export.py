"""Roster export: the filtered list as .xlsx, logged, in the import's layout so that a round trip changes nothing."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from members import roster_services
from members.models import Member, RosterImport
from members.roster import COLUMNS
from tests.factories import make_member

from .test_roster_import import import_file


def export(client, **params):
    response = client.get(reverse("members:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response


def sheet_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_export_has_the_import_columns_and_the_filtered_members(client, personas, members):
    client.force_login(personas.superior)
    header, *rows = sheet_rows(export(client, gender="female"))
    assert list(header) == [column.header for column in COLUMNS]
    name, personal_id = header.index("Họ và tên"), header.index("Số CCCD")
    assert [(r[name], r[personal_id]) for r in rows] == [("Lê Thị Yến", members.yen.personal_id)]


def test_export_stays_inside_the_scope(client, personas, members):
    client.force_login(personas.secretary_a)
    header, *rows = sheet_rows(export(client))
    name = header.index("Họ và tên")
    assert sorted(r[name] for r in rows) == ["Nguyễn Văn An", "Trần Đức Đạt"]


def test_every_export_of_personal_data_is_logged(client, personas, members):
    client.force_login(personas.base)
    export(client, q="nguyen")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT_PERSONAL_DATA)
    assert (event.actor, event.record_count) == (personas.base, 1)
    assert event.details["filters"] == {"q": "nguyen"}


def test_member_list_export_link_keeps_the_filters(client, personas, members):
    client.force_login(personas.superior)
    page = client.get(reverse("members:list"), {"gender": "female", "page": "1"}).content.decode()
    assert f"{reverse('members:export')}?gender=female" in page


def test_export_queries_do_not_grow_with_the_members(client, personas, members, tree):
    client.force_login(personas.superior)

    def queries():
        with CaptureQueriesContext(connection) as context:
            export(client)
        return len(context.captured_queries)

    few = queries()
    for i in range(30):
        make_member(tree.branch_b, personas.admin, full_name=f"Đảng viên Số {i}")
    assert queries() == few


def test_export_then_import_changes_nothing(client, personas, members, tree):
    # A member with every exported field filled, so that the round trip covers them all.
    make_member(
        tree.branch_b,
        personas.admin,
        full_name="ĐỖ THỊ HỒNG",
        gender="female",
        other_name="Hồng Nhung",
        home_town="Hiệp Hòa, Bắc Giang",
        permanent_address="Số 5, tổ 3",
        temporary_address="Hà Nội",
        ethnicity="H'Mông",
        religion="Công giáo",
        occupation="Giáo viên",
        general_education="12/12",
        professional_level="Đại học",
        academic_degree="thac_si",
        political_theory="trung_cap",
        foreign_language="Anh B1",
        profile_number="0012345678",
        card_number="012345678901",
    )
    client.force_login(personas.superior)
    response = export(client)
    snapshot = {m.pk: m for m in Member.objects.all()}
    history_count = Member.history.count()
    stream = io.BytesIO(response.content)
    stream.name = "xuat.xlsx"
    roster_import = import_file(personas.superior, tree.ward, stream)
    assert roster_import.report["problems"] == []
    assert roster_import.status == RosterImport.Status.DONE
    assert (roster_import.new_count, roster_import.update_count, roster_import.unchanged_count) == (0, 0, 5)
    assert Member.history.count() == history_count
    fields = [f.attname for f in Member._meta.concrete_fields]
    for member in Member.objects.all():
        before = snapshot[member.pk]
        assert [getattr(member, f) for f in fields] == [getattr(before, f) for f in fields]


def test_export_service_counts_rows(personas, members):
    stream = io.BytesIO()
    count = roster_services.export_roster(actor=personas.admin, members=Member.objects.all(), stream=stream, filters={})
    assert count == 5 and len(sheet_rows_from(stream)) == 6


def sheet_rows_from(stream):
    stream.seek(0)
    return list(load_workbook(stream, read_only=True).active.iter_rows(values_only=True))
