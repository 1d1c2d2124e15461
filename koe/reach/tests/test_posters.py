"""Posters and flyers: every language, both sizes, fonts for every script, names escaped."""

import ctypes
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageStat

from config.languages import LANGUAGE_CODES
from koe.core.testing.personas import Personas, verified_client
from koe.core.tests.test_pdf import attachments, hostile_name, listening_server
from koe.reach.testing import invite_of_a1

pytestmark = pytest.mark.django_db

POINTS = {"a4": (595, 842), "a3": (842, 1191)}
FONTS = {
    "ja": "Noto-Sans-CJK-JP",
    "zh-hans": "Noto-Sans-CJK-SC",
    "my": "Noto-Sans-Myanmar",
    "ne": "Noto-Sans-Devanagari",
}
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"


def poster(personas: Personas, kind: str, size: str, language: str, page_language: str = "en") -> bytes:
    link = invite_of_a1(personas)
    url = f"/{page_language}/company/reach/links/{link.pk}/{kind}/{size}/{language}.pdf"
    response = verified_client(personas.admin_a).get(url)
    assert response.status_code == 200, (kind, size, language)
    assert response["Content-Type"] == "application/pdf"
    return response.content


def page_size(pdf: bytes) -> tuple[int, int]:
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1  # everything fits on the one sheet
    width, height = document[0].get_size()
    return round(width), round(height)


def fonts_of(pdf: bytes) -> set[str]:
    """The base names of the fonts the page's text is set in (subset prefixes included)."""
    names = set()
    for text in pdfium.PdfDocument(pdf)[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
        font = pdfium_c.FPDFTextObj_GetFont(text.raw)
        size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
        names.add(buffer.value.decode())
    return names


def page_text(pdf: bytes) -> str:
    page = pdfium.PdfDocument(pdf)[0]
    return page.get_textpage().get_text_range()


def test_a_poster_renders_in_every_language_on_a4_and_a3_with_the_link_in_its_language(
    personas: Personas,
) -> None:
    token = invite_of_a1(personas).token
    for language in LANGUAGE_CODES:
        for size, points in POINTS.items():
            pdf = poster(personas, "poster", size, language)
            assert page_size(pdf) == points, (language, size)
            assert f"/{language}/join/{token}/" in page_text(pdf).replace("\r\n", "").replace("\n", "")
            if language in FONTS:
                assert any(FONTS[language] in font for font in fonts_of(pdf)), (
                    language
                )  # the script's own face


def test_a_flyer_is_one_sheet_of_four_copies_on_a4_and_a3(personas: Personas) -> None:
    link = f"/ne/join/{invite_of_a1(personas).token}/"
    with translation.override("ne"):  # the flyer is printed in Nepali, not in the page's English
        invitation = gettext("%(employer)s invites you to Koe.") % {"employer": personas.org_a1.name}
    assert invitation != f"{personas.org_a1.name} invites you to Koe."
    for size, points in POINTS.items():
        pdf = poster(personas, "flyer", size, "ne")
        assert page_size(pdf) == points
        text = page_text(pdf)
        assert text.count(invitation) == 4, size  # every copy invites the worker in Nepali
        assert text.replace("\r\n", "").replace("\n", "").count(link) == 4, size  # with the link on each


def test_an_unknown_kind_size_or_language_is_not_found(personas: Personas) -> None:
    link = invite_of_a1(personas)
    client = verified_client(personas.admin_a)
    for name in ("banner/a4/en", "poster/a5/en", "poster/a4/xx"):
        assert client.get(f"/en/company/reach/links/{link.pk}/{name}.pdf").status_code == 404


@pytest.mark.parametrize("language", ["my", "ja"])
def test_a_poster_rendered_to_an_image_is_not_blank(personas: Personas, language: str) -> None:
    personas.org_a1.name = {"my": "မြန်မာ စားသောက်ကုန်", "ja": "さくらパッキング株式会社"}[language]
    personas.org_a1.save()
    pdf = poster(personas, "poster", "a4", language)
    image = pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("L")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / f"reach-poster-a4-{language}.png")
    dark = sum(image.histogram()[:128])
    assert 0.03 < dark / (image.width * image.height) < 0.5  # text and the QR code, on a white sheet
    assert ImageStat.Stat(image).stddev[0] > 20
    if language == "ja":  # Burmese glyphs come back reordered from the PDF's text layer
        assert personas.org_a1.name in page_text(pdf)
    Image.open(BytesIO(pdf_png(pdf)))  # and it converts to PNG for printing previews


def pdf_png(pdf: bytes) -> bytes:
    out = BytesIO()
    pdfium.PdfDocument(pdf)[0].render(scale=0.5).to_pil().save(out, format="PNG")
    return out.getvalue()


def test_a_script_tag_in_the_company_name_is_printed_as_text(personas: Personas) -> None:
    personas.org_a1.name = "<script>alert(1)</script> Packing"
    personas.org_a1.save()
    pdf = poster(personas, "poster", "a4", "en")
    assert "<script>alert(1)</script> Packing" in page_text(pdf)


def test_markup_in_the_company_name_attaches_no_file_fetches_nothing_and_is_printed(
    personas: Personas, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret")
    with listening_server() as (server, hits):
        personas.org_a1.name = hostile_name(server, secret)
        personas.org_a1.save()
        pdf = poster(personas, "poster", "a4", "en")
    assert attachments(pdf) == []
    assert hits == []
    assert "".join(personas.org_a1.name.split()) in "".join(page_text(pdf).split())
