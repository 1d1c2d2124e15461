"""Who receives an alert (the employer itself only with enough workers known to Koe), and a
signal that turns up after its week was published: folded into the next week, never an edit of
the old one."""

import uuid
from datetime import date, timedelta

import pytest

from koe.accounts.models import Role
from koe.cases.models import Case
from koe.cases.testing import RED_FLAG_ANSWERS, submitted_response
from koe.core.testing.personas import Personas, make_user
from koe.organizations.models import Organization
from koe.riskwatch.models import OrgRiskAlert
from koe.riskwatch.publication import publish_risk_alerts
from koe.riskwatch.recipients import known_workers
from koe.riskwatch.tests.factories import critical_case_at, known_workers_at, local, red_flag_at
from koe.surveys.models import Response

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 9)
TUESDAY = local(date(2026, 11, 10), hour=22)
PUBLISHED = local(date(2026, 11, 20))  # the week of 9 November is published, not the next


def recipients_of(subject: Organization) -> set[Organization]:
    return {alert.organization for alert in OrgRiskAlert.objects.filter(subject=subject)}


def self_checks_at(employer: Organization, number: int, days_before: int = 30) -> None:
    """``number`` submitted (unflagged) self-checks naming ``employer``, each by its own worker account
    (anonymous ones do not count as known workers)."""
    for _ in range(number):
        response = submitted_response({}, worker=make_user(f"w-{uuid.uuid4().hex[:10]}", Role.WORKER))
        at = TUESDAY - timedelta(days=days_before)
        Response.objects.filter(pk=response.pk).update(employer=employer, submitted_at=at)


def test_an_employer_with_fewer_known_workers_than_the_threshold_is_not_told_but_its_brand_holder_is(
    personas: Personas,
) -> None:
    known_workers_at(personas.org_a1, 2)
    self_checks_at(personas.org_a1, 2)
    red_flag_at(personas.org_a1, TUESDAY)  # the worker who raised it is the fifth, not counted yet
    publish_risk_alerts(now=PUBLISHED)
    assert recipients_of(personas.org_a1) == set()  # not named either (test_unnamed_alerts.py)
    assert OrgRiskAlert.objects.get(subject=None).organization == personas.org_a


def test_an_employer_with_enough_known_workers_is_told_itself(personas: Personas) -> None:
    known_workers_at(personas.org_a1, 2)  # links, self-checks and cases all count
    self_checks_at(personas.org_a1, 2)
    case = critical_case_at(personas.org_a1, TUESDAY)
    Case.objects.filter(pk=case.pk).update(worker=personas.worker)
    assert known_workers(personas.org_a1.pk, local(date(2026, 11, 16))) == 5
    publish_risk_alerts(now=PUBLISHED)
    assert recipients_of(personas.org_a1) == {personas.org_a1, personas.org_a}


def test_an_employer_with_few_known_workers_and_no_brand_holder_above_alerts_nobody(
    personas: Personas,
) -> None:
    known_workers_at(personas.org_a, 3)  # a brand holder employing workers itself: nobody above it
    red_flag_at(personas.org_a, TUESDAY)
    red_flag_at(personas.org_s, TUESDAY)  # outside any chain
    run = publish_risk_alerts(now=PUBLISHED)
    assert run.created == 0 and not OrgRiskAlert.objects.exists()


def test_workers_seen_more_than_twelve_months_ago_are_not_counted(personas: Personas) -> None:
    self_checks_at(personas.org_b1, 5, days_before=400)
    assert known_workers(personas.org_b1.pk, local(date(2026, 11, 16))) == 0
    self_checks_at(personas.org_b1, 1, days_before=300)
    assert known_workers(personas.org_b1.pk, local(date(2026, 11, 16))) == 1


def test_a_worker_seen_twice_by_account_counts_once(personas: Personas) -> None:
    known_workers_at(personas.org_b1, 1)
    response = submitted_response(RED_FLAG_ANSWERS, worker=personas.worker)
    Response.objects.filter(pk=response.pk).update(employer=personas.org_b1)
    case = critical_case_at(personas.org_b1, TUESDAY)
    Case.objects.filter(pk=case.pk).update(worker=personas.worker)
    assert known_workers(personas.org_b1.pk, local(date(2026, 12, 31))) == 2


def test_a_case_raised_to_critical_after_its_week_was_published_joins_the_next_week_not_the_old_one(
    personas: Personas,
) -> None:
    known_workers_at(personas.org_a1, 5)
    red_flag_at(personas.org_a1, TUESDAY)
    publish_risk_alerts(now=PUBLISHED)
    before = {(alert.pk, alert.critical_case, alert.indicators, alert.shown_count)
              for alert in OrgRiskAlert.objects.all()}  # fmt: skip
    critical_case_at(personas.org_a1, local(date(2026, 11, 12)), indicators=("debt_bondage",))  # late
    run = publish_risk_alerts(now=local(date(2026, 11, 27)))  # the week of 16 November is published
    old = OrgRiskAlert.objects.filter(week_start=MONDAY)
    assert {(alert.pk, alert.critical_case, alert.indicators, alert.shown_count) for alert in old} == before
    new = OrgRiskAlert.objects.filter(week_start=date(2026, 11, 16))
    assert {alert.organization for alert in new} == {personas.org_a1, personas.org_a}
    assert all(alert.critical_case and not alert.self_check_red_flag for alert in new)  # counted once
    assert (run.created, run.late_signals) == (2, 1)
    again = publish_risk_alerts(now=local(date(2026, 11, 27)))
    assert (again.created, again.late_signals) == (0, 0)


def test_a_late_signal_in_a_week_without_alerts_does_not_open_an_alert_for_that_old_week(
    personas: Personas,
) -> None:
    known_workers_at(personas.org_b1, 5)
    publish_risk_alerts(now=PUBLISHED)  # nothing to publish for the week of 9 November
    critical_case_at(personas.org_b1, TUESDAY)  # a case of that week, logged late
    publish_risk_alerts(now=local(date(2026, 11, 27)))
    assert set(OrgRiskAlert.objects.values_list("week_start", flat=True)) == {date(2026, 11, 16)}
