"""A sample roster, as a ward's branches keep theirs in Excel, written by the project's own code.

The import tests read one, and `manage.py make_sample_roster` writes one to try "Nhập từ Excel". The layout is
the branches' own: a title block, then the first columns of members.roster.COLUMNS (up to "Chi bộ"), real Excel
dates, CCCDs as text. The people come from the demo generator (members.demo.member_fields): Vietnamese names,
CCCDs that agree with birth date and gender, party dates that obey members.rules. Nothing here touches the
database: the branch names are given.
"""

import datetime as dt
import random
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from partyorg.lib.text import vietnamese_sort_key

from .choices import Gender
from .demo import member_fields
from .roster import COLUMN_BY_FIELD, COLUMNS, DATE_FORMAT, SHEET_TITLE

# The columns a branch's own sheet has: the roster's columns up to the branch, in that order.
SAMPLE_COLUMNS = COLUMNS[: COLUMNS.index(COLUMN_BY_FIELD["branch"]) + 1]
# Residential groups of the ward, as the addresses write them.
RESIDENTIAL_GROUPS = 20
_WIDTHS = {"row_number": 6, "full_name": 24, "permanent_address": 44, "personal_id": 15, "branch": 32}


def sample_rows(
    *, rows: int, seed: int, branch_names: Sequence[str], place: str, today: dt.date
) -> list[dict[str, object]]:
    """`rows` members of the given branches, as the sheet shows them (labels, not stored codes), sorted by branch
    then by name the Vietnamese way. The same seed and date give the same rows."""
    rng = random.Random(seed)
    weights = [rng.uniform(0.6, 1.4) for _ in branch_names]
    used_ids: set[str] = set()
    people = []
    for _ in range(rows):
        residence = f"tổ dân phố số {rng.randint(1, RESIDENTIAL_GROUPS)}, {place}"
        fields = member_fields(rng, residence=residence, today=today, used_ids=used_ids)
        fields["branch"] = rng.choices(branch_names, weights)[0]
        people.append(fields)
    people.sort(key=lambda p: (branch_names.index(p["branch"]), vietnamese_sort_key(p["full_name"])))
    return [_as_shown(number, person) for number, person in enumerate(people, start=1)]


def _as_shown(number: int, person: dict) -> dict[str, object]:
    shown: dict[str, object] = {}
    for column in SAMPLE_COLUMNS:
        value = number if column.field == "row_number" else person.get(column.field)
        if column.kind == "gender":
            value = Gender(value).label
        elif column.kind == "choice":
            value = next(label for choice, label in column.choices if choice == value)
        elif column.kind == "date" and value is not None:
            value = dt.datetime.combine(value, dt.time())  # an Excel date cell
        shown[column.field] = value
    return shown


def write_sample_roster(
    stream,
    *,
    rows: int = 300,
    seed: int = 1,
    organization_name: str,
    branch_names: Sequence[str],
    place: str,
    today: dt.date,
) -> int:
    """Write the sample workbook to `stream` (a path or a binary file); returns the number of member rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([organization_name.upper()])
    sheet.append(["DANH SÁCH ĐẢNG VIÊN"])
    sheet.append([f"(Tính đến ngày {today:%d/%m/%Y})"])
    sheet.append([])
    sheet.append([column.header for column in SAMPLE_COLUMNS])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in sample_rows(rows=rows, seed=seed, branch_names=branch_names, place=place, today=today):
        sheet.append([row[column.field] for column in SAMPLE_COLUMNS])
        for column, cell in zip(SAMPLE_COLUMNS, sheet[sheet.max_row]):
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "personal_id" or column.field == "card_number":
                cell.number_format = "@"  # as typed into a text cell: the leading zero stays
    for index, column in enumerate(SAMPLE_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = _WIDTHS.get(column.field, 14)
    for index in range(1, 4):
        sheet.cell(row=index, column=1).font = Font(bold=True)
    workbook.save(stream)
    return rows
