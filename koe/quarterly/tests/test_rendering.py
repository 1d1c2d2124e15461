"""The three renderers on a hand-built document with Japanese text, hidden cells and a label
that a spreadsheet would run as a formula."""

import csv
import ctypes
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from koe.core.tests.test_pdf import attachments, hostile_name, listening_server
from koe.quarterly.rendering import render_csv, render_pdf, render_xlsx, sheet_names
from koe.quarterly.testing import FORMULA_LABEL, small_document
from koe.reports.document import HIDDEN_MARK, SUPPRESSION_LEGEND

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"


def pdf_text(data: bytes) -> tuple[int, str]:
    pdf = pdfium.PdfDocument(data)
    text = "\n".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
    return len(pdf), text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_pdf_has_a_cover_the_sections_and_the_hidden_mark(language: str) -> None:
    doc = small_document(language)
    data = render_pdf(doc)
    pages, text = pdf_text(data)
    assert data.startswith(b"%PDF")
    assert pages >= 2
    assert "さくら食品株式会社" in text
    assert doc.sections[0].title in text
    with translation.override(language):  # the reader's language: 「x」 in Japanese, “x” in English
        legend = str(SUPPRESSION_LEGEND) % {"mark": HIDDEN_MARK}
        counter = gettext("Page %(page)s of %(pages)s") % {"page": 1, "pages": pages}
    assert HIDDEN_MARK in legend and legend != str(SUPPRESSION_LEGEND)
    squeezed = "".join(text.split())  # a long sentence wraps onto the next line
    assert "".join(legend.split()) in squeezed  # the legend explaining the mark
    assert doc.methodology[0] in text
    assert "".join(counter.split()) in squeezed  # the page counter on the first page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_pdf_cover_is_rendered_to_an_image_to_look_at(language: str) -> None:
    pdf = pdfium.PdfDocument(render_pdf(small_document(language)))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for index in (0, 1):
        image = pdf[index].render(scale=1.2).to_pil()
        image.save(ARTIFACTS / f"quarterly-report-{language}-page{index + 1}.png")
        assert image.getextrema() != ((255, 255), (255, 255), (255, 255))  # not a blank page


def catalogue_language(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    size = pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, buffer, size)
    return bytes(buffer).decode("utf-16-le").rstrip("\0")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_pdf_says_its_language(language: str) -> None:
    # WeasyPrint copies the html lang into the PDF catalogue, which screen readers use.
    assert catalogue_language(render_pdf(small_document(language))) == language


def test_the_csv_opens_in_excel_as_utf8_and_shows_hidden_figures_as_the_mark() -> None:
    data = render_csv(small_document("ja"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    with translation.override("ja"):  # the header is in the report's language
        header = [gettext("Section"), gettext("Row"), gettext("Column"), gettext("Value")]
    assert header != ["Section", "Row", "Column", "Value"]
    assert rows[0] == header
    assert ["相談の分類別件数", "パスポートの取り上げ", "2026 Q2", HIDDEN_MARK] in rows
    assert ["Red-flag rate", "Total", "%", "12.5 %"] in rows


def test_the_csv_keeps_a_formula_like_label_as_text() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(small_document("en")).decode("utf-8-sig"))))
    labels = {row[1] for row in rows}
    assert "'" + FORMULA_LABEL in labels
    assert FORMULA_LABEL not in labels


def test_the_xlsx_has_a_cover_and_one_sheet_per_section_with_numbers_as_numbers() -> None:
    workbook = load_workbook(io.BytesIO(render_xlsx(small_document("ja"))))
    with translation.override("ja"):  # the cover sheet is named in the report's language
        cover_name = gettext("Report")
    assert cover_name != "Report"
    assert workbook.sheetnames == [cover_name, "相談の分類別件数", "Red-flag rate"]
    cover = [cell for row in workbook[cover_name].iter_rows(values_only=True) for cell in row if cell]
    assert "さくら食品株式会社" in cover
    assert "5人未満に関わる数値は表示しません。" in cover
    rows = list(workbook["相談の分類別件数"].iter_rows(values_only=True))
    assert rows[1] == ("分類", "2026 Q2", "2026 Q3")
    assert rows[2] == ("賃金の未払い", 12, 9)
    assert rows[4] == ("パスポートの取り上げ", HIDDEN_MARK, 7)
    assert rows[6][0] == "'" + FORMULA_LABEL  # text, not a formula


def test_sheet_names_are_short_legal_and_unique() -> None:
    long = "サプライチェーン各社の相談件数と自己診断の回答率および赤信号率の推移"
    names = sheet_names([long, long, "Rates: a/b [%]", "rates: A/B [%]", ""])
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)
    assert not any(char in name for name in names for char in "[]:*?/\\")
    assert names[1].endswith("(2)")


def page_texts(data: bytes) -> list[str]:
    """Each page's text without white space (a long name wraps at a space or inside a URL)."""
    pdf = pdfium.PdfDocument(data)
    return ["".join(pdf[index].get_textpage().get_text_range().split()) for index in range(len(pdf))]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_after_the_cover_is_headed_by_the_organisation_and_the_quarter(language: str) -> None:
    doc = small_document(language)
    running_title = "".join(f"さくら食品株式会社 · {doc.period.label}".split())
    cover, *others = page_texts(render_pdf(doc))
    assert running_title not in cover  # the cover has its own title
    assert others and all(running_title in text for text in others)


def test_an_organisation_name_with_markup_attaches_no_file_fetches_nothing_and_is_printed_as_text(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret")
    with listening_server() as (server, hits):
        name = hostile_name(server, secret)
        data = render_pdf(small_document("en", organization_name=name))
    assert attachments(data) == []
    assert hits == []
    printed, pages = "".join(name.split()), page_texts(data)
    assert printed in pages[0]  # the cover's "Organisation"
    assert all(f"{printed}·" in text for text in pages[1:])  # and the running title, as text
    assert "".join(pages).count("FORGED") == "".join(pages).count(printed)  # no heading of its own
