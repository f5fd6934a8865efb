"""The sample roster the project writes itself (members/sample_roster.py, `manage.py make_sample_roster`):
realistic, reproducible, and taken cleanly by the import into the demo ward."""

import datetime as dt
import io
import random
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from members import roster_services
from members.demo import FAMILY_NAMES, XUONG_GIANG_BRANCHES, build_tree
from members.models import Member, MemberStatus, RosterImport
from members.roster import read_roster
from members.rules import member_rules_in_force
from members.sample_roster import SAMPLE_COLUMNS, sample_rows, write_sample_roster
from members.validation import personal_id_problems
from partyorg.lib.dates import add_months, age_in_full_months

ON = dt.date(2026, 1, 15)  # the day the sample is drawn up: a fixed day keeps the file the same every run
PLACE = "phường Xương Giang, tỉnh Bắc Ninh"


def sample(rows=300, seed=1) -> io.BytesIO:
    stream = io.BytesIO()
    write_sample_roster(
        stream, rows=rows, seed=seed, organization_name="Đảng bộ phường Xương Giang",
        branch_names=XUONG_GIANG_BRANCHES, place=PLACE, today=ON,
    )  # fmt: skip
    stream.seek(0)
    stream.name = "danh-sach-mau.xlsx"
    return stream


def test_sample_imports_cleanly_into_the_demo_ward(db, personas):
    tree = build_tree(actor=None, rng=random.Random(1), base_count=3, branches_per_base=2)
    roster_import = roster_services.start_roster_import(
        actor=personas.admin, organization=tree.xuong_giang, file=sample(), file_name="mau.xlsx", queue=False
    )
    roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.report["problems"] == [] and roster_import.report["unknown_columns"] == []
    roster_services.confirm_roster_import(actor=personas.admin, roster_import=roster_import, queue=False)
    roster_import = roster_services.run_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.status == RosterImport.Status.DONE
    assert (roster_import.row_count, roster_import.new_count) == (300, 300)
    imported = Member.objects.filter(branch__path__startswith=tree.xuong_giang.path)
    assert Counter(imported.values_list("branch__name", flat=True)) == Counter(
        row["branch"] for row in sample_rows(rows=300, seed=1, branch_names=XUONG_GIANG_BRANCHES, place=PLACE, today=ON)
    )
    assert set(imported.values_list("branch__name", flat=True)) == set(XUONG_GIANG_BRANCHES)
    # Each row lands as written: the first one, field by field.
    first = read_roster(sample()).rows[0].values
    member = Member.objects.get(personal_id=first["personal_id"])
    assert (member.full_name, member.birth_date, member.gender) == (
        first["full_name"], first["birth_date"], first["gender"],
    )  # fmt: skip
    assert member.admission_decided_on == first["admission_decided_on"]
    assert member.status == (MemberStatus.OFFICIAL if first["official_on"] else MemberStatus.PROBATIONARY)


def test_sample_is_the_branches_layout_with_excel_dates_and_a_title_block():
    sheet = load_workbook(sample(rows=5)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "ĐẢNG BỘ PHƯỜNG XƯƠNG GIANG" and values[1][0] == "DANH SÁCH ĐẢNG VIÊN"
    assert list(values[4]) == [column.header for column in SAMPLE_COLUMNS]
    assert SAMPLE_COLUMNS[-1].header == "Chi bộ" and len(values) == 5 + 5
    birth_cell = sheet.cell(row=6, column=3)
    assert isinstance(birth_cell.value, dt.datetime) and birth_cell.number_format == "DD/MM/YYYY"
    assert sheet.cell(row=6, column=9).data_type == "s"  # the CCCD keeps its leading zero


def test_sample_people_are_realistic_and_obey_the_registry_rules():
    rows = sample_rows(rows=300, seed=7, branch_names=XUONG_GIANG_BRANCHES, place=PLACE, today=ON)
    family_names = {name for name, _ in FAMILY_NAMES}
    assert len({row["personal_id"] for row in rows}) == 300
    for row in rows:
        birth, decided, official = (
            row[f] and row[f].date() for f in ("birth_date", "admission_decided_on", "official_on")
        )
        gender = "male" if row["gender"] == "Nam" else "female"
        assert personal_id_problems(row["personal_id"], gender=gender, birth_date=birth) == [], row
        assert row["full_name"].split()[0] in family_names and len(row["full_name"].split()) >= 3
        assert age_in_full_months(birth, decided) >= member_rules_in_force(on=decided).minimum_age_months, row
        # Official a year and a few weeks after the decision: the ceremony, then the 12 months of probation.
        if official:
            assert add_months(decided, 12) < official <= add_months(decided, 14), row
        else:  # still on probation: admitted within the last year and a few weeks
            assert decided > add_months(ON, -14), row
        assert max(d for d in (birth, decided, official) if d) <= ON
    assert Counter(row["gender"] for row in rows).keys() == {"Nam", "Nữ"}


def test_same_seed_same_rows_other_seed_other_rows():
    make = lambda seed: sample_rows(rows=50, seed=seed, branch_names=XUONG_GIANG_BRANCHES, place=PLACE, today=ON)  # noqa: E731
    assert make(1) == make(1)
    assert make(1) != make(2)


def test_command_writes_the_sample_for_an_organization_of_the_database(tmp_path, tree):
    path = tmp_path / "mau.xlsx"
    call_command("make_sample_roster", str(path), "--org", "T-XG", "--rows", "40", "--seed", "3", "--on", "15/01/2026")
    sheet = read_roster(path.open("rb"))
    assert len(sheet.rows) == 40 and all(row.problems == [] for row in sheet.rows)
    assert {row.branch_name for row in sheet.rows} <= {tree.branch_a.name, tree.branch_b.name, tree.base_branch.name}
    plan = roster_services.plan_roster(organization=tree.ward, sheet=sheet, on=dt.date(2026, 1, 15))
    assert plan.problems == [] and len(plan.new) == 40
    assert "phường Xương Giang, tỉnh Thử nghiệm" in sheet.rows[0].values["permanent_address"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org", "KHONG-CO"], "Không có tổ chức mã «KHONG-CO»"),
        (["--org", "T-XG", "--on", "31/02/2026"], "Ngày «31/02/2026» không hợp lệ"),
        (["--org", "T-XG", "--rows", "0"], "Số dòng phải lớn hơn 0"),
    ],
)
def test_command_refuses_what_it_cannot_write(tmp_path, tree, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("make_sample_roster", str(tmp_path / "mau.xlsx"), *args)
    assert not (tmp_path / "mau.xlsx").exists()
