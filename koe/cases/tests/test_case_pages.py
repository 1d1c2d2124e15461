"""The desk's case pages as consultants and supervisors use them: the inbox, one case's page
with its forms, a consultation logged by phone, and a case opened from a self-check alert."""

import datetime
import re
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from koe.audit.models import AuditEntry
from koe.cases.models import Case, CaseEvent, CaseStatus, InternalNote, Message, MessageAuthor
from koe.cases.services import case_assign, case_open, case_transition, desk_message_post
from koe.cases.testing import SHARED_CONTACT, desk_alert
from koe.core.testing.personas import Personas, verified_client

pytestmark = pytest.mark.django_db

NOT_DESK = ["worker", "expert", "auditor", "admin_a", "user_a1", "operator"]
CASE_POSTS = ["case_status", "case_assign", "case_reply", "case_note"]


def url(name: str, *args: Any, page_language: str = "en", **query: str) -> str:
    with translation.override(page_language):
        path = reverse(f"cases:{name}", args=args)
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def opened(personas: Personas, *, hours_ago: int = 0, severity: str = "routine", language: str = "vi",
           categories: list[str] | None = None, **fields: Any) -> Case:  # fmt: skip
    """A logged consultation, opened ``hours_ago`` (its deadlines moved back with it)."""
    case = case_open(
        language=language, account="My boss keeps my passport", channel="phone", severity=severity,
        categories=categories or ["wages"], logged_by=personas.consultant, **fields,
    )  # fmt: skip
    assert isinstance(case, Case)
    shift = datetime.timedelta(hours=hours_ago)
    Case.objects.filter(pk=case.pk).update(
        created_at=case.created_at - shift,
        acknowledge_by=case.acknowledge_by - shift,
        feedback_by=case.feedback_by - shift,
    )
    case.refresh_from_db()
    return case


def rows(html: str) -> list[str]:
    """The cases' ids in the inbox's order, read from the links to their pages."""
    return re.findall(r"/desk/cases/([0-9a-f-]{36})/", html)


def ids(*cases: Case) -> list[str]:
    return [str(case.public_id) for case in cases]


def inbox(client: Any, **query: str) -> str:
    query.setdefault("view", "all")  # every case, not only the consultant's routed queue
    response = client.get(url("case_inbox", **query))
    assert response.status_code == 200
    return response.content.decode()


# The inbox ---------------------------------------------------------------------------------------


def test_the_inbox_puts_critical_cases_first_then_overdue_ones_then_the_oldest(personas: Personas) -> None:
    routine_old = opened(personas, hours_ago=24 * 3)
    routine_overdue = opened(personas, hours_ago=24 * 8)
    critical_new = opened(personas, severity="critical", hours_ago=1)
    urgent_newer = opened(personas, severity="urgent", hours_ago=2)
    critical_overdue = opened(personas, severity="critical", hours_ago=30)
    html = inbox(verified_client(personas.consultant))
    expected = [critical_overdue, critical_new, routine_overdue, routine_old, urgent_newer]
    assert rows(html) == ids(*expected)


def test_overdue_cases_are_marked_in_words_and_found_by_the_overdue_filter(personas: Personas) -> None:
    unacknowledged = opened(personas, hours_ago=24 * 8)
    acknowledged = opened(personas, hours_ago=24 * 8)
    case_transition(
        case=acknowledged, to_status=CaseStatus.ACKNOWLEDGED, actor=personas.consultant, reason="Read"
    )
    no_reply = opened(personas, hours_ago=24 * 92)
    case_transition(
        case=no_reply, to_status=CaseStatus.ACKNOWLEDGED, actor=personas.consultant, reason="Read"
    )
    answered = opened(personas, hours_ago=24 * 92)
    case_transition(
        case=answered, to_status=CaseStatus.ACKNOWLEDGED, actor=personas.consultant, reason="Read"
    )
    desk_message_post(case=answered, body="We are on it.", actor=personas.consultant)
    closed = opened(personas, hours_ago=24 * 8)
    case_transition(case=closed, to_status=CaseStatus.CLOSED, actor=personas.consultant, reason="Spam")
    fresh = opened(personas)
    client = verified_client(personas.consultant)
    assert set(rows(inbox(client, overdue="on"))) == set(ids(unacknowledged, no_reply))
    html = inbox(client)
    assert set(rows(html)) == set(ids(unacknowledged, acknowledged, no_reply, answered, fresh))
    assert html.count("OVERDUE") == 2  # in text, not only in colour
    assert "Open cases: 5. Overdue: 2. Not assigned: 5." in html
    assert "Cases (2 overdue)" in html  # the staff menu


def test_the_inbox_filters_by_status_language_severity_and_assignee(personas: Personas) -> None:
    vi_new = opened(personas)
    ne_urgent = opened(personas, language="ne", severity="urgent")
    mine = opened(personas)
    case_assign(case=mine, assignee=personas.consultant, actor=personas.consultant)
    supervisors = opened(personas, language="ne")
    case_assign(case=supervisors, assignee=personas.supervisor, actor=personas.supervisor)
    resolved = opened(personas)
    for status in (CaseStatus.ACKNOWLEDGED, CaseStatus.RESOLVED):
        case_transition(case=resolved, to_status=status, actor=personas.consultant, reason="Done")
    client = verified_client(personas.consultant)

    def shown(**query: str) -> set[str]:
        return set(rows(inbox(client, **query)))

    assert shown() == set(ids(vi_new, ne_urgent, mine, supervisors))
    assert shown(status="resolved") == set(ids(resolved))
    assert shown(language="ne") == set(ids(ne_urgent, supervisors))
    assert shown(severity="urgent") == set(ids(ne_urgent))
    assert shown(assignee="me") == set(ids(mine))
    assert shown(assignee="unassigned") == set(ids(vi_new, ne_urgent))
    assert shown(assignee=str(personas.supervisor.pk)) == set(ids(supervisors))
    assert shown(severity="catastrophic") == shown()  # an invalid filter is dropped, not an error


def test_the_inbox_searches_numbers_employers_categories_and_words(personas: Personas) -> None:
    at_farm = opened(personas, employer=personas.org_a2, categories=["housing"])
    other = opened(personas, categories=["wages", "harassment"])
    client = verified_client(personas.consultant)
    assert rows(inbox(client, search=other.number.lower())) == ids(other)
    assert rows(inbox(client, search="minato")) == ids(at_farm)
    assert rows(inbox(client, search="Harassment")) == ids(other)  # a category's name
    assert set(rows(inbox(client, search="passport"))) == set(ids(at_farm, other))  # a word they wrote
    assert rows(inbox(client, search="visa")) == []
    assert "matched whole" in inbox(client)


def test_the_inbox_costs_the_same_queries_for_few_and_many_cases(personas: Personas) -> None:
    client = verified_client(personas.consultant)
    case_assign(case=opened(personas, employer=personas.org_a1), assignee=personas.supervisor, actor=None)
    inbox(client)  # warm the session
    with CaptureQueriesContext(connection) as few:
        inbox(client)
    for hours in range(8):
        case = opened(
            personas, hours_ago=hours * 30, employer=personas.org_a2, categories=["wages", "housing"]
        )
        case_assign(case=case, assignee=personas.consultant, actor=None)
    with CaptureQueriesContext(connection) as many:
        html = inbox(client)
    assert len(rows(html)) == 9
    assert len(many) == len(few)


# Who may see cases -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_DESK)
def test_nobody_but_the_desk_finds_any_case_page(personas: Personas, persona: str) -> None:
    case = opened(personas)
    client = verified_client(getattr(personas, persona))
    for name in ("case_inbox", "case_new"):
        assert client.get(url(name)).status_code == 404
    assert client.get(url("case_detail", case.public_id)).status_code == 404
    for name in CASE_POSTS:
        data = {"to_status": "acknowledged", "reason": "x", "body": "x", "assignee": personas.consultant.pk}
        assert client.post(url(name, case.public_id), data).status_code == 404
    assert client.post(url("case_new"), {"account": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW and case.assignee is None
    assert not Message.objects.filter(author_kind=MessageAuthor.DESK).exists()
    assert not InternalNote.objects.exists()
    assert not AuditEntry.objects.filter(action="case.view").exists()


def test_an_unknown_case_is_a_404_for_the_desk_too(personas: Personas) -> None:
    assert verified_client(personas.consultant).get(url("case_detail", uuid.uuid4())).status_code == 404


# One case's page ---------------------------------------------------------------------------------


def test_opening_a_case_shows_what_happened_and_records_it_in_the_audit_log(personas: Personas) -> None:
    case = opened(personas, contact_method="phone", contact_detail="090-1234-5678")
    html = verified_client(personas.supervisor).get(url("case_detail", case.public_id)).content.decode()
    assert "My boss keeps my passport" in html and "090-1234-5678" in html
    assert case.number in html and "Wages" in html and "Phone" in html
    entry = AuditEntry.objects.get(action="case.view")
    assert entry.actor_id == personas.supervisor.pk and entry.object_id == str(case.pk)
    assert "passport" not in str(entry.detail)


def test_a_status_change_needs_an_allowed_status_and_a_reason(personas: Personas) -> None:
    case = opened(personas)
    client = verified_client(personas.consultant)
    page = client.get(url("case_detail", case.public_id)).content.decode()
    assert 'value="acknowledged"' in page and 'value="resolved"' not in page  # only allowed steps offered
    skipped = client.post(url("case_status", case.public_id), {"to_status": "resolved", "reason": "Done"})
    assert skipped.status_code == 400
    assert "This status cannot follow the case&#x27;s present status." in skipped.content.decode()
    silent = client.post(url("case_status", case.public_id), {"to_status": "acknowledged", "reason": "  "})
    assert silent.status_code == 400 and "Say why the status changes." in silent.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    response = client.post(
        url("case_status", case.public_id), {"to_status": "acknowledged", "reason": "Called"}
    )
    assert response.status_code == 302 and response["Location"] == url("case_detail", case.public_id)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACKNOWLEDGED and case.acknowledged_at is not None
    event = CaseEvent.objects.get(case=case, kind="status")
    assert (event.actor, event.reason) == (personas.consultant, "Called")
    timeline = client.get(url("case_detail", case.public_id)).content.decode()
    assert "Status: New → Acknowledged" in timeline and "Why: Called" in timeline


def test_a_supervisor_assigns_anyone_listing_those_who_speak_the_language_first(personas: Personas) -> None:
    case = opened(personas, language="vi")
    client = verified_client(personas.supervisor)
    whole = client.get(url("case_detail", case.public_id)).content.decode()
    # Only the assignment form: other forms on the page list organisations whose ids may collide.
    start = whole.index('action="' + url("case_assign", case.public_id))
    page = whole[start : whole.index("</form>", start)]
    # The consultant speaks Vietnamese; the supervisor does not.
    assert page.index('label="Speak Vietnamese"') < page.index(f'value="{personas.consultant.pk}"')
    assert page.index(f'value="{personas.consultant.pk}"') < page.index('label="Other desk staff"')
    assert page.index('label="Other desk staff"') < page.index(f'value="{personas.supervisor.pk}"')
    response = client.post(url("case_assign", case.public_id), {"assignee": personas.consultant.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == personas.consultant
    assert CaseEvent.objects.filter(case=case, kind="assigned", actor=personas.supervisor).exists()
    assert client.post(url("case_assign", case.public_id), {"assignee": "nobody"}).status_code == 302
    case.refresh_from_db()
    assert case.assignee is None


def test_a_consultant_may_take_an_unassigned_case_but_not_reassign_one(personas: Personas) -> None:
    case = opened(personas)
    client = verified_client(personas.consultant)
    taken = client.post(url("case_assign", case.public_id), {"assignee": personas.supervisor.pk})
    assert taken.status_code == 400  # not to someone else
    assert (
        client.post(url("case_assign", case.public_id), {"assignee": personas.consultant.pk}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.assignee == personas.consultant
    case_assign(case=case, assignee=personas.supervisor, actor=personas.supervisor)
    refused = client.post(url("case_assign", case.public_id), {"assignee": personas.consultant.pk})
    assert refused.status_code == 400
    case.refresh_from_db()
    assert case.assignee == personas.supervisor


def test_a_reply_reaches_the_worker_and_counts_as_feedback(personas: Personas) -> None:
    case = opened(personas)
    client = verified_client(personas.consultant)
    response = client.post(url("case_reply", case.public_id), {"body": "We will call you tonight."})
    assert response.status_code == 302
    message = Message.objects.get(case=case)
    assert message.author_kind == MessageAuthor.DESK and message.body == "We will call you tonight."
    assert message.author == personas.consultant and message.language == "vi"
    case.refresh_from_db()
    assert case.feedback_at is not None
    assert client.post(url("case_reply", case.public_id), {"body": ""}).status_code == 400


def test_an_internal_note_is_never_a_message_to_the_worker(personas: Personas) -> None:
    case = opened(personas)
    client = verified_client(personas.consultant)
    assert client.post(url("case_note", case.public_id), {"body": "Employer known to us"}).status_code == 302
    assert InternalNote.objects.get(case=case).body == "Employer known to us"
    assert not Message.objects.filter(case=case).exists()
    page = client.get(url("case_detail", case.public_id)).content.decode()
    assert "Internal note (never shown to the worker)" in page and "Employer known to us" in page


# Logging a consultation --------------------------------------------------------------------------


def phone_call(**changes: Any) -> dict[str, Any]:
    return {
        "intake_key": str(uuid.uuid4()), "channel": "phone", "language": "ne",
        "categories": ["wages", "retained_documents"], "severity": "urgent",
        "account": "Unpaid for two months; the company keeps his passport.", "employer_named": "Tanaka Farm",
        "contact_method": "phone", "contact_detail": "080-0000-1111", **changes,
    }  # fmt: skip


def test_a_consultant_logs_a_phone_consultation_once_even_if_sent_twice(personas: Personas) -> None:
    client = verified_client(personas.consultant)
    data = phone_call()
    response = client.post(url("case_new"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url("case_detail", case.public_id)
    assert (case.channel, case.language, case.severity) == ("phone", "ne", "urgent")
    assert case.categories == ["wages", "retained_documents"]
    assert case.logged_by == personas.consultant and case.worker is None
    assert case.account.startswith("Unpaid") and case.contact_detail == "080-0000-1111"
    assert client.post(url("case_new"), data).status_code == 302
    assert Case.objects.count() == 1


def test_logging_refuses_portal_channels_and_a_phone_contact_without_a_number(personas: Personas) -> None:
    client = verified_client(personas.consultant)
    page = client.get(url("case_new")).content.decode()
    assert 'value="walk_in"' in page and 'value="portal"' not in page and 'value="self_check"' not in page
    assert client.post(url("case_new"), phone_call(channel="portal")).status_code == 400
    missing = client.post(url("case_new"), phone_call(contact_detail=""))
    assert missing.status_code == 400 and "Give the phone number" in missing.content.decode()
    assert not Case.objects.exists()


# From an alert -----------------------------------------------------------------------------------


def test_an_alert_opens_one_case_and_then_links_to_it(personas: Personas) -> None:
    alert = desk_alert(**SHARED_CONTACT)
    client = verified_client(personas.consultant)
    assert "Open a case" in client.get(url("alert_detail", alert.public_id)).content.decode()
    first = client.post(url("alert_open_case", alert.public_id))
    case = Case.objects.get()
    assert first.status_code == 302 and first["Location"] == url("case_detail", case.public_id)
    again = client.post(url("alert_open_case", alert.public_id))
    assert again["Location"] == first["Location"] and Case.objects.count() == 1
    assert case.alert == alert and case.channel == "self_check" and case.severity == "critical"
    page = client.get(url("alert_detail", alert.public_id)).content.decode()
    assert f"Case {case.number} was opened from this alert." in page and "Open a case" not in page
    assert client.get(url("case_detail", case.public_id)).status_code == 200
