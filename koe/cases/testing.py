"""Alerts and cases for tests: a self-check sheet with red flags, submitted through the real
services, and a consultation logged by the desk."""

from typing import Any

from koe.cases.models import Alert, Case, Category, ContactMethod, IntakeChannel
from koe.cases.services import (
    alert_request_contact,
    case_open,
    desk_message_post,
    internal_note_add,
    worker_message_post,
)
from koe.surveys.models import Response
from koe.surveys.services import (
    questionnaire_version_load,
    response_save_answers,
    response_start,
    response_submit,
)
from koe.surveys.testing import small_document

# Hit (critical), passport kept and no access to it (a critical combination rule), 120 hours of
# overtime (urgent), a free-text answer.
RED_FLAG_ANSWERS: dict[str, Any] = {
    "passport_kept": "yes",
    "passport_back": "no",
    "hit": "yes",
    "deductions": ["housing", "savings"],
    "overtime": 120,
    "anything_else": "The supervisor shouts at me every night",
}
CLEAN_ANSWERS: dict[str, Any] = {"passport_kept": "no", "hit": "no", "overtime": 10}
# A worker who wants a call and shows an answer of each kind (yes/no, choices, number, text).
SHARED_CONTACT: dict[str, Any] = {
    "method": "phone",
    "detail": "090-1234-5678",
    "message": "Please call after 8 pm",
    "shared_items": ["hit", "deductions", "overtime", "anything_else"],
}


def submitted_response(answers: dict[str, Any], *, worker: Any = None, language: str = "vi") -> Response:
    version = questionnaire_version_load(document=small_document(), publish=True)
    response = response_start(version=version, language=language, worker=worker)
    response_save_answers(response=response, answers=answers, item_codes=[])
    return response_submit(response_id=response.pk)


def desk_alert(holder: Any = None, **contact: Any) -> Alert:
    """An alert for an anonymous red-flag sheet. With ``holder`` (a test's personas), made once and
    kept on it, so a page's URL can be asked for again and again in one test."""
    if holder is not None and hasattr(holder, "_desk_alert"):
        return holder._desk_alert
    alert = submitted_response(RED_FLAG_ANSWERS).alert
    if contact:
        alert = alert_request_contact(alert=alert, **contact)
    if holder is not None:
        holder._desk_alert = alert
    return alert


def desk_case(personas: Any) -> Case:
    """A phone consultation logged by the personas' consultant, with a message each way and an
    internal note. Made once and kept on ``personas``, so its URLs can be asked for repeatedly."""
    if hasattr(personas, "_desk_case"):
        return personas._desk_case
    case = case_open(
        language="vi", account="My employer keeps my passport", channel=IntakeChannel.PHONE,
        categories=[Category.RETAINED_DOCUMENTS], logged_by=personas.consultant,
        contact_method=ContactMethod.PHONE, contact_detail="090-1234-5678",
    )  # fmt: skip
    assert isinstance(case, Case)
    worker_message_post(case=case, body="Can you help me?")
    desk_message_post(case=case, body="We will call you tonight.", actor=personas.consultant)
    internal_note_add(case=case, actor=personas.consultant, body="Call after 8 pm")
    personas._desk_case = case
    return case


def real_pdf(text: bytes = b"my payslip for October", author: bytes = b"Nguyen Van A") -> bytes:
    """A small but valid one-page PDF with a line of text and an author in its metadata, built by
    hand so that tests need no PDF library to make one."""
    content = b"BT /F1 12 Tf 20 100 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Author (" + author + b") /Creator (Phone scanner) >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    return out + trailer % (len(objects) + 1, xref)
