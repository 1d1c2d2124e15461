from datetime import date, datetime

import pytest
from django.core import mail
from django.core.management import call_command

from koe.cases.models import Case
from koe.core.testing.personas import Personas
from koe.riskwatch.models import OrgRiskAlert
from koe.riskwatch.publication import latest_publishable_week, publish_risk_alerts
from koe.riskwatch.tests.factories import critical_case_at, known_workers_at, local, red_flag_at
from koe.surveys.indicators import mask_of

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 9)  # the week of 9 to 15 November 2026
TUESDAY = local(date(2026, 11, 10), hour=22)


def publish(at: datetime) -> list[OrgRiskAlert]:
    publish_risk_alerts(now=at)
    return list(OrgRiskAlert.objects.order_by("organization__name"))


def test_a_week_is_published_only_two_days_after_it_has_ended() -> None:
    assert latest_publishable_week(local(date(2026, 11, 17), hour=23)) == date(2026, 11, 2)
    assert latest_publishable_week(local(date(2026, 11, 18), hour=0)) == MONDAY


def test_a_red_flag_on_tuesday_is_not_visible_until_the_week_is_over_and_the_delay_passed(
    personas: Personas,
) -> None:
    known_workers_at(personas.org_a2, 5)
    red_flag_at(personas.org_a2, TUESDAY)
    assert publish(local(date(2026, 11, 11))) == []  # the next day
    assert publish(local(date(2026, 11, 15), hour=23)) == []  # the week's last evening
    assert publish(local(date(2026, 11, 17), hour=23)) == []  # ended, but less than two days ago
    alerts = publish(local(date(2026, 11, 18), hour=6))
    assert {(alert.organization, alert.subject, alert.week_start) for alert in alerts} == {
        (personas.org_a2, personas.org_a2, MONDAY),  # the employer itself
        (personas.org_a, personas.org_a2, MONDAY),  # and the brand holder above it
    }


def test_publishing_twice_publishes_and_notifies_nothing_twice(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    personas.user_a.email = "sakura@example.com"
    personas.user_a.save()
    known_workers_at(personas.org_a1, 5)
    red_flag_at(personas.org_a1, TUESDAY)
    later = local(date(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = publish_risk_alerts(now=later)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        second = publish_risk_alerts(now=later)
    assert (first.created, second.created) == (2, 0)
    assert OrgRiskAlert.objects.count() == 2
    assert len(mail.outbox) == 1


def test_the_email_says_only_that_an_alert_is_waiting_in_the_recipients_language(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    personas.admin_a.email, personas.admin_a.language = "admin@example.com", "en"
    personas.admin_a.save()
    red_flag_at(personas.org_a1, TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        publish_risk_alerts(now=local(date(2026, 11, 20)))
    (message,) = mail.outbox
    assert message.to == ["admin@example.com"]
    assert message.subject == "A new risk alert is waiting for you in Koe"
    assert "/en/company/alerts/" in message.body
    for secret in ("Sakura", "2026-11", "flag", "critical"):
        assert secret not in message.body


def test_kinds_and_indicators_are_united_and_a_case_from_an_alert_counts_once(personas: Personas) -> None:
    known_workers_at(personas.org_a1, 5)
    alert = red_flag_at(personas.org_a1, TUESDAY)
    case = critical_case_at(personas.org_a1, TUESDAY, indicators=("debt_bondage",))
    Case.objects.filter(pk=case.pk).update(alert=alert)
    publish_risk_alerts(now=local(date(2026, 11, 20)))
    published = OrgRiskAlert.objects.get(organization=personas.org_a1)
    assert published.self_check_red_flag and published.critical_case
    assert published.indicators == alert.tags | mask_of(["debt_bondage"])
    assert published.shown_count is None


def test_the_count_is_kept_only_when_it_reaches_the_threshold(personas: Personas) -> None:
    for _ in range(5):
        critical_case_at(personas.org_b1, TUESDAY)
    critical_case_at(personas.org_a2, TUESDAY)
    publish_risk_alerts(now=local(date(2026, 11, 20)))
    # Few known workers at either employer: their brand holders' alerts are unnamed (subject=None).
    assert OrgRiskAlert.objects.get(organization=personas.org_b, subject=None).shown_count == 5
    assert OrgRiskAlert.objects.get(organization=personas.org_a, subject=None).shown_count is None


def test_signals_without_an_employer_or_before_the_week_are_ignored(personas: Personas) -> None:
    critical_case_at(personas.org_a1, local(date(2026, 11, 8), hour=23))  # Sunday before: another week
    publish_risk_alerts(now=local(date(2026, 11, 20)))
    assert set(OrgRiskAlert.objects.values_list("week_start", flat=True)) == {date(2026, 11, 2)}


def test_the_command_runs_and_reports(personas: Personas, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("publish_risk_alerts")
    assert "alerts published" in capsys.readouterr().out


def test_the_task_publishes_like_the_command(personas: Personas) -> None:
    from koe.riskwatch.tasks import publish_risk_alerts_task

    critical_case_at(personas.org_b1, local(date(2026, 1, 6)))
    result = publish_risk_alerts_task.enqueue()
    assert result.return_value == {
        "created": 0,
        "late_signals": 0,
        "organizations": 0,
    }  # long past the window
