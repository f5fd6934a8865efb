"""`manage.py import_roster FILE --org ORG [--dry-run]`: the same checks and report as the page."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from members.models import Member, RosterImport

from .roster_files import roster_file, sheet_row


def write(tmp_path, rows, name="danh-sach.xlsx"):
    path = tmp_path / name
    path.write_bytes(roster_file(rows).getvalue())
    return str(path)


def run(*args):
    from io import StringIO

    out = StringIO()
    try:
        call_command("import_roster", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_dry_run_checks_and_writes_nothing(tmp_path, tree):
    out, error = run(write(tmp_path, [sheet_row(), sheet_row()]), "--org", "T-XG", "--dry-run")
    assert error is None
    assert "Số dòng: 2 · mới: 2" in out
    assert not Member.objects.exists() and not RosterImport.objects.exists()


def test_import_by_exact_organization_name_with_a_user(tmp_path, tree, personas):
    out, error = run(write(tmp_path, [sheet_row()]), "--org", "Đảng bộ Trường THPT Ngô Sĩ Liên", "--user", "coso")
    assert error is None and "Đã nhập: 1 đảng viên mới" in out
    member = Member.objects.get()
    assert member.branch == tree.branch_a
    assert member.history.get().history_user == personas.base


def test_rejected_rows_are_printed_and_the_command_fails(tmp_path, tree, personas):
    rows = [
        sheet_row(),
        sheet_row(**{"Ngày sinh": "31/02/1980"}),
        sheet_row(**{"Ngày vào Đảng": dt.datetime(1990, 1, 1)}),
    ]
    out, error = run(write(tmp_path, rows), "--org", "T-XG", "--user", "phuong")
    assert str(error).startswith("Có 2 lỗi; không ghi dòng nào (lần nhập số ")
    assert "Dòng 3, cột C (Ngày sinh): «31/02/1980» không phải là ngày hợp lệ (ghi theo dd/mm/yyyy)." in out
    assert "Dòng 4, cột I (Ngày vào Đảng): Chưa đủ 18 tuổi" in out
    assert not Member.objects.exists()


def test_dry_run_of_a_bad_sheet_fails_too(tmp_path, tree):
    out, error = run(
        write(tmp_path, [sheet_row(), sheet_row(**{"Chi bộ": "Chi bộ Khác"})]), "--org", "T-XG", "--dry-run"
    )
    assert str(error) == "Có 1 lỗi; khi nhập thật sẽ không ghi dòng nào."
    assert out.splitlines()[1:] == [
        "Số dòng: 2 · mới: 1 · cập nhật: 0 · không đổi: 0 · lỗi: 1",
        "Dòng 3, cột K (Chi bộ): Không có chi bộ «Chi bộ Khác» thuộc Đảng bộ phường Xương Giang.",
    ]
    assert not Member.objects.exists() and not RosterImport.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org", "KHONG-CO"], "Không có tổ chức"),
        (["--org", "T-XG", "--user", "ai-do"], "Không có người dùng"),
    ],
)
def test_unknown_organization_or_user(tmp_path, tree, args, message):
    _, error = run(write(tmp_path, [sheet_row()]), *args)
    assert message in str(error)


def test_a_file_that_is_no_roster(tmp_path, tree, personas):
    path = tmp_path / "ghi-chu.xlsx"
    path.write_text("không phải Excel")
    _, error = run(str(path), "--org", "T-XG", "--user", "phuong")
    assert "Tệp không đọc được" in str(error)


def test_a_real_import_names_its_user(tmp_path, tree):
    _, error = run(write(tmp_path, [sheet_row()]), "--org", "T-XG")
    assert "Ghi --user" in str(error)
    assert not Member.objects.exists()


def test_the_user_must_keep_member_files_of_that_organization(tmp_path, tree, personas):
    """A secretary may not import; base staff may not import into the ward above their base."""
    for username, org in (("bithu_a", "T-XG-NSL"), ("coso", "T-XG")):
        _, error = run(write(tmp_path, [sheet_row()]), "--org", org, "--user", username)
        assert "cấp ủy cơ sở trở lên" in str(error), username
    assert not Member.objects.exists()
