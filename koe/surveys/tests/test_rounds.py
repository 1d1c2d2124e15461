"""Self-check rounds: who is offered the self-check when, and the daily reminder run."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.tasks.signals import task_enqueued
from django.test import Client
from django.utils import timezone

from koe.accounts.models import User, WorkerProfile
from koe.audit.models import AuditEntry
from koe.core.testing.personas import Personas, verified_client
from koe.notifications.models import Channel, Notification
from koe.notifications.testing import make_worker, months_ago
from koe.surveys.models import QuestionnaireVersion, Response, RoundSchedule
from koe.surveys.rounds import add_months, due_date_for, remind_due_workers, schedule_next_round
from koe.surveys.services import questionnaire_version_load, response_start, response_submit
from koe.surveys.testing import small_document

DEFAULTS = RoundSchedule(first_round_months=3, interval_months=6)


def profile_arrived(arrival: date | None) -> WorkerProfile:
    return WorkerProfile(arrival_date=arrival)


# The rule, without a database.


def test_months_are_added_to_the_same_day_or_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_the_first_round_is_three_months_after_arrival() -> None:
    assert due_date_for(profile_arrived(date(2026, 1, 31)), [], DEFAULTS) == date(2026, 4, 30)


def test_a_worker_without_an_arrival_date_is_offered_no_round_even_after_a_check() -> None:
    assert due_date_for(profile_arrived(None), [date(2026, 5, 1)], DEFAULTS) is None


def test_after_a_check_the_next_round_is_one_interval_later() -> None:
    due = due_date_for(profile_arrived(date(2026, 1, 10)), [date(2026, 4, 20), date(2025, 1, 1)], DEFAULTS)
    assert due == date(2026, 10, 20)


def test_a_check_before_the_first_round_counts_as_that_round() -> None:
    assert due_date_for(profile_arrived(date(2026, 1, 10)), [date(2026, 2, 1)], DEFAULTS) == date(2026, 8, 1)


def test_an_unanswered_reminder_is_followed_one_interval_later_not_sooner() -> None:
    due = due_date_for(profile_arrived(date(2026, 1, 10)), [], DEFAULTS, last_reminded_on=date(2026, 4, 10))
    assert due == date(2026, 10, 10)


def test_the_operators_interval_and_first_round_are_honoured() -> None:
    schedule = RoundSchedule(first_round_months=4, interval_months=3)
    assert due_date_for(profile_arrived(date(2026, 1, 10)), [], schedule) == date(2026, 5, 10)
    assert due_date_for(profile_arrived(date(2026, 1, 10)), [date(2026, 6, 1)], schedule) == date(2026, 9, 1)


# Who the daily run reminds.

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def selfcheck() -> QuestionnaireVersion:
    return questionnaire_version_load(document=small_document(slug="worker-selfcheck"), publish=True)


@pytest.fixture
def enqueued() -> Iterator[list[str]]:
    """The names of the tasks queued during the test."""
    names: list[str] = []

    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)


def submit_selfcheck(worker: User, version: QuestionnaireVersion, days_ago: int = 0) -> Response:
    response = response_submit(response_id=response_start(version=version, language="vi", worker=worker).pk)
    if days_ago:
        Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))
        schedule_next_round(worker=worker)
    return response


def reminded(user: User) -> bool:
    return Notification.objects.filter(user=user, channel=Channel.PORTAL).exists()


@pytestmark_db
def test_a_worker_who_arrived_three_months_ago_is_reminded_and_one_who_arrived_two_months_ago_is_not() -> (
    None
):
    due_now = make_worker("mai", arrival=months_ago(3))
    not_yet = make_worker("linh", arrival=months_ago(2))
    run = remind_due_workers()
    assert reminded(due_now) and not reminded(not_yet)
    assert run.reminders == 1


@pytestmark_db
def test_a_worker_without_an_arrival_date_is_not_reminded() -> None:
    worker = make_worker("an")
    remind_due_workers()
    assert not reminded(worker)


@pytestmark_db
def test_a_worker_who_arrived_long_ago_and_just_registered_is_reminded_at_once() -> None:
    worker = make_worker("tuan", arrival=date(2019, 4, 1))
    remind_due_workers()
    assert reminded(worker)


@pytestmark_db
def test_a_worker_who_did_the_self_check_last_month_is_not_reminded(selfcheck: QuestionnaireVersion) -> None:
    worker = make_worker("hoa", arrival=months_ago(8))
    submit_selfcheck(worker, selfcheck, days_ago=30)
    remind_due_workers()
    assert not reminded(worker)


@pytestmark_db
def test_a_shorter_interval_set_by_the_operator_brings_the_next_round_sooner(
    selfcheck: QuestionnaireVersion,
) -> None:
    RoundSchedule.objects.create(first_round_months=3, interval_months=3)
    worker = make_worker("hoa", arrival=months_ago(12))
    submit_selfcheck(worker, selfcheck, days_ago=100)  # more than 3 months ago, less than 6
    remind_due_workers()
    assert reminded(worker)


@pytestmark_db
def test_with_the_default_interval_a_check_a_hundred_days_ago_is_recent_enough(
    selfcheck: QuestionnaireVersion,
) -> None:
    worker = make_worker("hoa", arrival=months_ago(12))
    submit_selfcheck(worker, selfcheck, days_ago=100)
    remind_due_workers()
    assert not reminded(worker)


@pytestmark_db
def test_only_self_checks_count_as_a_round_not_other_questionnaires() -> None:
    document = small_document(slug="staff-survey")
    document["structure"]["kind"] = "survey"
    survey = questionnaire_version_load(document=document, publish=True)
    worker = make_worker("hoa", arrival=months_ago(12))
    submit_selfcheck(worker, survey, days_ago=10)
    remind_due_workers()
    assert reminded(worker)


@pytestmark_db
def test_a_second_run_the_same_day_reminds_nobody_again() -> None:
    workers = [make_worker(f"w{number}", arrival=months_ago(4), email=f"w{number}@example.com",
                           channel=Channel.EMAIL) for number in range(3)]  # fmt: skip
    first = remind_due_workers()
    second = remind_due_workers()
    assert (first.due_workers, first.reminders) == (3, 3)
    assert (second.due_workers, second.reminders) == (0, 0)
    assert Notification.objects.filter(user__in=workers).count() == 6  # portal and e-mail, once each


@pytestmark_db
def test_a_run_that_died_before_moving_the_marker_does_not_remind_twice_when_repeated() -> None:
    worker = make_worker("mai", arrival=months_ago(4))
    round_due_on = WorkerProfile.objects.get(user=worker).selfcheck_due_on
    remind_due_workers()
    WorkerProfile.objects.filter(user=worker).update(selfcheck_due_on=round_due_on)
    again = remind_due_workers()
    assert (again.due_workers, again.reminders) == (1, 0)
    assert Notification.objects.filter(user=worker).count() == 1
    moved_to = WorkerProfile.objects.get(user=worker).selfcheck_due_on
    assert moved_to is not None and moved_to > timezone.localdate()


@pytestmark_db
def test_after_a_reminder_the_next_round_is_one_interval_later() -> None:
    worker = make_worker("mai", arrival=months_ago(5))
    remind_due_workers()
    assert WorkerProfile.objects.get(user=worker).selfcheck_due_on == add_months(timezone.localdate(), 6)


@pytestmark_db
def test_it_works_in_batches_with_one_delivery_task_per_batch(
    django_capture_on_commit_callbacks: Any, enqueued: list[str], mailoutbox: list[Any]
) -> None:
    for number in range(5):
        make_worker(
            f"w{number}", arrival=months_ago(4), email=f"w{number}@example.com", channel=Channel.EMAIL
        )
    with django_capture_on_commit_callbacks(execute=True):
        run = remind_due_workers(batch_size=2)
    assert (run.due_workers, run.reminders, run.delivery_batches) == (5, 5, 3)
    assert enqueued == ["deliver_notifications"] * 3
    assert len(mailoutbox) == 5


@pytestmark_db
def test_a_submission_moves_the_next_round_and_takes_the_reminder_off_the_portal(
    selfcheck: QuestionnaireVersion,
) -> None:
    worker = make_worker("mai", arrival=months_ago(4))
    remind_due_workers()
    submit_selfcheck(worker, selfcheck)
    assert not Notification.objects.filter(user=worker, seen_at__isnull=True).exists()
    assert WorkerProfile.objects.get(user=worker).selfcheck_due_on == add_months(timezone.localdate(), 6)


@pytestmark_db
def test_the_command_for_cron_reminds_and_prints_only_counts(capsys: Any) -> None:
    worker = make_worker("mai", arrival=months_ago(4))
    call_command("send_selfcheck_reminders")
    assert reminded(worker)
    output = capsys.readouterr().out
    assert "1 workers due, 1 reminded" in output
    assert "mai" not in output


@pytestmark_db
def test_the_command_can_hand_the_run_to_a_task_worker(enqueued: list[str]) -> None:
    call_command("send_selfcheck_reminders", "--enqueue")
    assert enqueued == ["send_due_reminders"]


# The account page, where the arrival date is set.


@pytestmark_db
def test_setting_the_arrival_date_on_the_account_page_schedules_the_first_round() -> None:
    worker = make_worker("mai")
    client = Client()
    client.force_login(worker)
    page = client.get("/en/account/about-you/")
    assert page.status_code == 200 and 'type="date"' in page.content.decode()
    response = client.post(
        "/en/account/about-you/",
        {
            "nationality": "np",
            "residence_status": "ssw1",
            "arrival_date": "2026-01-31",
            "reminder_channel": "portal",
        },
    )
    assert response.status_code == 302
    profile = WorkerProfile.objects.get(user=worker)
    assert (profile.nationality, profile.residence_status) == ("np", "ssw1")
    assert profile.arrival_date == date(2026, 1, 31)
    assert profile.selfcheck_due_on == date(2026, 4, 30)


@pytestmark_db
def test_removing_the_arrival_date_stops_the_rounds() -> None:
    worker = make_worker("mai", arrival=months_ago(1))
    client = Client()
    client.force_login(worker)
    client.post("/en/account/about-you/", {"arrival_date": "", "reminder_channel": "portal"})
    assert WorkerProfile.objects.get(user=worker).selfcheck_due_on is None


@pytestmark_db
def test_a_future_arrival_date_and_e_mail_without_an_address_are_refused_in_words() -> None:
    worker = make_worker("mai")
    client = Client()
    client.force_login(worker)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.post("/en/account/about-you/", {"arrival_date": tomorrow, "reminder_channel": "email"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "This date is in the future." in html
    assert "You have no recovery e-mail" in html
    assert WorkerProfile.objects.get(user=worker).arrival_date is None


@pytestmark_db
def test_the_about_you_page_is_for_workers_only(personas: Personas) -> None:
    assert verified_client(personas.consultant).get("/en/account/about-you/").status_code == 404


# The operator's setting.


@pytestmark_db
def test_the_operator_sets_the_schedule_in_the_admin_and_the_change_is_audited(personas: Personas) -> None:
    client = verified_client(personas.operator)
    response = client.post(
        "/admin/surveys/roundschedule/add/", {"first_round_months": 2, "interval_months": 4}
    )
    assert response.status_code == 302
    schedule = RoundSchedule.current()
    assert (schedule.pk, schedule.first_round_months, schedule.interval_months) == (1, 2, 4)
    assert AuditEntry.objects.filter(action="selfcheck_schedule.change").exists()
    assert client.get("/admin/surveys/roundschedule/add/").status_code == 403  # one schedule only


@pytestmark_db
def test_the_schedule_is_not_for_other_staff(personas: Personas) -> None:
    assert verified_client(personas.supervisor).get("/admin/surveys/roundschedule/").status_code == 302


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_worker_another_run_is_reminding_right_now_is_skipped_not_reminded_twice() -> None:
    busy, free = make_worker("mai", arrival=months_ago(4)), make_worker("linh", arrival=months_ago(4))
    other_run = connections.create_connection("default")
    try:
        other_run.set_autocommit(False)
        with other_run.cursor() as cursor:
            cursor.execute("SELECT id FROM accounts_workerprofile WHERE user_id = %s FOR UPDATE", [busy.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # waiting for the other run would fail, not hang
        run = remind_due_workers()
    finally:
        other_run.rollback()
        other_run.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert (run.due_workers, run.reminders) == (1, 1)
    assert reminded(free) and not reminded(busy)
