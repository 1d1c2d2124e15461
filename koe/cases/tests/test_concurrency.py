"""Two submissions of one sheet at the same moment (a double tap on a slow connection, a retry
racing the original) leave one alert and one round of mail. PostgreSQL only: SQLite lets one
writer in at a time anyway."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from koe.audit.models import AuditEntry
from koe.cases.models import Alert
from koe.cases.services import alert_raise_for_response
from koe.cases.testing import RED_FLAG_ANSWERS
from koe.core.testing.personas import make_user
from koe.surveys.scoring import score
from koe.surveys.services import (
    questionnaire_version_load,
    response_save_answers,
    response_start,
    response_submit,
)
from koe.surveys.testing import small_document

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")


def run_together(*targets: object) -> None:
    threads = [threading.Thread(target=target) for target in targets]  # type: ignore[arg-type]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_sheet_at_once_raise_one_alert_and_one_mail() -> None:
    make_user("desk", "consultant", email="desk@desk.example", spoken_languages=["vi"])
    version = questionnaire_version_load(document=small_document(), publish=True)
    response = response_start(version=version, language="vi")
    response_save_answers(response=response, answers=RED_FLAG_ANSWERS, item_codes=[])
    ready = threading.Barrier(2)

    def submit() -> None:
        try:
            ready.wait(timeout=5)
            response_submit(response_id=response.pk)
        finally:
            connection.close()

    run_together(submit, submit)
    assert Alert.objects.filter(response=response).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_raises_for_one_response_at_once_keep_one_alert() -> None:
    """Even called around the submission's row lock, the alert's unique response holds."""
    version = questionnaire_version_load(document=small_document(), publish=True)
    response = response_start(version=version, language="vi")
    flags = score(version.parsed, RED_FLAG_ANSWERS).red_flags
    first_created = threading.Event()
    second_started = threading.Event()
    alerts: list[int] = []

    def first() -> None:
        try:
            with transaction.atomic():
                alerts.append(alert_raise_for_response(response=response, red_flags=flags).pk)
                first_created.set()
                second_started.wait(timeout=5)
                threading.Event().wait(0.3)  # let the second reach the unique index, then commit
        finally:
            connection.close()

    def second() -> None:
        first_created.wait(timeout=5)
        second_started.set()
        try:
            alerts.append(alert_raise_for_response(response=response, red_flags=flags).pk)
        finally:
            connection.close()

    run_together(first, second)
    assert len(alerts) == 2 and alerts[0] == alerts[1]
    assert Alert.objects.count() == 1
    assert AuditEntry.objects.filter(action="alert.raise").count() == 1
