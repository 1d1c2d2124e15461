"""Files at the desk, as the worker and the consultant use them: photos lose every trace of where
and how they were taken, only photos and plain PDFs are accepted, whatever their name says, files
are stored encrypted, and only the case's worker and the desk can download them."""

import io
import uuid
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from koe.audit.models import AuditEntry
from koe.cases.models import Attachment, Case, ContactMethod
from koe.cases.services import case_open
from koe.cases.services.cases import attachment_read
from koe.cases.testing import real_pdf
from koe.core.testing.personas import Personas, make_user, verified_client

pytestmark = pytest.mark.django_db

PIN = "482913"
GPS_IFD = 0x8825
GPS_LATITUDE = 2
ARTIST = 0x013B


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[ARTIST] = "Nguyen Van A"
    exif.get_ifd(GPS_IFD)[GPS_LATITUDE] = (35.0, 41.0, 22.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test's own premise
    return data


PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
)
PLAIN_PDF = real_pdf()


def upload(data: bytes, name: str = "IMG_20261101_Nguyen.jpg", content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def intake(client: Client, *files: Any, **extra: Any) -> Any:
    data = {
        "account": "My payslip shows deductions I never agreed to.",
        "category": "wages",
        "employer_named": "",
        "contact_method": ContactMethod.NONE,
        "contact_detail": "",
        "pin": PIN,
        "pin_again": PIN,
        "intake_key": str(uuid.uuid4()),
        "attachments": list(files),
    }
    return client.post("/en/consult/", data | extra)


def stored_bytes(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.stored_name, "rb") as stored:
        return stored.read()


def test_a_photo_sent_with_gps_comes_back_with_no_metadata_under_a_generic_name() -> None:
    client = Client()
    response = intake(client, upload(jpeg_with_gps()))
    assert response.status_code == 200
    case = Case.objects.get()
    attachment = case.attachments.get()
    downloaded = client.get(f"/en/consult/{case.public_id}/files/{attachment.public_id}/")
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"] == 'attachment; filename="photo-1.jpg"'
    assert downloaded["X-Content-Type-Options"] == "nosniff"
    photo = Image.open(io.BytesIO(downloaded.content))
    assert photo.format == "JPEG" and photo.size == (64, 48)
    assert len(photo.getexif()) == 0
    assert b"Exif" not in downloaded.content and b"Nguyen" not in downloaded.content
    assert "Nguyen" not in client.get(f"/en/consult/{case.public_id}/").content.decode()


def test_a_file_named_jpg_that_is_really_html_is_refused_and_what_was_typed_is_kept() -> None:
    html = b"<html><script>alert(1)</script></html>"
    response = intake(Client(), upload(jpeg_with_gps()), upload(html, "payslip.jpg"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "File 2 is not a photo or a PDF." in page
    assert "My payslip shows deductions I never agreed to." in page
    assert not Case.objects.exists()


def test_a_pdf_is_kept_only_as_pictures_of_its_pages_without_its_metadata_or_text() -> None:
    assert b"Nguyen Van A" in PLAIN_PDF and b"my payslip" in PLAIN_PDF
    assert intake(Client(), upload(PLAIN_PDF, "contract.pdf")).status_code == 200
    kept = attachment_read(Attachment.objects.get())
    assert kept.startswith(b"%PDF-")
    assert b"Nguyen Van A" not in kept and b"my payslip" not in kept and b"Phone scanner" not in kept


def test_a_pdf_with_javascript_is_refused_and_a_plain_one_accepted() -> None:
    refused = intake(Client(), upload(PDF_WITH_SCRIPT, "contract.pdf", "application/pdf"))
    assert refused.status_code == 400
    assert "File 1 is a PDF with scripts" in refused.content.decode()
    hidden = PDF_WITH_SCRIPT.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS", b"/J#53")
    assert intake(Client(), upload(hidden, "contract.pdf")).status_code == 400
    assert intake(Client(), upload(PLAIN_PDF, "contract.pdf")).status_code == 200
    assert Attachment.objects.get().display_name == "document-1.pdf"


@override_settings(KOE_ATTACHMENT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused() -> None:
    response = intake(Client(), upload(PLAIN_PDF + b" " * 1000, "contract.pdf"))
    assert response.status_code == 400
    assert "File 1 is too large." in response.content.decode()


def test_a_picture_of_too_many_pixels_is_refused_rather_than_opened() -> None:
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")  # tiny file, 144 million pixels
    response = intake(Client(), upload(out.getvalue(), "photo.png", "image/png"))
    assert response.status_code == 400
    assert "File 1 is a picture too large to open." in response.content.decode()


def test_stored_files_are_encrypted() -> None:
    intake(Client(), upload(jpeg_with_gps()), upload(PLAIN_PDF, "payslip.pdf"))
    photo, pdf = Attachment.objects.order_by("pk")
    # Markers as they stand in the files, with bytes that base64 never writes ("\x00", "%"): a
    # bare "PDF" turns up by chance in a long enough ciphertext, which proves nothing.
    assert b"\xff\xd8\xff" not in stored_bytes(photo) and b"JFIF\x00" not in stored_bytes(photo)
    assert b"%PDF-" not in stored_bytes(pdf) and b"payslip" not in stored_bytes(pdf)
    assert stored_bytes(photo).startswith(b"koe1:") and stored_bytes(pdf).startswith(b"koe1:")


def test_the_desk_and_the_worker_send_files_both_ways(personas: Personas) -> None:
    case = case_open(language="vi", account="Late pay", worker=personas.worker)
    assert isinstance(case, Case)
    worker = Client()
    worker.force_login(personas.worker)
    consultant = verified_client(personas.consultant)
    reply = {"body": "Here is the contract.", "attachments": [upload(PLAIN_PDF, "contract.pdf")]}
    assert consultant.post(f"/en/desk/cases/{case.public_id}/reply/", reply).status_code == 302
    answer = {"body": "And my payslip.", "attachments": [upload(jpeg_with_gps())]}
    assert worker.post(f"/en/consult/{case.public_id}/", answer).status_code == 302
    names = [a.display_name for a in case.attachments.order_by("pk")]
    assert names == ["document-1.pdf", "photo-1.jpg"]
    assert "document-1.pdf" in worker.get(f"/en/consult/{case.public_id}/").content.decode()
    assert "photo-1.jpg" in consultant.get(f"/en/desk/cases/{case.public_id}/").content.decode()


def test_nobody_else_downloads_a_file_and_each_desk_download_is_audited(personas: Personas) -> None:
    owner = Client()
    intake(owner, upload(jpeg_with_gps()))
    case = Case.objects.get()
    attachment = case.attachments.get()
    worker_url = f"/en/consult/{case.public_id}/files/{attachment.public_id}/"
    desk_url = f"/en/desk/cases/{case.public_id}/files/{attachment.public_id}/"
    other_worker = Client()
    other_worker.force_login(make_user("another_worker", "worker"))
    for stranger in (
        Client(),
        other_worker,
        verified_client(personas.user_a),
        verified_client(personas.expert),
    ):
        assert stranger.get(worker_url).status_code == 404
    assert verified_client(personas.user_a).get(desk_url).status_code == 404
    wrong_file = f"/en/consult/{case.public_id}/files/{uuid.uuid4()}/"
    assert owner.get(wrong_file).status_code == 404
    consultant = verified_client(personas.consultant)
    assert consultant.get(desk_url).status_code == 200
    audited = AuditEntry.objects.filter(action="case.attachment_download", actor_id=personas.consultant.pk)
    assert audited.count() == 1
    assert str(attachment.public_id) in str(audited.get().detail)
