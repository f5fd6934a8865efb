"""A candidate from the source pool to official member, in the browser, each role doing its part.

The secretary of Chi bộ Giáo viên records the branch's steps; the staff of the base committee (authorized
to admit) stamps and certifies the résumé, votes and decides. Both work in their own browser session on
a phone-sized screen. Dates lie in the past (services refuse future dates) and are chosen so that the
12 months of probation have ended before today (23/11/2026): ceremony 19/05/2025, recognition in 2026.
"""

import re

from playwright.sync_api import expect

from admissions.models import Dossier, DossierStage
from members.models import MemberStatus

from .conftest import login

VOTE_COUNTS = {"temporarily_attached_count": "0", "exempted_absent_count": "0", "against_count": "0"}


def record(page, label: str, *, fill: dict | None = None, select: dict | None = None, check=()) -> None:
    """Open the step from the candidate page's list of actions, fill its form, save, and see it recorded."""
    page.get_by_test_id("actions").get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", name=label)).to_be_visible()
    for name, value in (fill or {}).items():
        page.locator(f'[name="{name}"]').fill(value)
    for name, option in (select or {}).items():
        page.locator(f'select[name="{name}"]').select_option(label=option)
    for name in check:
        page.locator(f'[name="{name}"]').check()
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text(f"Đã ghi: {label}.")).to_be_visible()


def test_candidate_goes_from_source_pool_to_official_member_in_the_browser(
    browser, browser_context_args, live_server, tree, personas, members
):
    secretary = browser.new_context(**browser_context_args).new_page()
    base = browser.new_context(**browser_context_args).new_page()
    login(secretary, live_server, personas.secretary_a.username)
    login(base, live_server, personas.base.username)

    # The secretary puts the person proposed by the Youth Union into the source pool.
    secretary.goto(f"{live_server.url}/ket-nap/")  # the menu's "Kết nạp", folded away on a phone
    expect(secretary.get_by_role("heading", name="Kết nạp đảng viên")).to_be_visible()
    secretary.get_by_role("link", name=re.compile("Đưa vào nguồn")).click()
    form = {
        "full_name": "Lê Thị Hồng Nhung",
        "birth_date": "10/05/2000",
        "personal_id": "024300123456",
        "proposed_on": "06/01/2025",
        "merits": "Giáo viên dạy giỏi cấp tỉnh",
    }
    for name, value in form.items():
        secretary.locator(f'[name="{name}"]').fill(value)
    secretary.locator('select[name="branch"]').select_option(label="Chi bộ Giáo viên — Đảng bộ Trường THPT Ngô Sĩ Liên")
    secretary.locator('select[name="gender"]').select_option(label="Nữ")
    secretary.locator('select[name="general_education"]').select_option(label="Tốt nghiệp trung học phổ thông")
    secretary.locator('select[name="proposed_by"]').select_option(label="Đoàn Thanh niên Cộng sản Hồ Chí Minh")
    secretary.get_by_label("Đoàn viên thanh niên").check()
    secretary.get_by_role("button", name="Đưa vào nguồn").click()
    expect(secretary.get_by_role("heading", name="Lê Thị Hồng Nhung")).to_be_visible()
    expect(secretary.get_by_test_id("stage")).to_have_text("Nguồn kết nạp")
    expect(secretary.get_by_text("024300123456")).to_have_count(0)  # the CCCD is masked
    dossier_url = secretary.url

    s, b = secretary, base
    record(
        s,
        "Đưa vào danh sách cảm tình Đảng",
        fill={"listed_on": "03/02/2025", "resolution_number": "05-NQ/CB"},
        select={"helper": "Nguyễn Văn An"},
    )
    record(
        s, "Ghi giấy chứng nhận bồi dưỡng nhận thức về Đảng", fill={"issued_on": "03/03/2025", "number": "123/CN-TTCT"}
    )
    record(s, "Nhận đơn xin vào Đảng (1-KNĐ)", fill={"submitted_on": "05/03/2025"})
    expect(s.get_by_test_id("stage")).to_have_text("Hoàn thiện hồ sơ")
    # A résumé dated before the application is refused on its field, in Vietnamese; the form stays filled.
    s.get_by_test_id("actions").get_by_role("link", name="Nhận lý lịch (2-KNĐ)").click()
    s.locator('[name="submitted_on"]').fill("01/03/2025")
    s.get_by_role("button", name="Ghi nhận").click()
    expect(s.get_by_text("Ngày nộp lý lịch không được trước ngày nộp đơn (05/03/2025).")).to_be_visible()
    s.goto(dossier_url)
    record(s, "Nhận lý lịch (2-KNĐ)", fill={"submitted_on": "06/03/2025"})

    b.goto(dossier_url)
    record(b, "Đóng dấu giáp lai lý lịch", fill={"stamped_on": "10/03/2025"})

    s.reload()
    for introducer in ("Nguyễn Văn An", "Trần Đức Đạt"):
        record(
            s,
            "Ghi giới thiệu (3-KNĐ / 4-KNĐ)",
            select={"kind": "Đảng viên chính thức giới thiệu (3-KNĐ)", "introducer": introducer},
            fill={"known_since": "01/01/2023", "introduced_on": "12/03/2025"},
        )
    record(
        s,
        "Gửi yêu cầu thẩm tra lý lịch",
        select={"relationship": "Bản thân người vào Đảng"},
        fill={
            "person_name": "Lê Thị Hồng Nhung",
            "request_sent_to": "Công an phường Xương Giang",
            "request_sent_on": "12/03/2025",
        },
    )
    record(
        s,
        "Gửi yêu cầu thẩm tra lý lịch",
        select={"relationship": "Cha đẻ"},
        fill={"person_name": "Lê Văn Hùng"},
        check=["is_party_member"],
    )
    record(
        s,
        "Ghi kết quả thẩm tra",
        select={"item": "Bản thân người vào Đảng: Lê Thị Hồng Nhung"},
        fill={"result_received_on": "01/04/2025", "result": "Chấp hành tốt chủ trương, pháp luật."},
    )

    b.reload()
    record(b, "Chứng nhận lý lịch sau thẩm tra", fill={"certified_on": "03/04/2025"})

    s.reload()
    record(
        s,
        "Ghi ý kiến đoàn thể, chi bộ nơi cư trú",
        select={"source": "Đoàn thể chính trị – xã hội nơi công tác"},
        fill={
            "organization_name": "Công đoàn Trường THPT Ngô Sĩ Liên",
            "given_on": "07/04/2025",
            "participants_count": "40",
            "agreeing_count": "38",
        },
    )
    record(
        s,
        "Ghi ý kiến đoàn thể, chi bộ nơi cư trú",
        select={"source": "Chi ủy / chi bộ nơi cư trú"},
        fill={"organization_name": "Chi bộ Khu phố 1", "given_on": "07/04/2025"},
    )
    record(s, "Tổng hợp ý kiến nhận xét (5-KNĐ)", fill={"summarized_on": "08/04/2025"})
    record(
        s,
        "Chi bộ xét kết nạp (6-KNĐ)",
        fill={
            "held_on": "15/04/2025",
            "resolution_number": "07-NQ/CB",
            "members_count": "9",
            "in_favour_count": "7",
            **VOTE_COUNTS,
        },
    )
    expect(s.get_by_test_id("stage")).to_have_text("Chi bộ đề nghị kết nạp")
    expect(s.get_by_test_id("actions")).to_have_count(0)  # the base committee's turn

    b.reload()
    record(
        b,
        "Đảng ủy cơ sở xét kết nạp (8-KNĐ)",
        fill={
            "held_on": "22/04/2025",
            "resolution_number": "45-NQ/ĐU",
            "members_count": "9",
            "in_favour_count": "8",
            "against_count": "0",
        },
    )
    record(
        b,
        "Quyết định kết nạp (9-KNĐ)",
        select={"approved": "Kết nạp"},
        fill={"decision_number": "112-QĐ/ĐU", "signed_on": "06/05/2025"},
    )
    expect(b.get_by_test_id("stage")).to_have_text("Đã có quyết định kết nạp")

    s.reload()
    record(s, "Ghi ngày nhận quyết định", fill={"received_on": "08/05/2025"})
    record(s, "Tổ chức lễ kết nạp", fill={"held_on": "19/05/2025"}, select={"probation_helper": "Trần Đức Đạt"})
    expect(s.get_by_test_id("stage")).to_have_text("Đảng viên dự bị")
    record(s, "Ghi lớp bồi dưỡng đảng viên mới", fill={"completed_on": "05/09/2025", "certificate_number": "77/CN"})
    record(s, "Bản tự kiểm điểm (10-KNĐ)", fill={"dated_on": "20/05/2026"})
    record(s, "Nhận xét của đảng viên giúp đỡ (11-KNĐ)", fill={"dated_on": "20/05/2026"})
    record(
        s,
        "Ghi ý kiến nhận xét đảng viên dự bị",
        select={"source": "Chi ủy / chi bộ nơi cư trú"},
        fill={"organization_name": "Chi bộ Khu phố 1", "given_on": "20/05/2026"},
    )
    record(s, "Tổng hợp ý kiến nhận xét (12-KNĐ)", fill={"dated_on": "20/05/2026"})
    record(
        s,
        "Chi bộ xét công nhận chính thức (13-KNĐ)",
        select={"proposal": "Công nhận đảng viên chính thức"},
        fill={
            "held_on": "25/05/2026",
            "resolution_number": "20-NQ/CB",
            "members_count": "10",
            "in_favour_count": "9",
            **VOTE_COUNTS,
        },
    )

    b.reload()
    record(
        b,
        "Đảng ủy cơ sở xét công nhận chính thức (15-KNĐ)",
        fill={
            "held_on": "01/06/2026",
            "resolution_number": "60-NQ/ĐU",
            "members_count": "9",
            "in_favour_count": "9",
            "against_count": "0",
        },
    )
    record(
        b,
        "Quyết định công nhận chính thức / xóa tên (16-KNĐ)",
        select={"outcome": "Công nhận đảng viên chính thức"},
        fill={"decision_number": "150-QĐ/ĐU", "decided_on": "08/06/2026"},
    )
    expect(b.get_by_test_id("stage")).to_have_text("Đã công nhận chính thức")
    timeline = b.get_by_test_id("timeline")
    for code in ("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ", "8-KNĐ", "9-KNĐ", "10-KNĐ", "13-KNĐ", "16-KNĐ"):
        expect(timeline.get_by_text(code, exact=True).first).to_be_visible()

    # The new member's file: official as of the day the 12 months of probation ended.
    b.get_by_role("link", name="Hồ sơ đảng viên").click()
    expect(b.get_by_role("heading", name="Lê Thị Hồng Nhung")).to_be_visible()
    dossier = Dossier.objects.get(candidate__full_name="Lê Thị Hồng Nhung")
    assert dossier.stage == DossierStage.OFFICIAL
    assert dossier.member.status == MemberStatus.OFFICIAL
    assert f"{dossier.member.official_on:%d/%m/%Y}" == "19/05/2026"
    assert f"{dossier.member.admission_decided_on:%d/%m/%Y}" == "06/05/2025"
