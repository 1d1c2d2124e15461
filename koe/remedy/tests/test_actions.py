"""The company's corrective action: recorded on a shared case, moved plan → do → check and
act → closed with its history (who, when), refused steps that do not follow, evidence files
cleaned of their metadata and stored encrypted, and overdue actions flagged in words."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from koe.audit.models import AuditEntry
from koe.cases.models import Satisfaction
from koe.cases.tests.test_attachments import GPS_IFD, jpeg_with_gps
from koe.core.testing.personas import Personas
from koe.remedy.models import ActionStatus, CorrectiveAction, EvidenceFile, ReviewDecision
from koe.remedy.services import (
    ActionRefused,
    action_review,
    action_transition,
    worker_answer_record,
)
from koe.remedy.testing import action_of, shared_case, worker_case
from koe.remedy.tests.helpers import action_url, as_user, page, url

pytestmark = pytest.mark.django_db
S = ActionStatus


def test_a_company_user_records_an_action_with_an_owner_from_their_company(personas: Personas) -> None:
    case = shared_case(personas)
    client = as_user(personas, "user_a")
    data = {"plan": "Give back every passport", "owner_user": personas.admin_a.pk, "due_date": "2030-05-01"}
    response = client.post(url("company_action_new", case.number), data)
    action = CorrectiveAction.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(action_url(action))
    assert (action.organization, action.owner_user, action.status) == (
        personas.org_a,
        personas.admin_a,
        S.PLAN,
    )
    html = page(client, action_url(action))
    assert "Give back every passport" in html and "admin_a" in html and "Action recorded" in html
    assert b"passport" not in _raw_plan(action)  # encrypted at rest


def _raw_plan(action: CorrectiveAction) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT plan FROM remedy_correctiveaction WHERE id = %s", [action.pk])
        return str(cursor.fetchone()[0]).encode()


def test_an_action_needs_an_owner_and_a_due_date(personas: Personas) -> None:
    case = shared_case(personas)
    response = as_user(personas, "user_a").post(url("company_action_new", case.number), {"plan": "Train"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose an owner or write the owner&#x27;s name." in html and "Give a due date." in html
    assert not CorrectiveAction.objects.exists()


def test_an_owner_from_another_company_cannot_be_chosen(personas: Personas) -> None:
    case = shared_case(personas)
    data = {"plan": "Train", "owner_user": personas.admin_b.pk, "due_date": "2030-05-01"}
    assert as_user(personas, "user_a").post(url("company_action_new", case.number), data).status_code == 400


def test_the_company_moves_its_action_through_pdca_and_each_step_is_in_the_history(
    personas: Personas,
) -> None:
    action = action_of(personas)
    client = as_user(personas, "user_a")
    for step in (S.DO, S.CHECK):
        assert (
            client.post(action_url(action, "company_action_status"), {"to_status": step}).status_code == 302
        )
    action_review(action=action, decision=ReviewDecision.ACCEPTED, comment="", actor=personas.consultant)
    worker_answer_record(action=action, answer=Satisfaction.YES)
    client.post(action_url(action, "company_action_status"), {"to_status": S.CLOSED})
    action.refresh_from_db()
    assert action.status == S.CLOSED and action.closed_at is not None
    steps = [(e.from_status, e.to_status, e.actor, e.by_worker) for e in action.events.filter(kind="status")]
    assert steps == [
        ("plan", "do", personas.user_a, False), ("do", "check", personas.user_a, False),
        ("check", "act", None, True), ("act", "closed", personas.user_a, False),
    ]  # fmt: skip
    html = page(client, action_url(action))
    assert "Status: Check → Act" in html and "by the worker's answer" in html and "by user_a" in html


@pytest.mark.parametrize(
    ("start", "to_status"),
    [
        (S.PLAN, S.CHECK),
        (S.PLAN, S.CLOSED),
        (S.DO, S.ACT),
        (S.DO, S.CLOSED),
        (S.CHECK, S.ACT),
        (S.CHECK, S.DO),
    ],
)
def test_steps_that_do_not_follow_or_are_not_the_companys_are_refused(
    personas: Personas, start: str, to_status: str
) -> None:
    action = action_of(personas)
    CorrectiveAction.objects.filter(pk=action.pk).update(status=start)
    action.refresh_from_db()
    with pytest.raises(ActionRefused):
        action_transition(action=action, to_status=to_status, actor=personas.user_a)
    response = as_user(personas, "user_a").post(
        action_url(action, "company_action_status"), {"to_status": to_status}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == start and not action.events.filter(kind="status").exists()


def test_the_plan_cannot_be_changed_once_sent_for_checking(personas: Personas) -> None:
    action = action_of(personas)
    action_transition(action=action, to_status=S.DO, actor=personas.user_a)
    action_transition(action=action, to_status=S.CHECK, actor=personas.user_a)
    data = {"plan": "Something else", "owner_name": "CEO", "due_date": "2031-01-01"}
    assert as_user(personas, "user_a").post(action_url(action), data).status_code == 400
    action.refresh_from_db()
    assert action.plan == "Return passports; train supervisors"


def test_a_company_user_changes_the_plan_while_it_is_planned(personas: Personas) -> None:
    action = action_of(personas)
    data = {"plan": "Return passports within a week", "owner_name": "CEO", "due_date": "2031-01-01"}
    assert as_user(personas, "user_a").post(action_url(action), data).status_code == 302
    action.refresh_from_db()
    assert (action.plan, action.owner_label, str(action.due_date)) == (data["plan"], "CEO", "2031-01-01")
    assert action.events.filter(kind="edited", actor=personas.user_a).exists()


# Evidence -----------------------------------------------------------------------------------------


def upload(data: bytes, name: str = "IMG_0042_Nguyen.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_an_evidence_photo_loses_its_gps_and_is_stored_encrypted_and_each_download_is_audited(
    personas: Personas,
) -> None:
    action = action_of(personas)
    client = as_user(personas, "user_a")
    response = client.post(
        action_url(action, "company_evidence_add"), {"evidence": [upload(jpeg_with_gps())]}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.display_name == "photo-1.jpg"
    with default_storage.open(evidence.stored_name, "rb") as stored:
        raw = stored.read()
    assert raw.startswith(b"koe1:") and b"JFIF" not in raw and b"Exif" not in raw
    for client_name, name, args in (
        ("user_a", "company_evidence", (action.case.number, action.pk, evidence.public_id)),
        ("consultant", "desk_evidence", (action.pk, evidence.public_id)),
    ):
        downloaded = as_user(personas, client_name).get(url(name, *args))
        assert downloaded.status_code == 200
        assert downloaded["Content-Disposition"] == 'attachment; filename="photo-1.jpg"'
        photo = Image.open(io.BytesIO(downloaded.content))
        assert photo.size == (64, 48) and not photo.getexif().get_ifd(GPS_IFD)
        assert b"Nguyen" not in downloaded.content
    assert AuditEntry.objects.filter(action="remedy.evidence_download").count() == 2


def test_a_file_that_is_not_a_photo_or_a_pdf_is_refused(personas: Personas) -> None:
    action = action_of(personas)
    html = b"<html><script>alert(1)</script></html>"
    response = as_user(personas, "user_a").post(
        action_url(action, "company_evidence_add"), {"evidence": [upload(html)]}
    )
    assert response.status_code == 400
    assert "File 1 is not a photo or a PDF." in response.content.decode()
    assert not EvidenceFile.objects.exists()


# Overdue ------------------------------------------------------------------------------------------


def test_an_overdue_action_is_flagged_in_words_for_the_company_and_first_for_the_desk(
    personas: Personas,
) -> None:
    case = shared_case(personas)
    later = action_of(personas, plan="Later", due_date=timezone.localdate() + timedelta(days=3))
    late = action_of(personas, plan="Late", due_date=timezone.localdate() - timedelta(days=1))
    company = page(as_user(personas, "user_a"), url("company_case", case.number))
    assert company.count("OVERDUE") == 1
    assert "1 OVERDUE" in page(as_user(personas, "user_a"), url("company_cases"))
    desk = page(as_user(personas, "consultant"), url("desk_actions"))
    assert desk.count("OVERDUE") == 1
    assert desk.index(url("desk_action", late.pk)) < desk.index(url("desk_action", later.pk))
    assert late.is_overdue() and not later.is_overdue()


def test_a_closed_action_is_never_overdue(personas: Personas) -> None:
    action = action_of(personas, due_date=timezone.localdate() - timedelta(days=10))
    CorrectiveAction.objects.filter(pk=action.pk).update(status=S.CLOSED)
    action.refresh_from_db()
    assert not action.is_overdue()


def test_the_company_and_desk_lists_take_as_many_queries_for_many_actions_as_for_one(
    personas: Personas,
) -> None:
    def queries(client_name: str, address: str) -> int:
        client = as_user(personas, client_name)
        with CaptureQueriesContext(connection) as captured:
            page(client, address)
        return len(captured)

    action_of(personas)
    one = (queries("user_a", url("company_cases")), queries("consultant", url("desk_actions")))
    for _ in range(3):
        action_of(personas, worker_case(personas))
    assert (queries("user_a", url("company_cases")), queries("consultant", url("desk_actions"))) == one


def test_a_new_action_cannot_be_due_in_the_past(personas: Personas) -> None:
    case = shared_case(personas)
    client = as_user(personas, "user_a")
    data = {"plan": "Give back every passport", "owner_name": "HR", "due_date": "2020-01-01"}
    response = client.post(url("company_action_new", case.number), data)
    assert "The due date cannot be in the past." in response.content.decode()
    assert not CorrectiveAction.objects.exists()
    assert "Give back every passport" in response.content.decode()  # nothing typed is lost
