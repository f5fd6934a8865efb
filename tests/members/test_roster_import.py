"""Roster import: headers, cell parsing, the registry's rules row by row, all-or-none writes, history, pages."""

import datetime as dt
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from members import roster_services
from members.models import Member, MemberStatus, RosterImport
from members.roster import RosterFileError, read_roster
from organizations.models import Organization
from partyorg.lib.dates import today
from tests.factories import make_member, personal_id_for

from .roster_files import HEADERS, roster_file, sheet_row


def plan_for(organization, rows, **kwargs):
    return roster_services.plan_roster(organization=organization, sheet=read_roster(roster_file(rows, **kwargs)))


def import_file(actor, organization, stream):
    """Upload, check and confirm as the pages do (tasks run eagerly), returning the finished import."""
    roster_import = roster_services.start_roster_import(
        actor=actor, organization=organization, file=stream, file_name=stream.name, queue=False
    )
    roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    if roster_import.can_confirm:
        roster_services.confirm_roster_import(actor=actor, roster_import=roster_import, queue=False)
        roster_import = roster_services.run_roster_import(roster_import_id=roster_import.pk)
    return roster_import


def messages_of(plan) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["message"]) for p in plan.problems]


# Headers


def test_headers_match_whatever_the_case_spaces_diacritics_and_variants(tree):
    headers = ["tt", "  HỌ   TÊN ", "ngay sinh", "Giới Tính", "Dân tộc", "Tôn giáo", "Số định danh", "Ghi chú"]
    headers += ["NGÀY KẾT NẠP", "Ngày chính thức", "chi bo"]
    rows = [sheet_row()]
    renamed = [{new: row[old] for old, new in zip(HEADERS, headers) if old in row} for row in rows]
    plan = plan_for(tree.ward, renamed, headers=headers)
    assert plan.problems == []
    assert len(plan.new) == 1
    assert plan.report()["unknown_columns"] == ["H (Ghi chú)"]


@pytest.mark.parametrize("header", ["Số CCCD", "CCCD", "Số định danh", "Số định danh cá nhân"])
def test_personal_id_header_variants(tree, header):
    row = sheet_row()
    row[header] = row.pop("Số CCCD")
    plan = plan_for(tree.ward, [row], headers=[header if h == "Số CCCD" else h for h in HEADERS])
    assert plan.problems == [] and plan.new[0].personal_id == row[header]


def test_title_lines_above_the_header_shift_the_row_numbers(tree):
    plan = plan_for(tree.ward, [sheet_row(), sheet_row(**{"Họ và tên": ""})], title_rows=3)
    # 3 title lines, the header on line 4, data on 5 and 6: the report uses Excel's numbers.
    assert messages_of(plan) == [(6, "B (Họ và tên)", "Chưa nhập họ và tên.")]


@pytest.mark.parametrize(
    "content, name",
    [
        (b"STT;Ho va ten\n1;An\n", "danh-sach.xlsx"),  # a CSV renamed
        (b"", "rong.xlsx"),
    ],
)
def test_a_file_that_is_no_xlsx_is_a_file_error(content, name):
    with pytest.raises(RosterFileError, match="Tệp không đọc được"):
        read_roster(SimpleUploadedFile(name, content))


def test_a_sheet_without_the_key_headers_is_a_file_error():
    with pytest.raises(RosterFileError, match="Không tìm thấy dòng tiêu đề"):
        read_roster(roster_file([{"Ngày sinh": dt.datetime(1980, 1, 1)}], headers=["Ngày sinh", "Chi bộ"]))


def test_a_sheet_with_only_headers_is_a_file_error():
    with pytest.raises(RosterFileError, match="không có dòng dữ liệu"):
        read_roster(roster_file([]))


# Cells


def test_text_dates_and_excel_serial_dates_are_read(tree):
    plan = plan_for(
        tree.ward,
        [sheet_row(**{"Ngày sinh": "12/04/1980", "Ngày vào Đảng": "19/05/2005", "Ngày chính thức": 38856})],
    )
    assert plan.problems == []
    member = plan.new[0]
    assert (member.birth_date, member.admission_decided_on, member.official_on) == (
        dt.date(1980, 4, 12),
        dt.date(2005, 5, 19),
        dt.date(2006, 5, 19),
    )


def test_a_personal_id_typed_as_a_number_gets_its_leading_zero_back(tree):
    row = sheet_row()
    personal_id = row["Số CCCD"]
    row["Số CCCD"] = int(personal_id)
    plan = plan_for(tree.ward, [row])
    assert plan.problems == [] and plan.new[0].personal_id == personal_id


def test_text_is_trimmed_and_names_in_capitals_kept_as_written(tree):
    plan = plan_for(tree.ward, [sheet_row(**{"Họ và tên": "  NGUYỄN   VĂN  BÌNH ", "Nghề nghiệp": " Giáo  viên "})])
    assert (plan.new[0].full_name, plan.new[0].occupation) == ("NGUYỄN VĂN BÌNH", "Giáo viên")


def test_a_file_in_decomposed_unicode_is_stored_in_nfc_and_matches_branches(tree, personas):
    def nfd(value):
        return unicodedata.normalize("NFD", value) if isinstance(value, str) else value

    rows = [
        sheet_row(**{"Họ và tên": "Trần Thị Ánh", "Giới tính": "Nữ", "Chi bộ": "Chi bộ Văn phòng"}),
        sheet_row(**{"Họ và tên": "Lê Đức Ước", "Dân tộc": "Tày", "Tôn giáo": "Phật giáo"}),
    ]
    # Every text of the file decomposed: headers, names, choices, branch names.
    stream = roster_file([{nfd(k): nfd(v) for k, v in row.items()} for row in rows], headers=[nfd(h) for h in HEADERS])
    assert nfd("Ánh") != "Ánh"
    roster_import = import_file(personas.base, tree.base, stream)
    assert roster_import.status == RosterImport.Status.DONE, roster_import.report
    anh = Member.objects.get(personal_id=rows[0]["Số CCCD"])
    assert (anh.full_name, anh.branch, anh.gender) == ("Trần Thị Ánh", tree.branch_b, "female")
    assert anh.full_name == unicodedata.normalize("NFC", anh.full_name)
    uoc = Member.objects.get(search_name="le duc uoc")
    assert (uoc.full_name, uoc.ethnicity, uoc.religion) == ("Lê Đức Ước", "Tày", "Phật giáo")


# The registry's rules, row by row


def _id(gender, birth, serial=1, province="024"):
    return personal_id_for(gender, birth, serial, province)


future = today() + dt.timedelta(days=3)
RULES = [
    ("cccd_format", {"Số CCCD": "02408012345"}, "G (Số CCCD)", "Số CCCD phải gồm đúng 12 chữ số."),
    ("cccd_missing", {"Số CCCD": None}, "G (Số CCCD)", "Chưa nhập số CCCD."),
    ("cccd_province", {"Số CCCD": "999080123456"}, "G (Số CCCD)", "Mã tỉnh «999»"),
    ("cccd_gender_digit", {"Số CCCD": _id("female", dt.date(1980, 4, 12))}, "G (Số CCCD)", "Chữ số thứ 4"),
    ("cccd_birth_year", {"Số CCCD": _id("male", dt.date(1981, 4, 12))}, "G (Số CCCD)", "Chữ số thứ 5–6"),
    ("impossible_date", {"Ngày vào Đảng": "31/02/2005"}, "I (Ngày vào Đảng)", "«31/02/2005» không phải là ngày"),
    (
        "under_18",
        {"Ngày vào Đảng": dt.datetime(1998, 4, 11), "Ngày chính thức": None},
        "I (Ngày vào Đảng)",
        "Chưa đủ 18 tuổi",
    ),
    (
        "official_before_admission",
        {"Ngày chính thức": dt.datetime(2005, 5, 18)},
        "J (Ngày chính thức)",
        "Ngày chính thức không được trước ngày kết nạp.",
    ),
    ("future_date", {"Ngày chính thức": future.strftime("%d/%m/%Y")}, "J (Ngày chính thức)", "không được sau ngày"),
    ("missing_name", {"Họ và tên": "   "}, "B (Họ và tên)", "Chưa nhập họ và tên."),
    ("missing_birth_date", {"Ngày sinh": None}, "C (Ngày sinh)", "Chưa nhập ngày sinh."),
    ("bad_gender", {"Giới tính": "Khác"}, "D (Giới tính)", "Giới tính «Khác» không hợp lệ"),
    ("unknown_ethnicity", {"Dân tộc": "Kinhh"}, "E (Dân tộc)", "không có trong danh mục"),
    ("branch_not_found", {"Chi bộ": "Chi bộ Khu phố 9"}, "K (Chi bộ)", "Không có chi bộ «Chi bộ Khu phố 9»"),
    ("branch_outside_org", {"Chi bộ": "Chi bộ Khu phố 5"}, "K (Chi bộ)", "Không có chi bộ «Chi bộ Khu phố 5»"),
]


@pytest.mark.parametrize("cells, column, message", [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_each_rule_of_the_registry_is_reported_by_row_and_column(tree, cells, column, message):
    plan = plan_for(tree.ward, [sheet_row(), sheet_row(**cells)])
    problems = messages_of(plan)
    assert problems, "the rule was not applied"
    assert all(row == 3 for row, _, _ in problems)
    assert any(col == column and message in text for _, col, text in problems), problems
    assert [m._roster_row for m in plan.new] == [2]  # the good row is planned, the bad one is not


def test_an_impossible_date_is_reported_once_not_also_as_missing(tree):
    plan = plan_for(tree.ward, [sheet_row(**{"Ngày sinh": "31/02/1980"})])
    assert [m for _, c, m in messages_of(plan) if c == "C (Ngày sinh)"] == [
        "«31/02/1980» không phải là ngày hợp lệ (ghi theo dd/mm/yyyy)."
    ]


def test_a_personal_id_twice_in_the_file_is_reported_on_the_second_row(tree):
    first = sheet_row()
    plan = plan_for(tree.ward, [first, sheet_row(), sheet_row(**{"Số CCCD": first["Số CCCD"]})])
    assert messages_of(plan) == [(4, "G (Số CCCD)", f"Số CCCD {first['Số CCCD']} trùng với dòng 2.")]


def test_a_personal_id_of_another_organization_is_refused_without_naming_it(tree, members):
    other = members.other
    birth = dt.datetime.combine(other.birth_date, dt.time())
    plan = plan_for(tree.ward, [sheet_row(**{"Số CCCD": other.personal_id, "Ngày sinh": birth})])
    [(row, column, message)] = messages_of(plan)
    assert (row, column) == (2, "G (Số CCCD)")
    assert "đã có trong danh sách đảng viên của tổ chức khác" in message
    assert tree.other_branch.name not in message


def test_a_member_of_another_branch_is_not_moved_by_the_import(tree, members):
    an = members.an
    birth = dt.datetime.combine(an.birth_date, dt.time())
    plan = plan_for(
        tree.ward, [sheet_row(**{"Số CCCD": an.personal_id, "Ngày sinh": birth, "Chi bộ": "Chi bộ Văn phòng"})]
    )
    [(_, column, message)] = messages_of(plan)
    assert column == "K (Chi bộ)" and "nghiệp vụ chuyển sinh hoạt" in message


def test_branch_names_shared_by_two_branches_need_the_code(tree):
    ward = Organization.objects.get(pk=tree.ward.pk)
    twin = Organization.objects.add_child(ward, dict(code="T-XG-GV2", name="Chi bộ Giáo viên", kind="base_branch"))
    plan = plan_for(tree.ward, [sheet_row()])
    assert "ghi thêm cột «Mã chi bộ»" in messages_of(plan)[0][2]
    plan = plan_for(tree.ward, [sheet_row(**{"Mã chi bộ": twin.code})], headers=[*HEADERS, "Mã chi bộ"])
    assert plan.problems == [] and plan.new[0].branch == twin


def test_a_branch_organization_needs_no_branch_column(tree):
    plan = plan_for(tree.branch_a, [sheet_row()], headers=[h for h in HEADERS if h != "Chi bộ"])
    assert plan.problems == [] and plan.new[0].branch == tree.branch_a


# Writing: all or none, updates by CCCD, history, audit


def test_a_sheet_with_a_bad_row_is_rejected_whole(tree, personas):
    rows = [sheet_row(), sheet_row(), sheet_row(**{"Ngày sinh": "31/02/1980"}), sheet_row()]
    before = Member.objects.count()
    roster_import = import_file(personas.base, tree.base, roster_file(rows))
    assert roster_import.status == RosterImport.Status.CHECKED and not roster_import.can_confirm
    assert roster_import.problem_count == 1 and roster_import.report["problems"][0]["row"] == 4
    assert Member.objects.count() == before


def test_confirm_checks_again_and_writes_nothing_when_the_registry_changed(tree, personas, members):
    row = sheet_row()
    roster_import = roster_services.start_roster_import(
        actor=personas.base,
        organization=tree.base,
        file=roster_file([sheet_row(), row]),
        file_name="a.xlsx",
        queue=False,
    )
    roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.can_confirm
    # Meanwhile someone registers the same person in another ward.
    make_member(tree.other_branch, personas.admin, personal_id=row["Số CCCD"], birth_date=dt.date(1980, 4, 12))
    before = Member.objects.count()
    roster_services.confirm_roster_import(actor=personas.base, roster_import=roster_import, queue=False)
    roster_import = roster_services.run_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.status == RosterImport.Status.REJECTED
    assert roster_import.report["problems"][0]["row"] == 3
    assert Member.objects.count() == before


def test_the_confirmed_run_uses_the_sheet_parsed_at_the_preview(tree, personas):
    rows = [sheet_row(), sheet_row()]
    roster_import = roster_services.start_roster_import(
        actor=personas.base, organization=tree.base, file=roster_file(rows), file_name="b.xlsx", queue=False
    )
    roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
    kept = read_roster(roster_import.file.open("rb"))
    # The upload is no longer readable: only the kept parse can serve the confirmed run.
    with roster_import.file.storage.open(roster_import.file.name, "wb") as handle:
        handle.write(b"not a workbook")
    roster_services.confirm_roster_import(actor=personas.base, roster_import=roster_import, queue=False)
    roster_import = roster_services.run_roster_import(roster_import_id=roster_import.pk)
    assert roster_import.status == RosterImport.Status.DONE
    assert roster_import.new_count == 2
    names = {r.values["full_name"] for r in kept.rows}
    assert set(Member.objects.filter(full_name__in=names).values_list("full_name", flat=True)) == names


def test_a_parsed_sheet_survives_its_json_form(tree):
    sheet = read_roster(roster_file([sheet_row(), sheet_row()]))
    again = type(sheet).from_json(sheet.to_json())
    assert again == sheet
    assert isinstance(again.rows[0].values["birth_date"], dt.date)


def test_members_matched_by_personal_id_are_updated_with_a_history_entry(tree, personas, members):
    an = members.an
    history_before = an.history.count()
    row = sheet_row(
        **{
            "Họ và tên": an.full_name,
            "Ngày sinh": dt.datetime.combine(an.birth_date, dt.time()),
            "Số CCCD": an.personal_id,
            "Nghề nghiệp": "Hưu trí",
            "Ngày vào Đảng": dt.datetime.combine(an.admission_decided_on, dt.time()),
            "Ngày chính thức": dt.datetime.combine(an.official_on, dt.time()),
        }
    )
    roster_import = import_file(personas.base, tree.base, roster_file([row, sheet_row()]))
    assert (roster_import.new_count, roster_import.update_count) == (1, 1)
    assert roster_import.report["updated_rows"] == [{"row": 2, "name": an.full_name, "fields": ["Nghề nghiệp"]}]
    an.refresh_from_db()
    assert an.occupation == "Hưu trí"
    assert an.history.count() == history_before + 1
    entry = an.history.latest("history_date")
    assert entry.history_user == personas.base
    assert f"lần nhập số {roster_import.pk}" in entry.history_change_reason
    assert an.ceremony_held_on == dt.date(2010, 6, 2)  # a column the sheet lacks is left alone


def test_new_members_get_status_branch_history_and_an_audit_line(tree, personas):
    rows = [sheet_row(), sheet_row(**{"Ngày chính thức": None, "Chi bộ": "chi bo van phong"})]
    roster_import = import_file(personas.base, tree.base, roster_file(rows))
    assert roster_import.status == RosterImport.Status.DONE
    official, probationary = Member.objects.filter(personal_id__in=[r["Số CCCD"] for r in rows]).order_by("branch")
    assert (official.status, official.branch) == (MemberStatus.OFFICIAL, tree.branch_a)
    assert (probationary.status, probationary.branch) == (MemberStatus.PROBATIONARY, tree.branch_b)
    assert probationary.memberships.get().started_on == dt.date(2005, 5, 19)
    assert probationary.search_name == "nguyen van binh"
    for member in (official, probationary):
        entry = member.history.get()
        assert entry.history_user == personas.base
        assert entry.history_change_reason == roster_services.history_reason(roster_import)
    event = AuditEvent.objects.get(action=AuditAction.IMPORT_ROSTER)
    assert (event.actor, event.record_count, event.target_id) == (personas.base, 2, str(roster_import.pk))


def test_running_the_import_task_twice_writes_once(tree, personas):
    roster_import = import_file(personas.base, tree.base, roster_file([sheet_row()]))
    count = Member.objects.count()
    again = roster_services.run_roster_import(roster_import_id=roster_import.pk)
    assert again.status == RosterImport.Status.DONE and Member.objects.count() == count


def test_queries_do_not_grow_with_the_number_of_rows(tree, personas):
    def queries_for(row_count):
        stream = roster_file([sheet_row() for _ in range(row_count)])
        with CaptureQueriesContext(connection) as context:
            roster_import = import_file(personas.base, tree.base, stream)
        assert roster_import.status == RosterImport.Status.DONE
        return len(context.captured_queries)

    # No query per row: PostgreSQL writes each batch of 1,000 in one query; SQLite's 999-parameter
    # limit splits the 40-column inserts into batches of about 24 rows.
    assert queries_for(120) - queries_for(5) <= (120 - 5) // 10


def test_progress_is_reported_while_reading():
    seen = []
    read_roster(roster_file([sheet_row() for _ in range(25)]), progress=lambda *a: seen.append(a), progress_every=10)
    assert seen == [(10, 25), (20, 25)]


# Pages


def _upload(client, organization, stream):
    return client.post(
        reverse("members:import"),
        {"organization": organization.pk, "file": SimpleUploadedFile(stream.name, stream.getvalue())},
    )


def test_branch_secretaries_may_not_import(client, personas, tree):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("members:import")).status_code == 403
    assert _upload(client, tree.branch_a, roster_file([sheet_row()])).status_code == 403


def test_member_list_links_to_import_only_for_allowed_roles(client, personas, tree):
    client.force_login(personas.secretary_a)
    assert reverse("members:import") not in client.get(reverse("members:list")).content.decode()
    client.force_login(personas.base)
    assert reverse("members:import") in client.get(reverse("members:list")).content.decode()


def test_upload_preview_confirm(client, personas, tree, django_capture_on_commit_callbacks):
    client.force_login(personas.base)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, tree.base, roster_file([sheet_row(), sheet_row()]))
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("members:import_detail", args=[roster_import.pk])
    page = client.get(response.url).content.decode()
    assert "Đã kiểm tra, không có lỗi" in page and "Xác nhận nhập 2 mới, 0 cập nhật" in page
    assert Member.objects.filter(branch=tree.branch_a).count() == 0  # nothing written before confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", args=[roster_import.pk]))
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DONE
    assert Member.objects.filter(branch=tree.branch_a).count() == 2
    status = client.get(reverse("members:import_status", args=[roster_import.pk])).content.decode()
    assert "Đã nhập xong" in status and "hx-trigger" not in status


def test_preview_lists_every_problem_and_offers_no_confirmation(
    client, personas, tree, django_capture_on_commit_callbacks
):
    client.force_login(personas.base)
    rows = [sheet_row(**{"Chi bộ": "Chi bộ Khu phố 9"}), sheet_row(**{"Ngày sinh": "31/02/1980"})]
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, tree.base, roster_file(rows))
    page = client.get(response.url).content.decode()
    assert "Danh sách có 2 lỗi" in page
    assert "Không có chi bộ «Chi bộ Khu phố 9»" in page and "«31/02/1980» không phải là ngày" in page
    assert reverse("members:import_confirm", args=[RosterImport.objects.get().pk]) not in page
    response = client.post(reverse("members:import_confirm", args=[RosterImport.objects.get().pk]), follow=True)
    assert "Chỉ nhập được danh sách đã kiểm tra và không còn lỗi." in response.content.decode()
    assert Member.objects.filter(branch__path__startswith=tree.base.path).count() == 0


def test_a_running_import_polls_its_progress(client, personas, tree):
    roster_import = RosterImport.objects.create(
        organization=tree.base, uploaded_by=personas.base, file="rosters/x.xlsx", file_name="x.xlsx"
    )
    RosterImport.objects.filter(pk=roster_import.pk).update(progress_done=300, progress_total=1200)
    client.force_login(personas.base)
    page = client.get(reverse("members:import_status", args=[roster_import.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="25"' in page  # the width is set by app.js


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("danh-sach.csv", b"Ho va ten;CCCD\n", "Chỉ nhận tệp Excel .xlsx"),
        ("danh-sach.xlsx", b"not a zip at all", "Tệp không đọc được"),
        ("rong.xlsx", b"", ""),
    ],
)
def test_bad_files_are_form_errors_not_crashes(client, personas, tree, name, content, message):
    client.force_login(personas.base)
    response = client.post(
        reverse("members:import"), {"organization": tree.base.pk, "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_workbook_of_another_shape_is_rejected_by_the_check(
    client, personas, tree, django_capture_on_commit_callbacks
):
    # The header is looked for by the worker's parse, not in the upload request (see test_roster_limits.py).
    client.force_login(personas.base)
    stream = roster_file([{"Tên hàng": "Gạo"}], headers=["Tên hàng", "Số lượng"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, tree.base, stream)
    assert RosterImport.objects.get().status == RosterImport.Status.REJECTED
    assert "Không tìm thấy dòng tiêu đề" in client.get(response.url).content.decode()


def test_the_organization_must_be_in_scope(client, personas, tree):
    client.force_login(personas.base)
    response = _upload(client, tree.other_ward, roster_file([sheet_row()]))
    assert response.status_code == 200 and response.context["form"].errors["organization"]
