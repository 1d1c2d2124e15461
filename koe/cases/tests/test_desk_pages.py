"""The desk's queue of alerts and one alert's page, as a consultant uses them."""

import datetime
import re
from uuid import uuid4

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from koe.accounts.models import WorkerProfile
from koe.audit.models import AuditEntry
from koe.cases import views
from koe.cases.models import Alert, AlertStatus
from koe.cases.services import alert_acknowledge, alert_request_contact
from koe.cases.testing import RED_FLAG_ANSWERS, SHARED_CONTACT, desk_alert, submitted_response
from koe.core.testing.personas import Personas, verified_client

pytestmark = pytest.mark.django_db

NOT_DESK = ["worker", "expert", "auditor", "operator", "admin_a", "user_a1", "admin_b"]


def queue_url(page_language: str = "en", **filters: str) -> str:
    with translation.override(page_language):
        url = reverse("cases:alert_queue")
    return url + ("?" + "&".join(f"{key}={value}" for key, value in filters.items()) if filters else "")


def detail_url(alert: Alert, language: str = "en") -> str:
    with translation.override(language):
        return reverse("cases:alert_detail", args=[alert.public_id])


def acknowledge_url(alert: Alert) -> str:
    with translation.override("en"):
        return reverse("cases:alert_acknowledge", args=[alert.public_id])


def raised(answers: dict, *, language: str = "vi", hours_ago: int = 0) -> Alert:
    alert = submitted_response(answers, language=language).alert
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    alert.refresh_from_db()
    return alert


CRITICAL = {"hit": "yes"}
URGENT = {"overtime": 120}


def rows(html: str) -> list[str]:
    """The alerts' ids in the queue's order, read from the links to their pages."""
    return re.findall(r"/desk/alerts/([0-9a-f-]{36})/", html)


def test_the_queue_puts_critical_alerts_first_then_the_oldest(personas: Personas) -> None:
    urgent_old = raised(URGENT, hours_ago=50)
    critical_new = raised(CRITICAL, hours_ago=1)
    critical_old = raised(CRITICAL, hours_ago=30)
    urgent_new = raised(URGENT, hours_ago=2)
    html = verified_client(personas.consultant).get(queue_url()).content.decode()
    expected = [critical_old, critical_new, urgent_old, urgent_new]
    assert rows(html) == [str(alert.public_id) for alert in expected]


def test_the_queue_shows_open_alerts_and_filters_by_status_severity_and_language(personas: Personas) -> None:
    critical_vi = raised(CRITICAL)
    urgent_ne = raised(URGENT, language="ne")
    acknowledged = raised(CRITICAL, language="ne")
    alert_acknowledge(alert=acknowledged, actor=personas.consultant)
    closed = raised(URGENT)
    Alert.objects.filter(pk=closed.pk).update(status=AlertStatus.CLOSED)
    client = verified_client(personas.supervisor)

    def shown(**filters: str) -> set[str]:
        return set(rows(client.get(queue_url(**filters)).content.decode()))

    def ids(*alerts: Alert) -> set[str]:
        return {str(alert.public_id) for alert in alerts}

    assert shown() == ids(critical_vi, urgent_ne, acknowledged)
    assert shown(status="new") == ids(critical_vi, urgent_ne)
    assert shown(status="acknowledged") == ids(acknowledged)
    assert shown(status="closed") == ids(closed)
    assert shown(severity="urgent") == ids(urgent_ne)
    assert shown(language="ne") == ids(urgent_ne, acknowledged)
    assert shown(language="ne", severity="critical") == ids(acknowledged)
    assert shown(severity="catastrophic") == shown()  # an invalid filter is dropped, not an error


def test_the_queue_counts_new_alerts_and_shows_each_alerts_columns(personas: Personas) -> None:
    WorkerProfile.objects.create(user=personas.worker, employer=personas.org_a2)
    alert = submitted_response(RED_FLAG_ANSWERS, worker=personas.worker).alert
    alert_request_contact(alert=alert, method="koe")
    raised(URGENT)
    html = verified_client(personas.consultant).get(queue_url()).content.decode()
    assert "2 new alerts waiting to be acknowledged." in html
    assert "Desk alerts (2 new)" in html  # the staff menu
    assert "Minato Farm" in html
    assert "Physical and sexual violence" in html and "Excessive overtime" in html
    assert "Vietnamese" in html
    assert "A message in my Koe account" in html  # contact requested, and how
    assert "Not known" in html  # the anonymous alert's employer


def test_the_queue_is_paginated_and_keeps_the_filters(personas: Personas, monkeypatch) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    alerts = [raised(CRITICAL, hours_ago=hours) for hours in (5, 4, 3)]
    client = verified_client(personas.consultant)
    first = client.get(queue_url(severity="critical")).content.decode()
    assert rows(first) == [str(alert.public_id) for alert in alerts[:2]]
    assert "severity=critical&amp;page=2" in first
    second = client.get(queue_url(severity="critical", page="2")).content.decode()
    assert rows(second) == [str(alerts[2].public_id)]


def test_the_queue_costs_the_same_queries_for_few_and_many_alerts(personas: Personas) -> None:
    client = verified_client(personas.consultant)
    raised(CRITICAL)
    client.get(queue_url())  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(queue_url())
    for _ in range(6):
        raised(URGENT)
    with CaptureQueriesContext(connection) as many:
        client.get(queue_url())
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", NOT_DESK)
def test_nobody_but_the_desk_finds_the_queue_or_an_alert(personas: Personas, persona: str) -> None:
    alert = desk_alert(**SHARED_CONTACT)
    client = verified_client(getattr(personas, persona))
    assert client.get(queue_url()).status_code == 404
    assert client.get(detail_url(alert)).status_code == 404
    assert client.post(acknowledge_url(alert)).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW
    assert not AuditEntry.objects.filter(action="alert.view").exists()


def test_someone_not_signed_in_is_sent_to_sign_in_and_sees_nothing(personas: Personas) -> None:
    alert = desk_alert(**SHARED_CONTACT)
    for url in (queue_url(), detail_url(alert)):
        response = Client().get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]
        assert b"090-1234-5678" not in response.content


def test_an_unknown_alert_is_a_404_for_the_desk(personas: Personas) -> None:
    client = verified_client(personas.consultant)
    with translation.override("en"):
        unknown = reverse("cases:alert_detail", args=[uuid4()])
    assert client.get(unknown).status_code == 404


def test_the_alert_page_shows_the_flags_the_contact_choice_and_the_shared_answers(personas: Personas) -> None:
    WorkerProfile.objects.create(user=personas.worker, employer=personas.org_a2)
    alert = submitted_response(RED_FLAG_ANSWERS, worker=personas.worker).alert
    alert_request_contact(alert=alert, **{**SHARED_CONTACT, "shared_items": ["overtime", "anything_else"]})
    html = verified_client(personas.consultant).get(detail_url(alert, "ja")).content.decode()
    # The flags' titles in the consultant's language: a rule's title, or the flagged item's question.
    for key in ("red_flag.kept_and_no_access.title", "item.hit.question", "item.overtime.question"):
        assert f"[ja] {key}" in html
    assert "[ja] item.passport_back.question" not in html  # part of the rule, not a flag itself
    assert "Minato Farm" in html and "Sakura Foods" in html  # employer, brand holder
    assert "090-1234-5678" in html and "Please call after 8 pm" in html
    assert re.search(r"120 ?\[ja\] item\.overtime\.unit", html)  # Japanese puts no space before a unit
    assert "The supervisor shouts at me every night" in html


def test_the_alert_page_shows_nothing_the_worker_did_not_share(personas: Personas) -> None:
    alert = desk_alert()
    alert_request_contact(alert=alert, method="none", shared_items=["overtime"])
    html = verified_client(personas.consultant).get(detail_url(alert)).content.decode()
    assert "[en] item.overtime.question" in html and "120" in html
    assert "shouts" not in html  # the free-text answer, not shared
    assert "item.anything_else" not in html
    assert "[en] answer." not in html  # no yes/no answer (hit, passport) was shared
    assert "option.deductions" not in html  # nor the deductions chosen


def test_an_alert_without_a_contact_choice_shows_no_answer_at_all(personas: Personas) -> None:
    html = verified_client(personas.consultant).get(detail_url(desk_alert())).content.decode()
    assert "The worker has not chosen whether or how to be contacted." in html
    assert "The worker has not shared any answers." in html
    assert "[en] answer." not in html and "120" not in html and "shouts" not in html


def test_every_look_at_an_alert_is_audited(personas: Personas) -> None:
    alert = desk_alert(**SHARED_CONTACT)
    client = verified_client(personas.supervisor)
    client.get(detail_url(alert))
    client.get(detail_url(alert, "vi"))
    entries = AuditEntry.objects.filter(action="alert.view", object_id=str(alert.pk))
    assert entries.count() == 2
    entry = entries.first()
    assert entry is not None and entry.actor_id == personas.supervisor.pk
    assert entry.object_type == "cases.Alert"
    assert entry.detail == {
        "shared_items": ["hit", "deductions", "overtime", "anything_else"],
        "contact_detail": True,
    }
    assert "090" not in str(entry.detail)  # identifiers only


def test_a_consultant_acknowledges_an_alert_from_its_page(personas: Personas) -> None:
    alert = desk_alert()
    client = verified_client(personas.consultant)
    acknowledge = acknowledge_url(alert)
    assert client.get(acknowledge).status_code == 405
    response = client.post(acknowledge, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(alert)
    html = response.content.decode()
    assert "Alert acknowledged." in html and "by consultant" in html
    assert 'action="' + acknowledge not in html  # no button once acknowledged
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == personas.consultant
    queue = client.get(queue_url()).content.decode()
    assert "0 new alerts waiting" in queue and str(alert.public_id) in queue  # still in the queue


def test_the_staff_menu_links_the_desk_for_desk_staff_only(personas: Personas) -> None:
    desk_alert()
    consultant_home = verified_client(personas.consultant).get("/en/account/").content.decode()
    assert 'href="/en/desk/alerts/">Desk alerts (1 new)' in consultant_home
    for persona in ("admin_a", "operator", "expert"):
        home = verified_client(getattr(personas, persona)).get("/en/account/").content.decode()
        assert "/desk/alerts/" not in home


def test_the_operator_admin_shows_alerts_read_only_without_the_contact_detail(personas: Personas) -> None:
    alert = desk_alert(**SHARED_CONTACT)
    client = verified_client(personas.operator)
    change = client.get(f"/admin/cases/alert/{alert.pk}/change/")
    assert change.status_code == 200
    html = change.content.decode()
    assert "090-1234-5678" not in html and "8 pm" not in html
    assert 'name="_save"' not in html
    assert client.get("/admin/cases/alert/add/").status_code == 403
    assert AuditEntry.objects.filter(action="admin.alert.view").count() == 1
    assert verified_client(personas.consultant).get("/admin/cases/alert/", follow=True).status_code == 404
