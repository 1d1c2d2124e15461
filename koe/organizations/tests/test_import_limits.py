"""Workbooks built to exhaust the server: a zip bomb is refused before anything is unpacked."""

import io
import time
import zipfile
from collections.abc import Sequence

import pytest
from django.utils import translation
from openpyxl import Workbook

from koe.organizations import import_files
from koe.organizations.import_files import FileRefused, read_rows

SHEET_START = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c t="inlineStr"><is><t>corporate_number</t></is></c>'
    b'<c t="inlineStr"><is><t>name</t></is></c><c t="inlineStr"><is><t>tier</t></is></c>'
    b'<c t="inlineStr"><is><t>parent</t></is></c></row>'
)


def workbook_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bomb(rows: int, columns: int) -> bytes:
    """A real workbook whose sheet is replaced by rows of ``columns`` identical cells (as in
    /tmp/sec/mkbomb.py): a few kilobytes that unpack to megabytes."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([["x"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for entry in source.infolist():
            if entry.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entry.filename, source.read(entry))
        line = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_START + line * rows + b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_workbook_that_unpacks_a_hundred_times_its_size_is_refused_at_once() -> None:
    data = bomb(rows=200, columns=2000)  # about 3 MB of XML in some 10 KB
    started = time.perf_counter()
    with pytest.raises(FileRefused) as refused:
        read_rows(data)
    with translation.override("en"):  # the message, read in English
        assert "unpacks to far more data" in str(refused.value.message)
    assert time.perf_counter() - started < 0.5


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = workbook_bytes([["corporate_number", "name", "tier", "parent"], ["7010001000000", "A", 1, ""]])
    unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist())
    monkeypatch.setattr(import_files, "MAX_UNPACKED_BYTES", unpacked - 1)
    with pytest.raises(FileRefused):
        read_rows(data)
    monkeypatch.setattr(import_files, "MAX_UNPACKED_BYTES", unpacked)
    assert len(read_rows(data)) == 1


def test_a_full_workbook_of_twenty_thousand_companies_is_not_mistaken_for_a_bomb() -> None:
    header = ["corporate_number", "name", "tier", "parent", "prefecture", "industry", "foreign", "address"]
    rows = [
        [f"{7010001000000 + i}", f"Company {i}", 1, "", "13", "E", 0, "Chiyoda 1-1"] for i in range(20_000)
    ]
    assert len(read_rows(workbook_bytes([header, *rows]))) == 20_000


def test_only_the_first_twelve_columns_of_a_workbook_are_read() -> None:
    header: list[object] = ["corporate_number", "name", "tier", "parent", *[f"extra {i}" for i in range(20)]]
    table = import_files.table_of(workbook_bytes([header, ["7010001000000", "A", 1, "", *range(20)]]))
    assert [len(row) for row in table] == [12, 12]
