"""Desk staff are e-mailed about a new alert, in their language, with nothing the worker wrote."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from koe.accounts.models import User, WorkerProfile
from koe.cases.models import Alert
from koe.cases.services import alert_acknowledge
from koe.cases.tasks import alert_notify_desk, desk_recipients
from koe.cases.testing import CLEAN_ANSWERS, RED_FLAG_ANSWERS, submitted_response
from koe.core.testing.personas import Personas, make_user
from koe.organizations.models import Organization
from koe.surveys.models import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(personas: Personas) -> Personas:
    """The consultant speaks Japanese and Vietnamese and reads Koe in Vietnamese; the supervisor
    speaks Japanese and English and reads it in English. Both have an e-mail address."""
    for user, address, language in (
        (personas.consultant, "consultant@desk.example", "vi"),
        (personas.supervisor, "supervisor@desk.example", "en"),
    ):
        user.email, user.language = address, language
        user.save(update_fields=["email", "language"])
    return personas


def submit_with_callbacks(capture, language: str = "vi", answers: dict | None = None) -> Alert | None:
    with capture(execute=True):
        response = submitted_response(answers or RED_FLAG_ANSWERS, language=language)
    return Alert.objects.filter(response=response).first()


def test_staff_who_speak_the_language_are_mailed_once_the_submission_is_saved(
    desk: Personas, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        submitted_response(RED_FLAG_ANSWERS, language="vi")
        assert mail.outbox == []  # nothing leaves before the submission is committed
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["consultant@desk.example"]]


def test_the_mail_is_in_the_recipients_language_and_links_to_the_queue_in_it(
    desk: Personas, django_capture_on_commit_callbacks
) -> None:
    submit_with_callbacks(django_capture_on_commit_callbacks, language="ja")  # both speak Japanese
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"consultant@desk.example", "supervisor@desk.example"}
    for address, language in (("consultant@desk.example", "vi"), ("supervisor@desk.example", "en")):
        message = by_recipient[address]
        assert f"/{language}/desk/alerts/" in message.body
        with translation.override(language):
            assert message.subject == gettext("New critical self-check alert")


def test_the_mail_holds_nothing_the_worker_answered_or_wrote(
    desk: Personas, django_capture_on_commit_callbacks
) -> None:
    employer = Organization.objects.get(name="Minato Farm")
    WorkerProfile.objects.create(user=desk.worker, employer=employer)
    with django_capture_on_commit_callbacks(execute=True):
        response = submitted_response(RED_FLAG_ANSWERS, worker=desk.worker, language="vi")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    text = f"{message.subject}\n{message.body}"
    questionnaire_texts = [
        value for texts in response.version.definition["texts"].values() for value in texts.values()
    ]
    assert not [value for value in questionnaire_texts if value in text]  # no question, answer, title
    assert not [answer.item for answer in Answer.objects.filter(response=response) if answer.item in text]
    assert "shouts" not in text and "120" not in text  # the free-text and number answers
    assert employer.name not in text and "Sakura" not in text  # nor employer, nor brand holder
    assert desk.worker.username not in text
    assert str(response.alert.public_id) not in text  # not even which alert
    assert "Tiếng Việt" not in text and "Vietnamese" not in text


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def test_an_urgent_alert_says_urgent(desk: Personas, django_capture_on_commit_callbacks) -> None:
    submit_with_callbacks(django_capture_on_commit_callbacks, answers={"overtime": 120})
    # Every recipient here reads Vietnamese: the message is in it, and says urgent, not critical.
    assert [message.subject for message in mail.outbox] == [_in("vi", "New urgent self-check alert")]
    body = mail.outbox[0].body
    assert _in("vi", "Urgent").lower() in body.lower() or "khẩn cấp" in body
    assert "nguy cấp" not in body.lower()


def test_when_nobody_speaks_the_language_every_desk_member_is_mailed(
    desk: Personas, django_capture_on_commit_callbacks
) -> None:
    submit_with_callbacks(django_capture_on_commit_callbacks, language="my")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "consultant@desk.example",
        "supervisor@desk.example",
    ]


def test_only_active_desk_staff_with_an_address_are_recipients(desk: Personas) -> None:
    make_user(
        "former_consultant",
        "consultant",
        email="former@desk.example",
        spoken_languages=["vi"],
        is_active=False,
    )
    make_user("no_address", "consultant", spoken_languages=["vi"])
    for persona in ("expert", "operator", "admin_a", "worker", "auditor"):
        user = getattr(desk, persona)
        user.email, user.spoken_languages = f"{persona}@example.org", ["vi"]
        user.save(update_fields=["email", "spoken_languages"])
    assert [user.username for user in desk_recipients("vi")] == ["consultant"]
    assert [user.username for user in desk_recipients("tl")] == ["consultant", "supervisor"]
    assert User.objects.filter(username="no_address").exists()


def test_an_alert_acknowledged_before_the_task_runs_is_not_mailed(
    desk: Personas, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        alert = submitted_response(RED_FLAG_ANSWERS, language="vi").alert
    alert_acknowledge(alert=alert, actor=desk.consultant)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert alert_notify_desk.call(alert_id=alert.pk) == 0


def test_a_clean_submission_mails_nobody(desk: Personas, django_capture_on_commit_callbacks) -> None:
    assert submit_with_callbacks(django_capture_on_commit_callbacks, answers=CLEAN_ANSWERS) is None
    assert mail.outbox == []
