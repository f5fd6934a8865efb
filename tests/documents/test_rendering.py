"""render_pdf: A4, the official header, Vietnamese text intact, Liberation Serif embedded whatever the machine has."""

import os
import subprocess
import sys
import textwrap

import pytest

from documents import rendering
from documents.rendering import Printable

from .pdf import A4_POINTS, embedded_fonts, page_sizes, png_size, text_of, write_page_png

CONTEXT = {
    "code": "6-KNĐ",
    "title": "Nghị quyết",
    "subject": "Đề nghị kết nạp đảng viên",
    "issuer_parent": "Đảng bộ Trường THPT Ngô Sĩ Liên",
    "issuer": "Chi bộ Giáo viên",
    "number": "07-NQ/CB",
    "date_line": "……, ngày 05 tháng 3 năm 2024",
    "signer": {"on_behalf": "T/M Chi bộ", "office": "Bí thư"},
    "recipients": ["Đảng ủy Trường THPT Ngô Sĩ Liên"],
}


def test_base_print_is_a4_with_the_official_header_and_signature():
    pdf = rendering.render_pdf(rendering.BASE_TEMPLATE, CONTEXT)

    assert page_sizes(pdf) == [A4_POINTS]
    text = text_of(pdf)
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "CHI BỘ GIÁO VIÊN", "Số 07-NQ/CB", "ngày 05 tháng 3 năm 2024"):
        assert expected in text
    assert "T/M CHI BỘ" in text and "BÍ THƯ" in text
    assert "Nơi nhận:" in text


def test_liberation_serif_is_embedded_in_every_style_used():
    fonts = embedded_fonts(rendering.render_pdf(rendering.BASE_TEMPLATE, CONTEXT))

    assert fonts, "no fonts found"
    assert all("Liberation-Serif" in name for name in fonts), fonts
    assert all(fonts.values()), f"a font without FontFile2: {fonts}"
    # Header (bold), date line (italic) and body (regular) each need their face.
    assert {n.split("+")[-1] for n in fonts} >= {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"}


def test_fonts_come_from_the_repository_not_the_machine(tmp_path):
    # A fontconfig that knows no font at all: the PDF must still carry Liberation Serif (from static/fonts/).
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><fontconfig><cachedir>%s</cachedir></fontconfig>' % tmp_path
    )
    script = textwrap.dedent(
        """
        import sys, django
        django.setup()
        from documents import rendering
        from tests.documents.test_rendering import CONTEXT
        sys.stdout.buffer.write(rendering.render_pdf(rendering.BASE_TEMPLATE, CONTEXT))
        """
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf"), "DJANGO_SETTINGS_MODULE": "partyorg.settings"}
    env["PYTHONPATH"] = str(rendering.settings.BASE_DIR)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]

    fonts = embedded_fonts(done.stdout)
    assert fonts and all("Liberation-Serif" in name for name in fonts) and all(fonts.values()), fonts
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text_of(done.stdout)


def test_one_page_is_written_as_a_png_for_the_ci_artifacts():
    path = write_page_png(rendering.render_pdf(rendering.BASE_TEMPLATE, CONTEXT), "documents-base-print")
    if path is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    width, height = png_size(path)
    assert round(height / width, 2) == round(A4_POINTS[1] / A4_POINTS[0], 2)


def test_the_fingerprint_follows_the_printed_data_only():
    one = Printable("6-KNĐ", "Nghị quyết", rendering.BASE_TEMPLATE, dict(CONTEXT))

    assert rendering.fingerprint([one]) == rendering.fingerprint([Printable(**{**one.__dict__})])
    changed = Printable("6-KNĐ", "Nghị quyết", rendering.BASE_TEMPLATE, {**CONTEXT, "number": "08-NQ/CB"})
    assert rendering.fingerprint([one]) != rendering.fingerprint([changed])


def test_a_print_context_refuses_model_instances(tree):
    with pytest.raises(TypeError):
        rendering.fingerprint([Printable("x", "x", rendering.BASE_TEMPLATE, {"org": tree.branch_a})])
