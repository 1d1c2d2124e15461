"""Self-check reminders on each channel: the portal banner and the e-mail."""

import re
from datetime import timedelta
from smtplib import SMTPException
from typing import Any
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone, translation

from koe.accounts.models import User
from koe.notifications.models import Channel, Notification
from koe.notifications.services import notifications_deliver, selfcheck_reminders_mark_seen
from koe.notifications.testing import make_worker, months_ago
from koe.surveys.rounds import remind_due_workers
from koe.surveys.services import questionnaire_version_load
from koe.surveys.testing import small_document

pytestmark = pytest.mark.django_db

# Words that would tell someone glancing at a lock screen or a shared inbox what Koe is about.
REVEALING = re.compile(r"abuse|forced|labou?r|traffick|violence|exploit|complain|grievance|rights|help", re.I)


def email_ids(user: User) -> list[int]:
    return list(Notification.objects.filter(user=user, channel=Channel.EMAIL).values_list("pk", flat=True))


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# E-mail


@override_settings(KOE_SITE_URL="https://koe.example.org")
def test_the_e_mail_goes_to_the_recovery_address_in_the_workers_language(mailoutbox: list[Any]) -> None:
    worker = make_worker(
        "mai", arrival=months_ago(4), email="mai@example.com", channel=Channel.EMAIL, language="ne"
    )
    remind_due_workers()
    notifications_deliver(notification_ids=email_ids(worker))
    [message] = mailoutbox
    assert message.to == ["mai@example.com"]
    assert "https://koe.example.org/ne/self-check/" in message.body
    with translation.override("ne"):
        assert message.subject == translation.gettext("It is time for your Koe check")
    assert Notification.objects.get(user=worker, channel=Channel.EMAIL).delivered_at is not None


@override_settings(KOE_SITE_URL="https://koe.example.org")
def test_the_e_mail_says_nothing_a_lock_screen_should_not_show(mailoutbox: list[Any]) -> None:
    worker = make_worker(
        "mai", arrival=months_ago(4), email="mai@example.com", channel=Channel.EMAIL, language="en"
    )
    remind_due_workers()
    notifications_deliver(notification_ids=email_ids(worker))
    [message] = mailoutbox
    assert message.subject == "It is time for your Koe check"
    assert not REVEALING.search(message.subject)
    assert not REVEALING.search(message.body)


def test_without_a_site_address_the_e_mail_asks_the_worker_to_open_koe(mailoutbox: list[Any]) -> None:
    worker = make_worker(
        "mai", arrival=months_ago(4), email="mai@example.com", channel=Channel.EMAIL, language="en"
    )
    remind_due_workers()
    notifications_deliver(notification_ids=email_ids(worker))
    assert "Open Koe and sign in to start." in mailoutbox[0].body
    assert "http" not in mailoutbox[0].body


def test_a_worker_who_did_not_ask_for_e_mail_gets_none(mailoutbox: list[Any]) -> None:
    worker = make_worker("mai", arrival=months_ago(4), email="mai@example.com", channel=Channel.PORTAL)
    remind_due_workers()
    assert email_ids(worker) == []
    assert Notification.objects.filter(user=worker, channel=Channel.PORTAL).count() == 1


def test_delivering_twice_sends_one_e_mail(mailoutbox: list[Any]) -> None:
    worker = make_worker("mai", arrival=months_ago(4), email="mai@example.com", channel=Channel.EMAIL)
    remind_due_workers()
    assert notifications_deliver(notification_ids=email_ids(worker)) == 1
    assert notifications_deliver(notification_ids=email_ids(worker)) == 0
    assert len(mailoutbox) == 1


def test_a_worker_who_switched_back_to_the_portal_before_delivery_gets_no_e_mail(
    mailoutbox: list[Any],
) -> None:
    worker = make_worker("mai", arrival=months_ago(4), email="mai@example.com", channel=Channel.EMAIL)
    remind_due_workers()
    ids = email_ids(worker)
    signed_in(worker).post("/en/account/about-you/", {"arrival_date": months_ago(4).isoformat(),
                                                     "reminder_channel": "portal"})  # fmt: skip
    assert notifications_deliver(notification_ids=ids) == 0
    assert mailoutbox == []
    assert email_ids(worker) == []


def test_an_e_mail_the_mail_server_refused_is_tried_again_by_the_next_run(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    worker = make_worker("mai", arrival=months_ago(4), email="mai@example.com", channel=Channel.EMAIL)
    refusing = mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=SMTPException
    )
    with refusing, django_capture_on_commit_callbacks(execute=True):
        remind_due_workers()  # the delivery task fails; the immediate test backend records it
    assert mailoutbox == []
    assert Notification.objects.get(user=worker, channel=Channel.EMAIL).delivered_at is None
    Notification.objects.filter(user=worker).update(created_at=timezone.now() - timedelta(hours=2))
    run = remind_due_workers()
    assert (run.reminders, run.retried_batches) == (0, 1)
    assert [message.to for message in mailoutbox] == [["mai@example.com"]]


def test_an_undelivered_e_mail_older_than_three_days_is_not_sent_any_more(mailoutbox: list[Any]) -> None:
    worker = make_worker("mai", arrival=months_ago(4), email="mai@example.com", channel=Channel.EMAIL)
    remind_due_workers()
    Notification.objects.filter(user=worker).update(created_at=timezone.now() - timedelta(days=4))
    assert remind_due_workers().retried_batches == 0
    assert mailoutbox == []


# The portal


def test_the_account_page_shows_the_banner_with_a_link_to_the_self_check_in_the_page_language() -> None:
    worker = make_worker("mai", arrival=months_ago(4))
    remind_due_workers()
    html = signed_in(worker).get("/vi/account/").content.decode()
    assert 'id="selfcheck-reminder"' in html
    assert re.search(r'id="selfcheck-reminder".*href="/vi/self-check/"', html, re.S)
    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_no_banner_for_a_worker_who_is_not_due_even_when_others_are() -> None:
    make_worker("mai", arrival=months_ago(4))
    not_due = make_worker("linh", arrival=months_ago(1))
    remind_due_workers()
    html = signed_in(not_due).get("/en/account/").content.decode()
    assert "Your self-check is ready" not in html


def test_the_banner_goes_once_the_reminder_is_seen_and_comes_back_for_the_next_round() -> None:
    worker = make_worker("mai", arrival=months_ago(4))
    remind_due_workers()
    client = signed_in(worker)
    assert "Your self-check is ready" in client.get("/en/account/").content.decode()
    selfcheck_reminders_mark_seen(user=worker)
    assert "Your self-check is ready" not in client.get("/en/account/").content.decode()
    remind_due_workers(today=timezone.localdate() + timedelta(days=200))
    assert "Your self-check is ready" in client.get("/en/account/").content.decode()


def test_starting_the_self_check_takes_the_banner_away() -> None:
    questionnaire_version_load(document=small_document(slug="worker-selfcheck"), publish=True)
    worker = make_worker("mai", arrival=months_ago(4))
    remind_due_workers()
    client = signed_in(worker)
    client.post("/en/self-check/")
    assert "Your self-check is ready" not in client.get("/en/account/").content.decode()
