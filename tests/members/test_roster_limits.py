"""Roster uploads are bounded: the request only inspects the zip, the worker streams it through the guard before
openpyxl parses it, and a bomb is refused before it is decompressed (settings ROSTER_MAX_*)."""

import contextlib
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import roster_services
from members.models import RosterImport
from members.roster import RosterFileError, read_roster
from partyorg.lib.spreadsheet import MAX_PARTS

from .roster_files import part, rebuilt, roster_file, sheet_row

SHEET = "xl/worksheets/sheet1.xml"
NAME = "<t>Nguyễn Văn Bình</t>"


@contextlib.contextmanager
def counting_decompression():
    """How many bytes zipfile hands out (to the guard or to openpyxl) inside the block."""
    counts = []
    original = zipfile.ZipExtFile.read

    def read(self, n=-1):
        data = original(self, n)
        counts.append(len(data))
        return data

    with mock.patch.object(zipfile.ZipExtFile, "read", read):
        yield counts


def with_sheet(text: str, rows=None):
    stream = roster_file(rows or [sheet_row(), sheet_row()])
    return rebuilt(stream, {SHEET: text.encode()})


def huge_cell(chars: int):
    """A roster whose first name cell holds `chars` letters: a few kilobytes once compressed."""
    stream = roster_file([sheet_row(), sheet_row()])
    return with_sheet(part(stream, SHEET).replace(NAME, "<t>" + "A" * chars + "</t>", 1))


def upload(client, organization, stream):
    return client.post(
        reverse("members:import"),
        {"organization": organization.pk, "file": SimpleUploadedFile(stream.name, stream.getvalue())},
    )


def form_error(response) -> str:
    assert response.status_code == 200, "the upload was accepted"
    assert not RosterImport.objects.exists()
    return " ".join(response.context["form"].errors["file"])


def checked(personas, tree, stream) -> RosterImport:
    """Upload (the request's part) then run the worker's check."""
    roster_import = roster_services.start_roster_import(
        actor=personas.base, organization=tree.base, file=stream, file_name=stream.name, queue=False
    )
    return roster_services.check_roster_import(roster_import_id=roster_import.pk)


# The request does not parse


def test_the_upload_request_stores_the_file_without_parsing_it(
    client, personas, tree, django_capture_on_commit_callbacks
):
    client.force_login(personas.base)
    stream = roster_file([sheet_row(), sheet_row()])
    parse = mock.Mock(side_effect=AssertionError("openpyxl ran in the request"))
    with mock.patch("members.roster.load_workbook", parse), django_capture_on_commit_callbacks() as queued:
        response = upload(client, tree.base, stream)
    assert response.status_code == 302 and not parse.called
    assert RosterImport.objects.get().status == RosterImport.Status.CHECKING
    for task in queued:  # the worker's turn
        task()
    assert RosterImport.objects.get().status == RosterImport.Status.CHECKED


# Refused in the request, from the zip's directory: nothing is decompressed


def test_a_huge_cell_is_refused_by_its_compression_ratio_without_decompressing_it(client, personas, tree):
    client.force_login(personas.base)
    bomb = huge_cell(20_000_000)
    assert len(bomb.getvalue()) < 100_000  # 20 MB of one letter, kept in a few dozen kilobytes
    with counting_decompression() as counts:
        message = form_error(upload(client, tree.base, bomb))
    assert "Tệp bị nén bất thường (hơn 100 lần)" in message
    assert sum(counts) == 0


def test_the_uncompressed_size_is_capped(client, personas, tree, settings):
    settings.ROSTER_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    client.force_login(personas.base)
    bomb = huge_cell(11 * 1024 * 1024)
    with counting_decompression() as counts:
        message = form_error(upload(client, tree.base, bomb))
    assert "Nội dung tệp khi giải nén lớn quá 10 MB" in message
    assert sum(counts) == 0


def test_parts_compressed_otherwise_than_excel_does_are_refused(client, personas, tree):
    # bzip2 and lzma decompress a whole block at once, past any limit zipfile would enforce.
    client.force_login(personas.base)
    stream = rebuilt(roster_file([sheet_row()]), compress_type=zipfile.ZIP_BZIP2)
    assert "Tệp không đọc được" in form_error(upload(client, tree.base, stream))


def test_a_zip_of_countless_parts_is_refused(client, personas, tree):
    client.force_login(personas.base)
    stream = rebuilt(roster_file([sheet_row()]), add={f"x/{i}.xml": b"<a/>" for i in range(MAX_PARTS)})
    assert "thành phần" in form_error(upload(client, tree.base, stream))


# Refused in the request, from the size a sheet declares (openpyxl would pad every row to it)


def test_the_rows_a_sheet_declares_are_capped(client, personas, tree, settings):
    settings.ROSTER_MAX_ROWS = 20
    client.force_login(personas.base)
    # 20 members under 10 lines of title and header: accepted.
    assert upload(client, tree.base, roster_file([sheet_row() for _ in range(20)], title_rows=9)).status_code == 302
    RosterImport.objects.all().delete()
    message = form_error(upload(client, tree.base, roster_file([sheet_row() for _ in range(21)], title_rows=9)))
    assert "Trang tính có hơn 20 dòng: mỗi lần nhập tối đa 20 dòng" in message


@pytest.mark.parametrize(
    "dimension, message",
    [
        ("A1:K1048576", "Trang tính có hơn 20.000 dòng"),
        ("A1:XFD3", "Trang tính có dữ liệu hoặc định dạng quá cột thứ 100"),
    ],
)
def test_a_declared_giant_sheet_is_refused_reading_only_its_head(client, personas, tree, dimension, message):
    client.force_login(personas.base)
    stream = roster_file([sheet_row() for _ in range(200)])  # a sheet part larger than the head read
    sheet = part(stream, SHEET)
    stream = rebuilt(
        stream, {SHEET: sheet.replace('<dimension ref="A1:K201"', f'<dimension ref="{dimension}"').encode()}
    )
    with counting_decompression() as counts:
        assert message in form_error(upload(client, tree.base, stream))
    assert sum(counts) < len(sheet.encode()) // 2


# Refused by the worker's streaming pass: what only the whole file shows


def test_a_long_cell_is_refused_after_decompressing_a_chunk_not_the_cell(personas, tree, settings):
    settings.ROSTER_MAX_COMPRESSION_RATIO = 100_000  # let the bomb past the directory check
    with counting_decompression() as counts:
        roster_import = checked(personas, tree, huge_cell(20_000_000))
    assert roster_import.status == RosterImport.Status.REJECTED
    assert roster_import.report["file_error"] == (
        "Có ô dài hơn 1.000 ký tự (dòng 2): một ô của danh sách không cần dài như vậy."
    )
    assert sum(counts) < 1_000_000


def test_a_long_shared_string_is_refused_too(personas, tree):
    sst = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>{}</t></r><r><t>{}</t></r></si></sst>'
    # Two runs of 600 characters: one cell of 1,200 once joined.
    stream = rebuilt(
        roster_file([sheet_row()]), add={"xl/sharedStrings.xml": sst.format("A" * 600, "B" * 600).encode()}
    )
    with pytest.raises(RosterFileError, match="Có ô dài hơn 1.000 ký tự"):
        read_roster(stream)


def test_a_cell_of_exactly_the_limit_is_read(settings):
    row = sheet_row(**{"Họ và tên": "Nguyễn Thị Minh Khai"})  # 20 characters, the longest cell of the row
    settings.ROSTER_MAX_CELL_CHARS = 20
    assert read_roster(roster_file([row])).rows
    settings.ROSTER_MAX_CELL_CHARS = 19
    with pytest.raises(RosterFileError, match="Có ô dài hơn 19 ký tự"):
        read_roster(roster_file([row]))


def test_rows_beyond_a_lying_dimension_are_counted(personas, tree, settings):
    settings.ROSTER_MAX_ROWS = 20
    stream = roster_file([sheet_row() for _ in range(31)])  # 31 members and the header: 32 > 20 + 10 lines
    stream = rebuilt(stream, {SHEET: part(stream, SHEET).replace('ref="A1:K32"', 'ref="A1:K3"').encode()})
    roster_import = checked(personas, tree, stream)  # the request's inspection believed the dimension
    assert roster_import.status == RosterImport.Status.REJECTED
    assert "Trang tính có hơn 20 dòng" in roster_import.report["file_error"]


@pytest.mark.parametrize(
    "row, message",
    [
        # openpyxl would yield a million empty rows to reach it, each as wide as the sheet.
        ('<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>', "Trang tính có hơn 20.000 dòng"),
        ('<row r="4"><c r="XFD4" t="n"><v>1</v></c></row>', "quá cột thứ 100"),
    ],
)
def test_a_far_away_cell_is_refused(row, message):
    stream = roster_file([sheet_row(), sheet_row()])
    stream = rebuilt(stream, {SHEET: part(stream, SHEET).replace("</sheetData>", row + "</sheetData>").encode()})
    with pytest.raises(RosterFileError, match=message):
        read_roster(stream)


def test_xml_entities_are_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>'
    )
    stream = rebuilt(roster_file([sheet_row()]), add={"xl/sharedStrings.xml": laughs.encode()})
    with pytest.raises(RosterFileError, match="Tệp không đọc được"):
        read_roster(stream)


def test_the_sample_sized_roster_passes_the_default_limits():
    roster = read_roster(roster_file([sheet_row() for _ in range(100)]))
    assert len(roster.rows) == 100


# The report keeps the first problems, not megabytes of them


def test_the_report_keeps_the_first_problems_and_counts_them_all(client, personas, tree, monkeypatch):
    monkeypatch.setattr(roster_services, "REPORT_PROBLEMS_KEPT", 2)
    rows = [sheet_row(**{"Giới tính": "X" * 200}) for _ in range(3)]
    roster_import = checked(personas, tree, roster_file(rows))
    assert roster_import.problem_count == 3 and len(roster_import.report["problems"]) == 2
    client.force_login(personas.base)
    page = client.get(reverse("members:import_detail", args=[roster_import.pk])).content.decode()
    assert "Danh sách có 3 lỗi" in page and "Các lỗi cần sửa (2 lỗi đầu)" in page
