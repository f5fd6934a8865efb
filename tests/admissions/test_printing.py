"""The printed KNĐ forms of a dossier driven through the real services, read back from the PDFs."""

import datetime as dt

import pytest
from django.urls import reverse

from admissions import printing, services
from admissions.models import CandidateCategory, DossierStage, Introduction
from documents.models import GeneratedDocument
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


@pytest.mark.parametrize("slug", ["7-knd", "99-knd", "6-KND", "ho-so"])
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
