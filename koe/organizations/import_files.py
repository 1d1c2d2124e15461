"""Reading a supply-chain file (CSV or XLSX) into rows of text, before any row is judged.

What Japanese offices actually send: CSV saved by Excel in Shift_JIS (cp932) or UTF-8 with or
without a byte-order mark, or an Excel workbook; headers in Japanese or English. Anything else
(an old .xls, UTF-16 text, a PDF, an empty file, a file over the limits) is refused here with a
message that says what to do, so that the background job only ever sees readable rows.
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# A workbook is a zip: 5 MB of it can unpack to gigabytes of XML ("zip bomb"). Real supplier lists
# of 20,000 rows unpack to a few MB and compress about ten to one.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_COLUMNS = 12  # more than the template's eight columns; anything further right is ignored

# Field -> header spellings accepted (compared after ``header_key``). The first is the one the
# template uses in English; Japanese spellings follow what Japanese supplier lists commonly use.
HEADERS: dict[str, tuple[str, ...]] = {
    "corporate_number": ("corporate_number", "corporate number", "corporate no", "法人番号"),
    "name": ("name", "company name", "company", "名称", "会社名", "企業名", "法人名", "商号"),
    "tier": ("tier", "階層", "ティア", "次数"),
    "parent": (
        "parent_corporate_number", "parent corporate number", "parent", "parent number",
        "親会社法人番号", "親法人番号", "親会社", "納入先法人番号", "上位法人番号",
    ),
    "prefecture": ("prefecture", "prefecture code", "都道府県", "都道府県コード"),
    "industry": ("industry", "industry code", "業種", "業種コード", "産業分類"),
    "is_foreign": ("foreign", "foreign entity", "is_foreign", "外国法人", "海外法人"),
    "address": ("address", "所在地", "住所"),
}  # fmt: skip
REQUIRED_FIELDS = ("corporate_number", "name", "tier", "parent")
JAPANESE_HEADERS = {
    "corporate_number": "法人番号", "name": "名称", "tier": "階層", "parent": "親会社法人番号",
    "prefecture": "都道府県コード", "industry": "業種コード", "is_foreign": "外国法人", "address": "所在地",
}  # fmt: skip

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


class FileRefused(ValueError):
    """The file cannot be read as a supply-chain list; ``message`` says why, in the user's words."""

    def __init__(self, message: Promise | str):
        super().__init__(str(message))
        self.message = message


@dataclass
class RawRow:
    number: int  # the row number the spreadsheet shows (the header is row 1)
    values: dict[str, str] = field(default_factory=dict)


def header_key(text: str) -> str:
    """Full-width letters, case, spaces, underscores and brackets do not matter in a header."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        character for character in text if character not in " _-・()"
    )  # after NFKC: ASCII brackets and spaces


_HEADER_LOOKUP = {header_key(spelling): name for name, spellings in HEADERS.items() for spelling in spellings}


def cell_text(value: Any) -> str:
    """A cell as the text a person typed. Excel keeps a 13-digit number as an exact integer."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Shift_JIS as Windows writes it (cp932)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(
        _(
            "The file's characters could not be read. Please save it as CSV UTF-8 or as an Excel workbook (.xlsx)."
        )
    )


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return _limited(
            [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
        )
    except csv.Error as error:
        raise FileRefused(_("This file is not a CSV file that Koe can read.")) from error


NOT_A_WORKBOOK = _("This file is not an Excel workbook that Koe can read.")
TOO_MUCH_INSIDE = _(
    "This Excel workbook unpacks to far more data than a supplier list holds. "
    "Please save the list as CSV UTF-8, or copy it into a new workbook."
)


def _refuse_bomb(data: bytes) -> None:
    """Looks at the sizes the zip declares before anything is unpacked.

    A declared size could lie, but openpyxl's zip reader stops at the declared size (and checks the
    CRC), so a lie only makes the file unreadable, not bigger."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRefused(NOT_A_WORKBOOK) from error
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise FileRefused(TOO_MUCH_INSIDE)
    for entry in entries:
        if entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
            raise FileRefused(TOO_MUCH_INSIDE)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    _refuse_bomb(data)
    # Imported here: openpyxl is only needed for workbooks, and it is slow to import.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise FileRefused(NOT_A_WORKBOOK) from error
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append([cell_text(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return _limited(rows)
    finally:
        workbook.close()


def _limited(rows: list[list[str]]) -> list[list[str]]:
    if len(rows) > MAX_ROWS + 1:
        raise FileRefused(_("This file has more than 20,000 rows. Please split it into smaller files."))
    return rows


def table_of(data: bytes) -> list[list[str]]:
    """The file's cells as text, row by row, whatever its kind."""
    if not data.strip():
        raise FileRefused(_("This file is empty."))
    if len(data) > MAX_BYTES:
        raise FileRefused(_("This file is larger than 5 MB. Please split it into smaller files."))
    if data.startswith(ZIP_MAGIC):
        return _xlsx_rows(data)
    if data.startswith(OLE_MAGIC):
        raise FileRefused(_("This is an old Excel file (.xls). Please save it as .xlsx or as CSV UTF-8."))
    if b"\x00" in data:
        raise FileRefused(_("This file is not a CSV or Excel file. Please save it as CSV UTF-8 or as .xlsx."))
    return _csv_rows(data)


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        name = _HEADER_LOOKUP.get(header_key(text))
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED_FIELDS if name not in columns]
    if missing:
        raise FileRefused(
            _(
                "The first row must name the columns. Missing: %(columns)s. "
                "Download the template to see the expected columns."
            )
            % {"columns": ", ".join(JAPANESE_HEADERS[name] + " / " + HEADERS[name][0] for name in missing)}
        )
    return columns


def read_rows(data: bytes) -> list[RawRow]:
    """The data rows of a supply-chain file, empty rows left out (their numbers are kept)."""
    table = table_of(data)
    header_index = next((index for index, row in enumerate(table) if any(row)), None)
    if header_index is None:
        raise FileRefused(_("This file is empty."))
    columns = _columns(table[header_index])
    rows = []
    for index, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        if not any(cells):
            continue
        values = {name: cells[column] if column < len(cells) else "" for name, column in columns.items()}
        rows.append(RawRow(number=index, values=values))
    if not rows:
        raise FileRefused(_("This file has a header row but no companies below it."))
    return rows


def template_csv(japanese: bool) -> str:
    """A template with example rows: a tier-1 supplier and its own tier-2 supplier."""
    names = list(HEADERS)
    header = [JAPANESE_HEADERS[name] if japanese else HEADERS[name][0] for name in names]
    examples = [
        ["7010001000000", "Example Packing", "1", "", "13", "E", "0", ""],
        ["6010001000001", "Example Farm", "2", "7010001000000", "01", "A", "0", ""],
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(examples)
    return buffer.getvalue()
