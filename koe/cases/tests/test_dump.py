"""A database dump alone reveals nothing a worker or the desk wrote (PRODUCT.md rule 4).

A case is filled with a distinctive sentence in every place where words can be written (the
account, the employer as named, the contact, messages both ways, an internal note, a reason, the
summary for companies, the outcome, the satisfaction comment, a file, a self-check's free-text
answer, a draft and an alert's contact request); then every column of every table is read back,
raw, and so is every stored file, and none of the sentences may be found. On PostgreSQL the
database is also dumped with ``pg_dump`` and the dump searched.
"""

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from koe.cases.attachments import CleanFile
from koe.cases.models import Case, CaseStatus, ContactMethod, RemedyType, Satisfaction
from koe.cases.services import (
    alert_request_contact,
    case_open,
    case_record_outcome,
    case_satisfaction_record,
    case_summary_for_company_set,
    case_transition,
    internal_note_add,
)
from koe.cases.services.cases import attachment_read, desk_reply_send, worker_reply_send
from koe.cases.testing import RED_FLAG_ANSWERS, submitted_response
from koe.core.testing.personas import Personas, build_personas
from koe.surveys.services import questionnaire_version_load, response_save_answers, response_start
from koe.surveys.testing import small_document

MARKERS = {
    "account": "Tanaka-san took my passport 7731",
    "employer_named": "Kurosawa Pickles Yard 4482",
    "contact_detail": "080-7731-4482 ask for Nguyen Thi Lan",
    "worker_message": "They lock the dorm door at night 5519",
    "desk_message": "Bring the payslip of October 9923 to Ueno",
    "note": "Worker is afraid of broker Hoang 3317",
    "reason": "Confirmed with the worker by phone 6604",
    "summary": "Passport withheld at tier-1 site 2290",
    "outcome": "Passport returned on 12 March 8812",
    "satisfaction": "Thank you Sato-sensei 4410",
    "file": "Payslip of Pham Van Duc 1187",
    "self_check": "田中さんが私のパスポートを取った 7731",
    "draft": "Draft answer about deductions 6651",
    "alert_contact": "LINE id lan-hoa-5581",
    "alert_message": "Call me after the night shift 2207",
}


def pdf(words: str) -> CleanFile:
    return CleanFile(f"%PDF-1.4\n% {words}\n%%EOF".encode(), "application/pdf", "pdf")


def case_with_every_kind_of_text(personas: Personas) -> Case:
    case = case_open(
        language="vi", account=MARKERS["account"], worker=personas.worker, employer=personas.org_a1,
        employer_named=MARKERS["employer_named"], contact_method=ContactMethod.PHONE,
        contact_detail=MARKERS["contact_detail"],
    )  # fmt: skip
    assert isinstance(case, Case)
    worker_reply_send(case=case, body=MARKERS["worker_message"], files=[pdf(MARKERS["file"])])
    desk_reply_send(case=case, body=MARKERS["desk_message"], actor=personas.consultant, files=[])
    internal_note_add(case=case, actor=personas.consultant, body=MARKERS["note"])
    case_transition(
        case=case, to_status=CaseStatus.ACKNOWLEDGED, actor=personas.consultant, reason=MARKERS["reason"]
    )
    case_summary_for_company_set(case=case, text=MARKERS["summary"], actor=personas.consultant)
    case_record_outcome(
        case=case, outcome=MARKERS["outcome"], remedy_type=RemedyType.APOLOGY, actor=personas.consultant,
        resolve=True,
    )  # fmt: skip
    return case_satisfaction_record(case=case, satisfaction=Satisfaction.YES, comment=MARKERS["satisfaction"])


def self_check_with_free_text() -> None:
    response = submitted_response({**RED_FLAG_ANSWERS, "anything_else": MARKERS["self_check"]})
    alert_request_contact(
        alert=response.alert, method="messaging", detail=MARKERS["alert_contact"],
        message=MARKERS["alert_message"], shared_items=["anything_else"],
    )  # fmt: skip
    version = questionnaire_version_load(document=small_document(), publish=True)
    draft = response_start(version=version, language="vi")
    response_save_answers(response=draft, answers={"anything_else": MARKERS["draft"]}, item_codes=[])


def as_texts(value: Any) -> Iterator[str]:
    """A stored value as text, in every form a marker could take in it."""
    if value is None:
        return
    if isinstance(value, memoryview | bytes | bytearray):
        yield bytes(value).decode("utf-8", "replace")
        return
    if isinstance(value, dict | list):  # PostgreSQL's jsonb, already parsed
        yield json.dumps(value, ensure_ascii=False)
        return
    text = str(value)
    yield text
    if text[:1] in '[{"':  # JSON kept as text (SQLite) escapes all but ASCII
        with contextlib.suppress(ValueError):
            yield json.dumps(json.loads(text), ensure_ascii=False)


def every_stored_value() -> Iterator[tuple[str, str, str]]:
    """(table, column, value as text) for every column of every row of every table."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name for column in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    for text in as_texts(value):
                        yield table, column, text


def found(texts: Iterator[tuple[str, str, str]], needles: list[str]) -> list[tuple[str, str, str]]:
    return [(table, column, needle) for table, column, text in texts for needle in needles if needle in text]


def every_stored_file() -> Iterator[tuple[str, str, str]]:
    folders = [""]
    while folders:
        folder = folders.pop()
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}/{name}".lstrip("/") for name in subfolders]
        for name in files:
            path = f"{folder}/{name}".lstrip("/")
            with default_storage.open(path, "rb") as stored:
                yield "storage", path, stored.read().decode("utf-8", "replace")


@pytest.mark.django_db
def test_no_column_of_any_table_and_no_stored_file_holds_what_was_written(personas: Personas) -> None:
    # The in-memory storage outlives each test: look only at the files this test stores.
    earlier = {path for _, path, _ in every_stored_file()}
    case = case_with_every_kind_of_text(personas)
    self_check_with_free_text()
    # The test's own premises: the words are really kept, and the search would see a plain value.
    case.refresh_from_db()
    assert case.account == MARKERS["account"] and case.outcome == MARKERS["outcome"]
    assert MARKERS["file"].encode() in attachment_read(case.attachments.get())
    assert found(every_stored_value(), [case.number]), "the scan must see plain columns"
    assert case.attachments.get().stored_name in [path for _, path, _ in every_stored_file()]

    assert found(every_stored_value(), list(MARKERS.values())) == []
    new_files = [entry for entry in every_stored_file() if entry[1] not in earlier]
    assert new_files, "the test stored a file"
    assert found(iter(new_files), list(MARKERS.values())) == []


def pg_dump_text() -> str:
    settings = connection.settings_dict
    command = ["pg_dump", "--no-owner", "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    return subprocess.run(command, env=env, capture_output=True, check=True, text=True).stdout  # noqa: S603


@pytest.mark.django_db(transaction=True)  # pg_dump is another session: it sees committed rows only
def test_a_pg_dump_of_the_database_holds_none_of_what_was_written() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL: run with DATABASE_URL set to check a real dump.")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not on PATH: the database dump was NOT checked.")
    case = case_with_every_kind_of_text(build_personas())
    self_check_with_free_text()

    dump = pg_dump_text()

    assert case.number in dump, "the dump must hold the plain columns"
    assert [name for name, marker in MARKERS.items() if marker in dump] == []
