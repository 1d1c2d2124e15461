"""A ReportDocument as a PDF, a CSV and an XLSX file: pure functions of the document.

The renderers never count or suppress: every figure is already suppressed by the builder
(``koe.reports.dashboard``), and a hidden one (``None``) is written as ``HIDDEN_MARK`` in every
output, with ``SUPPRESSION_LEGEND`` explaining it. Each renders in the document's own language,
whatever the language of the request or task that asked for it.
"""

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koe.core.pdf import css_string, html_to_pdf
from koe.core.spreadsheet import defused_cell
from koe.reports.charts import chart_svg
from koe.reports.document import HIDDEN_MARK, SUPPRESSION_LEGEND, ReportDocument, Section, format_value

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Japanese first for a Japanese report (CJK code points otherwise fall to the Chinese face);
# the other face stays as a fallback so a Japanese company name renders in the English report,
# and the scripts of the workers' languages (named in the by-language tables) follow.
OTHER_SCRIPTS = '"Noto Sans Myanmar", "Noto Sans Devanagari", "Noto Sans Khmer", "Noto Sans Thai", sans-serif'
FONTS = {
    "ja": f'"Noto Sans CJK JP", "Noto Sans", {OTHER_SCRIPTS}',
    "en": f'"Noto Sans", "Noto Sans CJK JP", {OTHER_SCRIPTS}',
}
SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
SHEET_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


def suppression_legend() -> str:
    return str(SUPPRESSION_LEGEND) % {"mark": HIDDEN_MARK}


def page_counter_css() -> str:
    """The footer's "Page 2 of 9" as a CSS ``content`` value, from one translatable sentence, so
    that each language orders the words and numbers as it needs."""
    sentence = _("Page %(page)s of %(pages)s") % {"page": "\0page\0", "pages": "\0pages\0"}
    parts = []
    for index, piece in enumerate(sentence.split("\0")):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def _section_context(section: Section) -> dict[str, object]:
    rows = [(row.label, [format_value(value, section.unit) for value in row.values]) for row in section.rows]
    return {"section": section, "rows": rows, "chart": chart_svg(section.chart) if section.chart else ""}


def render_pdf(doc: ReportDocument) -> bytes:
    """An A4 PDF: a cover, one part per section (chart, table, note) and the methodology.

    The running title (organisation and quarter) is an HTML element that CSS ``string-set``
    copies into the page header, so the name is escaped by Django like any other text and never
    written into the style sheet; ``html_to_pdf`` fetches nothing outside the document."""
    with translation.override(doc.language):
        html = render_to_string(
            "quarterly/report_pdf.html",
            {
                "doc": doc,
                "sections": [_section_context(section) for section in doc.sections],
                "legend": suppression_legend(),
                "hidden_mark": HIDDEN_MARK,
                "fonts": FONTS.get(doc.language, FONTS["en"]),
                "page_counter": page_counter_css(),
                "generated": date_format(doc.generated_at, "DATE_FORMAT"),
            },
        )
    return html_to_pdf(html)


def _csv_rows(doc: ReportDocument) -> Iterator[list[str]]:
    yield [_("Section"), _("Row"), _("Column"), _("Value")]
    for section in doc.sections:
        for row in section.rows:
            for column, value in zip(section.columns, row.values, strict=True):
                yield [section.title, row.label, column, format_value(value, section.unit)]


def render_csv(doc: ReportDocument) -> bytes:
    """One figure per line (section, row, column, value), UTF-8 with a byte-order mark so that
    Excel in Japan reads it as UTF-8 rather than Shift_JIS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(doc.language):
        for line in _csv_rows(doc):
            writer.writerow([defused_cell(cell) for cell in line])
    return "\ufeff".encode() + buffer.getvalue().encode()


def sheet_names(titles: list[str]) -> list[str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = title.translate(SHEET_FORBIDDEN).strip().strip("'") or "Sheet"
        name, number = base[:SHEET_NAME_LIMIT], 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def render_xlsx(doc: ReportDocument) -> bytes:
    """A cover sheet (scope, period, legend, methodology), then one sheet per section; figures are
    numbers, a hidden one is the mark as text."""
    from openpyxl import Workbook

    workbook = Workbook()
    with translation.override(doc.language):
        names = sheet_names([_("Report"), *(section.title for section in doc.sections)])
        cover = workbook.active
        cover.title = names[0]
        _fill_cover(cover, doc)
        for name, section in zip(names[1:], doc.sections, strict=True):
            _fill_section(workbook.create_sheet(name), section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_cover(sheet: "Worksheet", doc: ReportDocument) -> None:
    lines = [
        [defused_cell(doc.title)],
        [_("Organisation"), defused_cell(doc.organization_name)],
        [_("Scope"), defused_cell(doc.scope_label)],
        [_("Period"), doc.period.label, doc.period.start, doc.period.end],
        [_("Generated"), timezone.localtime(doc.generated_at).replace(tzinfo=None)],  # Excel: no zones
        [],
        [_("Methodology")],
        [suppression_legend()],
        *([defused_cell(paragraph)] for paragraph in doc.methodology),
    ]
    for line in lines:
        sheet.append(line)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60


def _fill_section(sheet: "Worksheet", section: Section) -> None:
    sheet.append([defused_cell(section.title)])
    sheet.append([defused_cell(section.row_header), *(defused_cell(column) for column in section.columns)])
    for row in section.rows:
        values = [HIDDEN_MARK if value is None else value for value in row.values]
        sheet.append([defused_cell(row.label), *values])
    if section.note:
        sheet.append([])
        sheet.append([defused_cell(section.note)])
    sheet.column_dimensions["A"].width = 40
