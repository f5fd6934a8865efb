"""The roster sheet (danh sách đảng viên): one list of columns for import and export, and .xlsx I/O.

Nothing here touches the database: it turns a workbook into rows of member fields (with the
problems of each cell) and members into a workbook. The rules of a member record live in
members/validation.py; matching rows to members and branches lives in members/roster_services.py.
"""

import datetime as dt
import functools
import itertools
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from partyorg.lib.dates import parse_vietnamese_date
from partyorg.lib.errors import DomainError
from partyorg.lib.spreadsheet import (
    UNREADABLE,
    SpreadsheetRefused,
    XlsxLimits,
    cell_text,
    inspect_xlsx,
    safe_cell,
    scan_xlsx,
)
from partyorg.lib.text import fold, normalize_text

from .choices import ETHNICITY_CHOICES, RELIGION_CHOICES, AcademicDegree, Gender, PoliticalTheory
from .models import Member

SHEET_TITLE = "Danh sách đảng viên"
DATE_FORMAT = "DD/MM/YYYY"
# A title block ("DANH SÁCH ĐẢNG VIÊN …") often sits above the header row: look this far down for it.
HEADER_SEARCH_ROWS = 10


class RosterFileError(DomainError):
    """The file cannot be read as a roster at all (not .xlsx, no header row, no rows)."""


def header_key(text) -> str:
    """'  Họ và TÊN ' and 'ho va ten' give the same key: case, spaces, diacritics and punctuation ignored."""
    return re.sub(r"[^a-z0-9]+", " ", fold(str(text))).strip()


def _choice_key(text) -> str:
    # "H'Mông", "H Mông" and "Hmông" are one ethnic group.
    return re.sub(r"[^a-z0-9]+", "", fold(str(text)))


@dataclass(frozen=True)
class Column:
    """One column of the sheet: the member field it fills, the header export writes, headers import accepts."""

    field: str
    header: str
    variants: tuple[str, ...] = ()
    kind: str = "text"  # text, date, personal_id, gender, choice
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for kind "choice"
    # Read back by the import? The row number and the status are for the reader: recognised and left alone
    # (a status changes only through members.services, with its decision).
    imported: bool = True
    width: int = 14  # characters, in the exported sheet

    @property
    def keys(self) -> set[str]:
        return {header_key(h) for h in (self.header, *self.variants)}


def _labels(choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in choices)


# The order of a roster as branches keep it in Excel (members/sample_roster.py writes one), then the fields it lacks.
COLUMNS: list[Column] = [
    Column("row_number", "STT", ("TT", "Số thứ tự", "Số TT"), imported=False, width=6),
    Column(
        "full_name",
        "Họ và tên",
        ("Họ tên", "Họ và tên đang dùng", "Họ và tên khai sinh", "Tên đảng viên"),
        width=26,
    ),
    Column("birth_date", "Ngày sinh", ("Ngày tháng năm sinh", "Sinh ngày", "Ngày, tháng, năm sinh"), kind="date"),
    Column("gender", "Giới tính", ("Nam/Nữ", "Nam, nữ", "Phái"), kind="gender"),
    Column("ethnicity", "Dân tộc", (), kind="choice", choices=_labels(ETHNICITY_CHOICES)),
    Column("religion", "Tôn giáo", (), kind="choice", choices=_labels(RELIGION_CHOICES)),
    Column("home_town", "Quê quán", ("Nguyên quán",), width=24),
    Column("permanent_address", "Nơi thường trú", ("Địa chỉ thường trú", "Thường trú", "Nơi ở hiện nay"), width=30),
    Column(
        "personal_id",
        "Số CCCD",
        (
            "CCCD",
            "Số định danh",
            "Số định danh cá nhân",
            "Căn cước công dân",
            "Số căn cước",
            "Số căn cước công dân",
            "CCCD/Số định danh",
            "Số CMND/CCCD",
        ),
        kind="personal_id",
        width=15,
    ),
    Column("occupation", "Nghề nghiệp", ("Nghề nghiệp hiện nay", "Nghề nghiệp, chức vụ"), width=20),
    Column("general_education", "Trình độ giáo dục phổ thông", ("Giáo dục phổ thông", "Trình độ văn hóa", "Văn hóa")),
    Column("professional_level", "Trình độ chuyên môn", ("Chuyên môn", "Chuyên môn nghiệp vụ", "Trình độ CMNV")),
    Column(
        "political_theory",
        "Lý luận chính trị",
        ("Trình độ lý luận chính trị", "LLCT", "Trình độ LLCT"),
        kind="choice",
        choices=_labels(PoliticalTheory.choices) + (("", "Không"), ("", "Chưa")),
    ),
    Column(
        "admission_decided_on",
        "Ngày vào Đảng",
        ("Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày quyết định kết nạp", "Ngày vào Đảng (kết nạp)"),
        kind="date",
    ),
    Column("official_on", "Ngày chính thức", ("Ngày công nhận chính thức", "Ngày chính thức vào Đảng"), kind="date"),
    Column("card_number", "Số thẻ đảng viên", ("Số thẻ", "Số thẻ Đảng", "Số thẻ ĐV"), width=16),
    Column("branch", "Chi bộ", ("Tên chi bộ", "Chi bộ sinh hoạt", "Chi bộ đang sinh hoạt"), width=28),
    Column("ceremony_held_on", "Ngày lễ kết nạp", ("Ngày tổ chức lễ kết nạp",), kind="date"),
    Column("other_name", "Tên gọi khác", ("Bí danh",)),
    Column("temporary_address", "Nơi tạm trú", ("Địa chỉ tạm trú", "Tạm trú"), width=30),
    Column(
        "academic_degree",
        "Học vị, học hàm",
        ("Học vị", "Học hàm, học vị"),
        kind="choice",
        choices=_labels(AcademicDegree.choices),
    ),
    Column("foreign_language", "Ngoại ngữ", ("Trình độ ngoại ngữ",)),
    Column("profile_number", "Số lý lịch", ("Số LL",)),
    Column("card_issued_on", "Ngày cấp thẻ", ("Ngày cấp thẻ đảng viên",), kind="date"),
    # The code makes a re-imported export unambiguous where two branches share a name (Chi bộ Khu phố 1…).
    Column("branch_code", "Mã chi bộ", ("Mã tổ chức",)),
    Column("status", "Tình trạng", ("Tình trạng đảng viên",), imported=False, width=20),
]
COLUMN_BY_KEY: dict[str, Column] = {key: column for column in COLUMNS for key in column.keys}
assert len(COLUMN_BY_KEY) == sum(len(c.keys) for c in COLUMNS), "two columns accept the same header"
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
# Without these a row cannot even be matched to a member.
KEY_FIELDS = ("full_name", "personal_id")
# Fields the model cannot leave blank: an empty cell means "not given" (the default, or the current value).
NOT_BLANK_CHOICE_FIELDS = ("ethnicity", "religion")
MEMBER_FIELDS = [c.field for c in COLUMNS if c.imported and c.field not in ("branch", "branch_code")]


_MAX_LENGTH = {f: Member._meta.get_field(f).max_length for f in MEMBER_FIELDS}


@dataclass
class SheetRow:
    number: int  # as Excel shows it
    values: dict  # field → parsed value (None: empty cell)
    branch_name: str = ""
    branch_code: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message)


@dataclass
class Sheet:
    columns: dict[str, tuple[str, str]]  # field → (letter, header as written)
    unknown_columns: list[tuple[str, str]]  # (letter, header)
    rows: list[SheetRow]

    # The parsed sheet is kept beside the upload, so that confirming an import does not read the file again.
    def to_json(self) -> str:
        return json.dumps(
            {
                "columns": self.columns,
                "unknown_columns": self.unknown_columns,
                "rows": [[r.number, r.values, r.branch_name, r.branch_code, r.problems] for r in self.rows],
            },
            default=_encode_date,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> "Sheet":
        data = json.loads(text, object_hook=_decode_date)
        return cls(
            columns={name: tuple(cell) for name, cell in data["columns"].items()},
            unknown_columns=[tuple(cell) for cell in data["unknown_columns"]],
            rows=[
                SheetRow(number, values, branch_name, branch_code, [tuple(p) for p in problems])
                for number, values, branch_name, branch_code, problems in data["rows"]
            ],
        )

    def column_label(self, field_name: str) -> str:
        """'C (Ngày sinh)' for a column of the file, else the header the file lacks."""
        if field_name in self.columns:
            letter, header = self.columns[field_name]
            return f"{letter} ({header})"
        column = COLUMN_BY_FIELD.get(field_name)
        return column.header if column else field_name


def _encode_date(value):
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _decode_date(obj: dict):
    return dt.date.fromisoformat(obj["$date"]) if obj.keys() == {"$date"} else obj


# Cell parsing: each returns the value or raises ValueError with the Vietnamese reason.


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return normalize_text(str(value))


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its format shows Excel's serial number (days since 1899-12-30).
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise ValueError(f"«{value}» không phải là ngày.")
    if isinstance(value, dt.date):  # a real date cell (openpyxl gives datetime)
        return parse_vietnamese_date(value)
    text = normalize_text(str(value))
    if text == "":
        return None
    try:
        return parse_vietnamese_date(text)
    except ValueError:
        # 31/02/2020 lands here too: strptime refuses days the month does not have.
        raise ValueError(f"«{text}» không phải là ngày hợp lệ (ghi theo dd/mm/yyyy).") from None


def _personal_id(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s.]", "", _text(value))
    # Every province code starts with 0 (Thông tư 59/2021/TT-BCA), so a CCCD typed into a number cell
    # has lost exactly that zero: put it back.
    if isinstance(value, int) and len(text) == 11:
        text = "0" + text
    return text


_gender_key = functools.lru_cache(maxsize=64)(_choice_key)
_GENDERS = {"nam": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "nu": Gender.FEMALE, "f": Gender.FEMALE}


def _gender(value) -> str | None:
    text = _text(value)
    if not text:
        return None
    try:
        return _GENDERS[_gender_key(text)]
    except KeyError:
        raise ValueError(f"Giới tính «{text}» không hợp lệ (ghi Nam hoặc Nữ).") from None


@functools.cache
def _choice_index(column: Column) -> dict[str, str]:
    index = {}
    for choice_value, label in column.choices:
        index.setdefault(_choice_key(label), choice_value)
        if choice_value:
            index.setdefault(_choice_key(choice_value), choice_value)
    return index


@functools.lru_cache(maxsize=4096)
def _choice_of(column: Column, text: str) -> str | None:
    # A roster repeats a handful of values (Kinh, Không, Sơ cấp…) thousands of times: fold each once.
    return _choice_index(column).get(_choice_key(text))


def _choice(column: Column, value) -> str | None:
    text = _text(value)
    if not text:
        return None if column.field in NOT_BLANK_CHOICE_FIELDS else ""
    found = _choice_of(column, text)
    if found is None:
        raise ValueError(f"{column.header} «{text}» không có trong danh mục.")
    return found


def parse_cell(column: Column, value):
    if column.kind == "date":
        return _date(value)
    if column.kind == "personal_id":
        return _personal_id(value)
    if column.kind == "gender":
        return _gender(value)
    if column.kind == "choice":
        return _choice(column, value)
    text = _text(value)
    max_length = _MAX_LENGTH.get(column.field)
    if max_length and len(text) > max_length:
        raise ValueError(f"{column.header} dài quá {max_length} ký tự.")
    return text


def _find_header(rows: list[tuple]) -> int | None:
    """Index of the row naming the most known columns, provided it names the key ones."""
    best, best_score = None, 0
    for index, row in enumerate(rows):
        fields = {COLUMN_BY_KEY[k].field for k in (header_key(v) for v in row if v is not None) if k in COLUMN_BY_KEY}
        if set(KEY_FIELDS) <= fields and len(fields) > best_score:
            best, best_score = index, len(fields)
    return best


def roster_limits() -> XlsxLimits:
    """What a roster upload may hold (settings ROSTER_MAX_*): a roster is far smaller, a zip bomb far larger."""
    return XlsxLimits(
        max_uncompressed_bytes=settings.ROSTER_MAX_UNCOMPRESSED_BYTES,
        max_compression_ratio=settings.ROSTER_MAX_COMPRESSION_RATIO,
        max_rows=settings.ROSTER_MAX_ROWS,
        max_columns=settings.ROSTER_MAX_COLUMNS,
        max_cell_chars=settings.ROSTER_MAX_CELL_CHARS,
        title_rows=HEADER_SEARCH_ROWS,
    )


def _open(file):
    try:
        scan_xlsx(file, roster_limits())
    except SpreadsheetRefused as error:
        raise RosterFileError(error.message) from error
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise RosterFileError(UNREADABLE) from error


_NO_HEADER = "Không tìm thấy dòng tiêu đề có cột «Họ và tên» và «Số CCCD» trong 10 dòng đầu của trang tính nào."


def check_roster_file(file) -> None:
    """Fail fast on an upload that is no .xlsx or crosses a limit (settings ROSTER_MAX_*), without parsing it:
    reads the zip's directory and the first kilobytes of each part. The worker parses (read_roster)."""
    try:
        inspect_xlsx(file, roster_limits())
    except SpreadsheetRefused as error:
        raise RosterFileError(error.message) from error


def read_roster(file, *, progress: Callable[[int, int], None] | None = None, progress_every: int = 500) -> Sheet:
    """Parse an uploaded roster. Raises RosterFileError when the file is not a readable roster or crosses a
    limit: the whole file is streamed through the guard (scan_xlsx) before openpyxl opens it.

    `progress(rows_read, rows_expected)` is called every `progress_every` rows.
    """
    workbook = _open(file)
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), rows)]
            header_index = _find_header(head)
            if header_index is None:
                continue
            expected = max((worksheet.max_row or 0) - header_index - 1, 0)
            report = functools.partial(_report_progress, progress, expected) if progress else None
            return _read_rows(head, header_index, rows, progress=report, progress_every=progress_every)
    finally:
        workbook.close()
    raise RosterFileError(_NO_HEADER)


def _report_progress(progress, expected: int, done: int) -> None:
    progress(done, max(expected, done))


def _read_rows(head: list[tuple], header_index: int, rest: Iterator[tuple], *, progress, progress_every) -> Sheet:
    header = head[header_index]
    columns: dict[str, tuple[str, str]] = {}
    index_to_column: list[tuple[int, Column]] = []
    unknown, repeated = [], []
    for i, text in enumerate(header):
        if text is None or normalize_text(str(text)) == "":
            continue
        letter, shown = get_column_letter(i + 1), normalize_text(str(text))
        column = COLUMN_BY_KEY.get(header_key(text))
        if column is None:
            unknown.append((letter, shown))
        elif column.field in columns:
            repeated.append((letter, shown))
        else:
            columns[column.field] = (letter, shown)
            index_to_column.append((i, column))
    if repeated:
        raise RosterFileError("Cột bị lặp lại: " + "; ".join(f"{letter} ({shown})" for letter, shown in repeated) + ".")
    first_number = header_index + 2  # Excel numbers rows from 1, and the data starts below the header
    data_rows: list[SheetRow] = []
    all_rows = [*head[header_index + 1 :]]
    number = first_number - 1
    for raw in itertools.chain(all_rows, rest):
        number += 1
        if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in raw):
            continue  # blank lines between groups, or formatted but empty rows at the end
        data_rows.append(_parse_row(number, raw, index_to_column))
        if progress and len(data_rows) % progress_every == 0:
            progress(len(data_rows))
    if not data_rows:
        raise RosterFileError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    return Sheet(columns=columns, unknown_columns=unknown, rows=data_rows)


def _parse_row(number: int, raw: tuple, index_to_column: list[tuple[int, Column]]) -> SheetRow:
    row = SheetRow(number=number, values={})
    for i, column in index_to_column:
        if not column.imported:
            continue
        value = cell_text(raw[i]) if i < len(raw) else None  # '=… as written by write_roster reads =…
        try:
            parsed = parse_cell(column, value)
        except ValueError as error:
            row.problems.append((column.field, str(error)))
            row.values[column.field] = None
            continue
        if column.field == "branch":
            row.branch_name = parsed
        elif column.field == "branch_code":
            row.branch_code = parsed
        else:
            row.values[column.field] = parsed
    return row


# Export: the same columns, the values as import reads them back.


def _export_value(column: Column, member: Member):
    if column.field == "status":
        return member.get_status_display()
    if column.field == "branch":
        return member.branch.name
    if column.field == "branch_code":
        return member.branch.code
    value = getattr(member, column.field)
    if column.kind == "gender":
        return member.get_gender_display()
    if column.kind == "choice":
        return getattr(member, f"get_{column.field}_display")()
    return value


def write_roster(members: Iterable[Member], stream) -> int:
    """Write members as a roster that read_roster takes back unchanged; returns the row count.

    For the reader: columns as wide as their usual content, the header row frozen and filterable."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    # A write-only sheet takes its column widths before the first row.
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C2"  # the header, the row number and the name stay in view
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = safe_cell(sheet, column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for count, member in enumerate(members, start=1):
        cells = []
        for column in COLUMNS:
            value = count if column.field == "row_number" else _export_value(column, member)
            cell = safe_cell(sheet, value)  # member texts are never formulas
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str):
                cell.number_format = "@"  # keeps the leading zero of a CCCD when the sheet is edited
            cells.append(cell)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    workbook.save(stream)
    return count
