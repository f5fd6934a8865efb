"""Roster sheets built with openpyxl for the import tests: a valid row, overridable cell by cell."""

import datetime as dt
import io
import itertools
import zipfile

from openpyxl import Workbook

from tests.factories import personal_id_for

HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Tôn giáo",
    "Số CCCD",
    "Nghề nghiệp",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Chi bộ",
]
_serial = itertools.count(500_000)


def sheet_row(**cells) -> dict:
    """A row that passes every rule, in the branch «Chi bộ Giáo viên» of the test tree."""
    birth = cells.get("Ngày sinh", dt.datetime(1980, 4, 12))
    gender = {"Nam": "male", "Nữ": "female"}.get(cells.get("Giới tính", "Nam"), "male")
    row = {
        "Họ và tên": "Nguyễn Văn Bình",
        "Ngày sinh": birth,
        "Giới tính": "Nam",
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Số CCCD": personal_id_for(gender, birth if isinstance(birth, dt.date) else dt.date(1980, 1, 1), next(_serial)),
        "Nghề nghiệp": "Giáo viên",
        "Ngày vào Đảng": dt.datetime(2005, 5, 19),
        "Ngày chính thức": dt.datetime(2006, 5, 19),
        "Chi bộ": "Chi bộ Giáo viên",
    }
    row.update(cells)
    return row


def roster_file(rows: list[dict], *, headers: list[str] = HEADERS, title_rows: int = 0, name="danh-sach.xlsx"):
    """An .xlsx in memory: optional title lines, the header row, then the rows (missing cells left empty)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đảng viên"
    for i in range(title_rows):
        sheet.append(["DANH SÁCH ĐẢNG VIÊN" if i == 0 else None])
    sheet.append(headers)
    for number, row in enumerate(rows, start=1):
        sheet.append([number if h == "STT" else row.get(h) for h in headers])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "DD/MM/YYYY"
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    stream.name = name
    return stream


def rebuilt(stream, replace: dict[str, bytes] = None, *, add: dict[str, bytes] = None, compress_type=None, name=None):
    """The .xlsx `stream` with some parts replaced or added: the bombs and oddities of the limit tests."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(stream)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compress_type or zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for part_name, data in add.items():
            target.writestr(part_name, data)
    out.seek(0)
    out.name = name or getattr(stream, "name", "danh-sach.xlsx")
    return out


def part(stream, part_name: str) -> str:
    stream.seek(0)
    text = zipfile.ZipFile(stream).read(part_name).decode()
    stream.seek(0)
    return text
