"""Reading generated PDFs back: text, embedded fonts, page size, one page as a PNG for CI artifacts."""

import io
import pathlib
import shutil
import subprocess
import unicodedata

from pypdf import PdfReader

ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts"
A4_POINTS = (595.28, 841.89)


def reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), pdf[:40]
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """All pages' text in NFC with white space collapsed (line breaks fall anywhere in a paragraph)."""
    raw = " ".join(page.extract_text() or "" for page in reader(pdf).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Base font name → whether its TrueType program (FontFile2) is embedded, over every page."""
    fonts = {}
    for page in reader(pdf).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return fonts


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in reader(pdf).pages]


def write_page_png(pdf: bytes, name: str, page: int = 1) -> pathlib.Path | None:
    """The page as test-artifacts/<name>.png (poppler's pdftoppm); None where poppler is not installed."""
    if shutil.which("pdftoppm") is None:
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-singlefile", "-f", str(page), "-l", str(page), "-", str(prefix)],
        input=pdf,
        check=True,
        timeout=60,
    )
    return prefix.with_suffix(".png")


def png_size(path: pathlib.Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
