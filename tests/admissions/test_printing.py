"""The printed KNĐ forms of a dossier driven through the real services, read back from the PDFs."""

import datetime as dt

import pytest
from django.urls import reverse

from admissions import printing, services
from admissions.models import CandidateCategory, DossierStage, Introduction
from documents.models import GeneratedDocument
from organizations.models import Organization, OrganizationKind
from tests.documents.pdf import A4_POINTS, embedded_fonts, page_sizes, png_size, reader, text_of, write_page_png

NAME = "Lê Thị Hồng Nhung"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _get_form(client, user, dossier, slug):
    client.force_login(user)
    return client.get(reverse("admissions:print_form", args=[dossier.pk, slug]))


def test_dates_are_written_as_party_documents_write_them():
    assert printing.vietnamese_date(dt.date(2024, 3, 5)) == "05/03/2024"
    # HD 36-HD/VPTW: a leading zero for days below 10 and for months 1 and 2 only.
    assert printing.date_line(dt.date(2024, 3, 5), "Bắc Giang") == "Bắc Giang, ngày 05 tháng 3 năm 2024"
    assert printing.date_line(dt.date(2024, 2, 15)).endswith("ngày 15 tháng 02 năm 2024")
    assert printing.date_line(dt.date(2024, 12, 1)).endswith("ngày 01 tháng 12 năm 2024")


# form → what its PDF must say, beyond the header and the candidate's name (pipeline.default's data).
EXPECTED = {
    "1-KNĐ": ["ĐƠN XIN VÀO ĐẢNG", "Kính gửi: Chi bộ Giáo viên", "NGƯỜI LÀM ĐƠN"],
    "2-KNĐ": ["LÝ LỊCH CỦA NGƯỜI XIN VÀO ĐẢNG", "Sinh ngày: 10/05/2000", "123/CN", "Lê Văn Hùng (đảng viên)",
              "Đã kiểm tra, đóng dấu giáp lai ngày 11/03/2024", "ngày 05 tháng 4 năm 2024"],
    "3-KNĐ": ["GIẤY GIỚI THIỆU NGƯỜI VÀO ĐẢNG", "Nguyễn Văn An", "Trần Đức Đạt", "từ ngày 01/01/2022",
              "ngày 12 tháng 3 năm 2024"],
    "5-KNĐ": ["Công đoàn Trường THPT Ngô Sĩ Liên", "08/04/2024", "ngày 09 tháng 4 năm 2024"],
    "6-KNĐ": ["NGHỊ QUYẾT", "Đề nghị kết nạp đảng viên", "Số 07-NQ/CB", "ngày 15 tháng 4 năm 2024",
              "Số tán thành: 7/9", "T/M CHI BỘ", "BÍ THƯ", "ĐẢNG BỘ TRƯỜNG THPT NGÔ SĨ LIÊN"],
    "8-KNĐ": ["Số 45-NQ/ĐU", "Số tán thành: 8/9", "T/M ĐẢNG ỦY", "ĐẢNG BỘ PHƯỜNG XƯƠNG GIANG"],
    "9-KNĐ": ["QUYẾT ĐỊNH", "Kết nạp đảng viên", "Số 112-QĐ/ĐU", "ngày 10 tháng 5 năm 2024",
              "nghị quyết số 07-NQ/CB ngày 15/04/2024", "Điều 1."],
    "10-KNĐ": ["BẢN TỰ KIỂM ĐIỂM", "lễ kết nạp ngày 20/05/2024", "ngày 21 tháng 5 năm 2025"],
    "11-KNĐ": ["BẢN NHẬN XÉT ĐẢNG VIÊN DỰ BỊ", "Trần Đức Đạt"],
    "12-KNĐ": ["Chi bộ Khu phố 1", "21/05/2025"],
    "13-KNĐ": ["Số 20-NQ/CB", "Công nhận đảng viên chính thức", "Số tán thành: 9/10", "ngày 26 tháng 5 năm 2025"],
    "15-KNĐ": ["Số 60-NQ/ĐU", "Số tán thành: 9/9"],
    "16-KNĐ": ["Số 150-QĐ/ĐU", "Công nhận đảng viên chính thức", "ngày 10 tháng 6 năm 2025", "112-QĐ/ĐU"],
}  # fmt: skip


def test_every_form_of_an_official_member_reads_back_with_its_data(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.OFFICIAL)
    for code, expected in EXPECTED.items():
        response = _get_form(client, personas.secretary_a, dossier, printing.form_slug(code))
        assert response.status_code == 200, code
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        pdf = response.content
        text = text_of(pdf)
        assert f"Mẫu {code}" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text, code
        assert NAME in text, code
        for phrase in expected:
            assert phrase in text, (code, phrase)
        assert set(page_sizes(pdf)) == {A4_POINTS}, code
        fonts = embedded_fonts(pdf)
        assert fonts and all(fonts.values()) and all("Liberation-Serif" in f for f in fonts), (code, fonts)


def test_the_three_knd_form_has_one_sheet_per_introducer(client, personas, pipeline):
    dossier = pipeline.default.to("ready_for_vote")
    pdf = _get_form(client, personas.secretary_a, dossier, "3-knd").content
    pages = [" ".join(p.extract_text().split()) for p in reader(pdf).pages]
    assert len(pages) == 2
    assert "Nguyễn Văn An" in pages[0] and "Trần Đức Đạt" in pages[1]


def test_the_youth_union_resolution_prints_for_a_youth_union_introduction(client, personas, members, pipeline):
    dossier = pipeline.default.to(DossierStage.PREPARING, categories=[CandidateCategory.YOUTH_UNION_MEMBER])
    services.add_introduction(
        actor=personas.secretary_a,
        dossier=dossier,
        kind=Introduction.Kind.YOUTH_UNION,
        introduced_on=dt.date(2024, 3, 12),
        youth_union_resolution_number="03-NQ/ĐTN",
        youth_union_organization="Đoàn trường THPT Ngô Sĩ Liên",
    )
    text = text_of(_get_form(client, personas.secretary_a, dossier, "4-knd").content)
    assert "Số 03-NQ/ĐTN" in text and "ĐOÀN TRƯỜNG THPT NGÔ SĨ LIÊN" in text and NAME in text


def test_the_application_is_printed_blank_for_the_applicant_to_write_by_hand(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.SYMPATHIZER)
    text = text_of(_get_form(client, personas.secretary_a, dossier, "1-knd").content)
    assert "ĐƠN XIN VÀO ĐẢNG" in text and "tự viết tay" in text
    assert "Tôi là: Lê" not in text  # the applicant writes the name


def test_a_form_whose_step_is_not_recorded_gives_a_vietnamese_message(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.SYMPATHIZER)
    response = _get_form(client, personas.secretary_a, dossier, "6-knd")
    assert response.status_code == 409
    assert "Chi bộ chưa có nghị quyết đề nghị kết nạp" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


@pytest.mark.parametrize("slug", ["17-knd", "99-knd", "6-KND", "ho-so"])
def test_an_unknown_form_is_404(client, personas, pipeline, slug):
    dossier = pipeline.default.to(DossierStage.SOURCE_POOL)
    assert _get_form(client, personas.secretary_a, dossier, slug).status_code == 404


def test_a_form_is_served_from_the_cache_until_the_dossier_changes(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.BRANCH_PROPOSED)
    first = _get_form(client, personas.secretary_a, dossier, "6-knd").content
    row = GeneratedDocument.objects.get(code="6-KNĐ", object_id=dossier.pk)

    assert _get_form(client, personas.secretary_a, dossier, "6-knd").content == first
    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == [row.pk]

    # The candidate's name is corrected: the resolution is rendered again, the stale file dropped.
    candidate = dossier.candidate
    candidate.full_name = "Lê Thị Hồng Nhung Anh"
    candidate.save()
    second = _get_form(client, personas.secretary_a, dossier, "6-knd").content
    assert "Lê Thị Hồng Nhung Anh" in text_of(second)
    new_row = GeneratedDocument.objects.get(code="6-KNĐ", object_id=dossier.pk)
    assert new_row.pk != row.pk and new_row.fingerprint != row.fingerprint


def test_the_whole_dossier_is_one_pdf_with_a_contents_page(
    client, personas, pipeline, django_capture_on_commit_callbacks
):
    dossier = pipeline.default.to(DossierStage.ADMITTED)
    client.force_login(personas.secretary_a)
    url = reverse("admissions:print_dossier", args=[dossier.pk])
    assert "Tạo bộ hồ sơ PDF" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(url)  # the task is queued on commit; Celery runs it in-process in tests
    assert response.status_code == 302 and len(queued) == 1

    row = GeneratedDocument.objects.get(code=GeneratedDocument.BUNDLE, object_id=dossier.pk)
    assert row.status == "done" and row.done_count == row.total_count
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Đã tạo xong" in page and "hx-trigger" not in page
    pdf_response = client.get(url, {"tep": "1"})
    assert pdf_response["Content-Type"] == "application/pdf"
    pdf = pdf_response.content
    pages = [" ".join(p.extract_text().split()) for p in reader(pdf).pages]
    assert len(pages) == row.page_count
    assert "HỒ SƠ KẾT NẠP ĐẢNG VIÊN" in pages[0] and NAME in pages[0]
    codes = [p.code for p in printing.available_forms(dossier)]
    assert codes == ["1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ", "8-KNĐ", "9-KNĐ"]
    for code in codes:
        assert f"(mẫu {code})" in pages[0]
        assert any(f"Mẫu {code}" in p for p in pages[1:]), code
    assert "Mẫu 9-KNĐ" in pages[-1]
    write_png = write_page_png(pdf, "admissions-whole-dossier-contents")
    if write_png is not None:
        assert png_size(write_png)[1] > png_size(write_png)[0]


def test_the_whole_dossier_is_made_again_after_a_new_step(
    client, personas, pipeline, django_capture_on_commit_callbacks
):
    dossier = pipeline.default.to(DossierStage.BRANCH_PROPOSED)
    client.force_login(personas.secretary_a)
    url = reverse("admissions:print_dossier", args=[dossier.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(url)  # unchanged: nothing queued, no second file
    assert queued == []
    assert GeneratedDocument.objects.filter(code=GeneratedDocument.BUNDLE).count() == 1

    services.record_base_committee_vote(
        actor=personas.base, dossier=dossier, held_on=dt.date(2024, 4, 25), resolution_number="45-NQ/ĐU",
        members_count=9, in_favour_count=8,
    )  # fmt: skip
    assert "chưa được tạo, hoặc hồ sơ đã thay đổi" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    row = GeneratedDocument.objects.get(code=GeneratedDocument.BUNDLE)
    assert "Mẫu 8-KNĐ" in text_of(client.get(url, {"tep": "1"}).content)
    assert row.status == "done"


def test_a_page_of_a_form_is_written_as_a_png_for_the_ci_artifacts(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.BRANCH_PROPOSED)
    path = write_page_png(_get_form(client, personas.secretary_a, dossier, "6-knd").content, "admissions-6-knd")
    if path is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    width, height = png_size(path)
    assert round(height / width, 2) == round(A4_POINTS[1] / A4_POINTS[0], 2)


def test_the_dossier_page_links_to_the_printed_forms(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.BRANCH_PROPOSED)
    client.force_login(personas.secretary_a)
    page = client.get(reverse("admissions:dossier", args=[dossier.pk])).content.decode()
    assert reverse("admissions:print_form", args=[dossier.pk, "6-knd"]) in page
    assert reverse("admissions:print_dossier", args=[dossier.pk]) in page


def _lines(pdf: bytes, page: int = 0) -> list[str]:
    """The lines of one page as laid out, white space (and no-break spaces) collapsed."""
    return [" ".join(line.split()) for line in reader(pdf).pages[page].extract_text().splitlines()]


@pytest.mark.parametrize("code", ["8-KNĐ", "9-KNĐ", "15-KNĐ", "16-KNĐ"])
def test_a_base_committee_document_is_issued_by_the_committee_not_the_party_organization(
    client, personas, pipeline, code
):
    # Hướng dẫn 36-HD/VPTW: the header names the body that issues, "ĐẢNG ỦY …", under the đảng bộ above it.
    dossier = pipeline.default.to(DossierStage.OFFICIAL)
    pdf = _get_form(client, personas.secretary_a, dossier, printing.form_slug(code)).content
    header = _lines(pdf)[:6]
    assert "ĐẢNG ỦY" in header and "TRƯỜNG THPT NGÔ SĨ LIÊN" in header, header
    assert "ĐẢNG BỘ" in header and "PHƯỜNG XƯƠNG GIANG" in header, header  # the party organization above
    assert "ĐẢNG BỘ TRƯỜNG THPT NGÔ SĨ LIÊN" not in text_of(pdf)


def test_the_names_in_a_header_break_only_between_the_kind_and_the_proper_name(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.ADMITTED)
    pdf = _get_form(client, personas.secretary_a, dossier, "9-knd").content
    lines = _lines(pdf)
    # Before: "ĐẢNG BỘ TRƯỜNG THPT" / "NGÔ SĨ LIÊN"; the proper name now stays on one line.
    assert "TRƯỜNG THPT NGÔ SĨ LIÊN" in lines and "PHƯỜNG XƯƠNG GIANG" in lines, lines[:6]
    assert "ĐẢNG ỦY TRƯỜNG THPT NGÔ SĨ LIÊN" in lines  # the decision's authority line, in the body
    write_page_png(pdf, "admissions-9-knd-header")


def test_the_date_line_takes_the_place_name_of_the_issuer_or_of_its_nearest_ancestor(client, personas, pipeline, tree):
    dossier = pipeline.default.to(DossierStage.ADMITTED)
    unplaced = text_of(_get_form(client, personas.secretary_a, dossier, "6-knd").content)
    assert "……………, ngày 15 tháng 4 năm 2024" in unplaced  # no place anywhere: dots to fill in
    Organization.objects.filter(pk=tree.province.pk).update(place_name="Bắc Giang")
    Organization.objects.filter(pk=tree.branch_a.pk).update(place_name="Xương Giang")
    dossier.refresh_from_db()
    six = text_of(_get_form(client, personas.secretary_a, dossier, "6-knd").content)
    nine = text_of(_get_form(client, personas.secretary_a, dossier, "9-knd").content)
    assert "Xương Giang, ngày 15 tháng 4 năm 2024" in six  # the branch's own
    assert "Bắc Giang, ngày 10 tháng 5 năm 2024" in nine  # the base committee has none: the province's


def test_a_signature_keeps_the_last_paragraph_on_its_page(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.OFFICIAL)
    pdf = _get_form(client, personas.secretary_a, dossier, "10-knd").content
    pages = [" ".join(p.extract_text().split()) for p in reader(pdf).pages]
    signed = [p for p in pages if "NGƯỜI TỰ KIỂM ĐIỂM" in p]
    assert len(signed) == 1 and "Tôi đề nghị chi bộ xét" in signed[0]
    write_page_png(pdf, "admissions-10-knd-signature-page", page=len(pages))


def test_a_base_branch_prints_no_base_committee_step(client, personas, pipeline, tree):
    dossier = pipeline.default.to(DossierStage.OFFICIAL, branch=tree.base_branch)
    client.force_login(personas.superior)
    texts = {}
    for printable in printing.available_forms(dossier):
        pdf = _get_form(client, personas.superior, dossier, printing.form_slug(printable.code)).content
        texts[printable.code] = text_of(pdf)
        if printable.code == "2-KNĐ":
            write_page_png(pdf, "admissions-base-branch-2-knd-certification", page=len(reader(pdf).pages))
    assert "8-KNĐ" not in texts and "15-KNĐ" not in texts
    for code, text in texts.items():
        assert "T/M ĐẢNG ỦY" not in text and "Đảng ủy cơ sở" not in text and "ĐẢNG ỦY CƠ SỞ" not in text, code
    assert "Đảng bộ: Đảng bộ phường Xương Giang; chi bộ: Chi bộ Khu phố 1" in texts["2-KNĐ"]
    assert "Chi bộ Khu phố 1 chứng nhận lý lịch" in texts["2-KNĐ"] and "T/M CHI BỘ" in texts["2-KNĐ"]
    assert "Ban Thường vụ Đảng ủy phường Xương Giang" in texts["6-KNĐ"]
    for code in ("9-KNĐ", "16-KNĐ"):
        assert "BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG XƯƠNG GIANG" in texts[code] and "T/M BAN THƯỜNG VỤ" in texts[code]


def test_the_youth_cell_proposal_prints_for_a_youth_union_member_with_blanks_for_the_cell(client, personas, pipeline):
    dossier = pipeline.default.to(DossierStage.PREPARING)
    response = _get_form(client, personas.secretary_a, dossier, "4_1-knd")
    assert response.status_code == 409 and "đoàn viên" in response.content.decode()

    dossier = pipeline.new().to(DossierStage.PREPARING, categories=[CandidateCategory.YOUTH_UNION_MEMBER],
                                full_name="Trần Văn Khoa")  # fmt: skip
    assert "4_1-KNĐ" not in [p.code for p in printing.available_forms(dossier)]  # printable, not yet in the file
    services.add_introduction(
        actor=personas.secretary_a,
        dossier=dossier,
        kind=Introduction.Kind.YOUTH_UNION,
        introduced_on=dt.date(2024, 3, 12),
        youth_union_resolution_number="03-NQ/ĐTN",
        youth_union_organization="Đoàn trường THPT Ngô Sĩ Liên",
    )
    pdf = _get_form(client, personas.secretary_a, dossier, "4_1-knd").content
    text = text_of(pdf)
    assert "Mẫu 4_1-KNĐ" in text and "ĐOÀN TNCS HỒ CHÍ MINH" in text and "ĐẢNG CỘNG SẢN" not in text
    assert "CHI ĐOÀN" in text and "ĐOÀN TRƯỜNG THPT NGÔ SĨ LIÊN" in text and "Trần Văn Khoa" in text
    assert "Ban Chấp hành Đoàn trường THPT Ngô Sĩ Liên xem xét, giới thiệu" in text
    assert "4_1-KNĐ" in [p.code for p in printing.available_forms(dossier)]
    write_page_png(pdf, "admissions-4_1-knd")


def _under_a_sub_committee(tree, personas):
    """Put branch_a under a sub-committee (đảng ủy bộ phận) of its base committee."""
    sub = Organization.objects.add_child(
        Organization.objects.get(pk=tree.base.pk),
        dict(code="T-XG-NSL-TN", name="Đảng bộ bộ phận Tổ Tự nhiên", kind=OrganizationKind.SUB_COMMITTEE),
    )
    Organization.objects.move(Organization.objects.get(pk=tree.branch_a.pk), sub, pos="last-child")
    tree.branch_a = Organization.objects.get(pk=tree.branch_a.pk)
    personas.secretary_a.__dict__.pop("_active_roles", None)  # the roles' paths are read once per request
    return sub


def test_the_sub_committee_resolutions_print_for_a_branch_under_one(client, personas, pipeline, tree):
    dossier = pipeline.default.to(DossierStage.OFFICIAL)
    response = _get_form(client, personas.secretary_a, dossier, "7-knd")
    assert response.status_code == 409 and "không trực thuộc đảng ủy bộ phận" in response.content.decode()

    _under_a_sub_committee(tree, personas)
    dossier = pipeline.new().to(DossierStage.OFFICIAL, full_name="Trần Văn Khoa")
    codes = [p.code for p in printing.available_forms(dossier)]
    assert codes.index("6-KNĐ") < codes.index("7-KNĐ") < codes.index("8-KNĐ")
    assert codes.index("13-KNĐ") < codes.index("14-KNĐ") < codes.index("15-KNĐ")
    seven = _get_form(client, personas.secretary_a, dossier, "7-knd").content
    fourteen = _get_form(client, personas.secretary_a, dossier, "14-knd").content
    for code, pdf, resolution in (("7-KNĐ", seven, "07-NQ/CB ngày 15/04/2024"),
                                  ("14-KNĐ", fourteen, "20-NQ/CB ngày 26/05/2025")):  # fmt: skip
        text, header = text_of(pdf), _lines(pdf)[:6]
        assert f"Mẫu {code}" in text and "Trần Văn Khoa" in text
        assert "ĐẢNG ỦY" in header and "BỘ PHẬN TỔ TỰ NHIÊN" in header, header
        assert f"Nghị quyết số {resolution} của Chi bộ Giáo viên" in text
        assert "đề nghị Đảng ủy Trường THPT Ngô Sĩ Liên xem xét" in text
        assert "Số ....." in text and "có mặt: ……" in text  # the meeting is filled in by hand
    six = text_of(_get_form(client, personas.secretary_a, dossier, "6-knd").content)
    assert "- Đảng ủy bộ phận Tổ Tự nhiên" in six  # the branch sends its resolution to the sub-committee
    page = client.get(reverse("admissions:print_dossier", args=[dossier.pk])).content.decode()
    assert reverse("admissions:print_form", args=[dossier.pk, "7-knd"]) in page  # each form opens on its own
    assert "Nghị quyết đề nghị kết nạp đảng viên của đảng ủy bộ phận" in page
    write_page_png(seven, "admissions-7-knd")
    write_page_png(fourteen, "admissions-14-knd")


def test_a_form_deleted_after_the_retention_is_printed_again(client, personas, pipeline):
    from django.utils import timezone

    from documents.services import delete_old_documents

    dossier = pipeline.default.to(DossierStage.BRANCH_PROPOSED)
    first = _get_form(client, personas.secretary_a, dossier, "6-knd").content
    row = GeneratedDocument.objects.get(code="6-KNĐ")
    assert delete_old_documents(now=timezone.now() + dt.timedelta(days=31)) == 1
    assert not row.file.storage.exists(row.file.name)
    again = _get_form(client, personas.secretary_a, dossier, "6-knd")
    assert again.status_code == 200 and text_of(again.content) == text_of(first)
    assert GeneratedDocument.objects.get(code="6-KNĐ").pk != row.pk
