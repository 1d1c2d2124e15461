"""Routing at the desk: each consultant's queue, the supervisors' workload page, handing over a
consultant's cases, and telling the worker of a reply without saying anything about it."""

import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from koe.accounts.models import Role
from koe.audit.models import AuditEntry
from koe.cases.models import Case, CaseEvent, CaseStatus, ContactMethod
from koe.cases.services import case_assign, case_open, case_transition, desk_message_post
from koe.cases.services.cases import HandoverRefused, cases_hand_over, desk_messages_mark_read
from koe.core.testing.personas import Personas, make_user, verified_client

pytestmark = pytest.mark.django_db


def opened(personas: Personas, language: str = "vi", severity: str = "routine", **fields: Any) -> Case:
    case = case_open(
        language=language, account="My boss keeps my passport", channel="phone", severity=severity,
        categories=["wages"], logged_by=personas.consultant, **fields,
    )  # fmt: skip
    assert isinstance(case, Case)
    return case


def url(name: str, page_language: str = "en", **query: str) -> str:
    with translation.override(page_language):
        path = reverse(f"cases:{name}")
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def listed(client: Any, **query: str) -> set[str]:
    response = client.get(url("case_inbox", **query))
    assert response.status_code == 200
    return set(re.findall(r"/desk/cases/([0-9a-f-]{36})/", response.content.decode()))


def ids(*cases: Case) -> set[str]:
    return {str(case.public_id) for case in cases}


# The routed queue --------------------------------------------------------------------------------


def test_a_consultant_starts_from_the_open_untaken_cases_in_their_languages_and_their_own(
    personas: Personas,
) -> None:
    vietnamese = opened(personas, "vi")  # the consultant speaks Japanese and Vietnamese
    nepali = opened(personas, "ne")
    mine_in_nepali = opened(personas, "ne")
    case_assign(case=mine_in_nepali, assignee=personas.consultant, actor=personas.supervisor)
    taken_by_supervisor = opened(personas, "ja")
    case_assign(case=taken_by_supervisor, assignee=personas.supervisor, actor=personas.supervisor)
    closed = opened(personas, "vi")
    case_transition(case=closed, to_status=CaseStatus.CLOSED, actor=personas.consultant, reason="Spam")
    client = verified_client(personas.consultant)
    assert listed(client) == ids(vietnamese, mine_in_nepali)
    assert listed(client, view="all") == ids(vietnamese, nepali, mine_in_nepali, taken_by_supervisor)
    assert "My queue" in client.get(url("case_inbox")).content.decode()


def test_the_queue_puts_critical_cases_first_and_keeps_the_other_filters(personas: Personas) -> None:
    routine = opened(personas, "ja")
    critical = opened(personas, "vi", severity="critical")
    client = verified_client(personas.consultant)
    html = client.get(url("case_inbox", view="queue")).content.decode()
    order = re.findall(r"/desk/cases/([0-9a-f-]{36})/", html)
    assert order == [str(critical.public_id), str(routine.public_id)]
    assert listed(client, view="queue", language="ja") == ids(routine)
    assert 'name="view" value="queue"' in html  # filtering stays in the queue


def test_a_consultant_who_listed_no_language_sees_every_language_in_the_queue(personas: Personas) -> None:
    newcomer = make_user("newcomer", Role.CONSULTANT)
    cases = [opened(personas, language) for language in ("vi", "ne", "my")]
    assert listed(verified_client(newcomer)) == ids(*cases)


def test_a_supervisors_queue_and_default_view_hold_every_open_case(personas: Personas) -> None:
    nepali = opened(personas, "ne")
    taken = opened(personas, "vi")
    case_assign(case=taken, assignee=personas.consultant, actor=personas.consultant)
    client = verified_client(personas.supervisor)
    assert listed(client) == listed(client, view="queue") == ids(nepali, taken)


# Workload ----------------------------------------------------------------------------------------


def workload_html(personas: Personas) -> str:
    response = verified_client(personas.supervisor).get(url("workload"))
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, label: str) -> list[str]:
    """The cells of the table row whose header contains ``label``, tags stripped."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and label in cells[0]:
            return cells
    raise AssertionError(f"no row for {label}")


def test_the_workload_page_counts_open_cases_by_person_severity_and_language(personas: Personas) -> None:
    for severity in ("critical", "urgent", "urgent"):
        case_assign(case=opened(personas, severity=severity), assignee=personas.consultant, actor=None)
    overdue = opened(personas, severity="critical")
    Case.objects.filter(pk=overdue.pk).update(acknowledge_by=overdue.created_at.replace(year=2020))
    case_assign(case=overdue, assignee=personas.consultant, actor=None)
    opened(personas, "ne")
    opened(personas, "ne", severity="critical")
    html = workload_html(personas)
    # name, languages, critical, urgent, routine, total, overdue
    assert row_of(html, "consultant") == ["consultant", "Japanese, Vietnamese", "2", "2", "0", "4", "1"]
    assert row_of(html, "supervisor")[2:] == ["0", "0", "0", "0", "0"]
    assert row_of(html, "Nepali") == ["Nepali", "1", "0", "1", "2", "0"]


def test_the_workload_page_costs_the_same_queries_for_few_and_many_cases(personas: Personas) -> None:
    opened(personas)
    workload_html(personas)  # warm the session
    with CaptureQueriesContext(connection) as few:
        workload_html(personas)
    for language in ("ne", "my", "th", "km"):
        helper = make_user(f"helper_{language}", Role.CONSULTANT, spoken_languages=[language])
        case_assign(case=opened(personas, language), assignee=helper, actor=None)
        opened(personas, language, severity="urgent")
    with CaptureQueriesContext(connection) as many:
        workload_html(personas)
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ["consultant", "worker", "expert", "admin_a", "operator"])
def test_nobody_but_a_supervisor_finds_the_workload_page_or_hands_cases_over(
    personas: Personas, persona: str
) -> None:
    case = opened(personas)
    case_assign(case=case, assignee=personas.consultant, actor=None)
    client = verified_client(getattr(personas, persona))
    assert client.get(url("workload")).status_code == 404
    post = {"from_user": personas.consultant.pk, "to_user": personas.supervisor.pk, "reason": "Left"}
    assert client.post(url("hand_over"), post).status_code == 404
    assert Case.objects.get(pk=case.pk).assignee == personas.consultant


# Handover ----------------------------------------------------------------------------------------


def test_a_supervisor_hands_over_every_open_case_of_someone_who_left(personas: Personas) -> None:
    leaving = make_user("leaving", Role.CONSULTANT, spoken_languages=["ne"])
    held = [opened(personas, language) for language in ("ne", "vi", "ne")]
    for case in held:
        case_assign(case=case, assignee=leaving, actor=None)
    finished = opened(personas, "ne")
    case_assign(case=finished, assignee=leaving, actor=None)
    case_transition(case=finished, to_status=CaseStatus.CLOSED, actor=leaving, reason="Done")
    leaving.is_active = False
    leaving.save()
    client = verified_client(personas.supervisor)
    assert "no longer at the desk" in workload_html(personas)
    audited = AuditEntry.objects.count()
    response = client.post(
        url("hand_over"),
        {"from_user": leaving.pk, "to_user": personas.consultant.pk, "reason": "Left the desk"},
        follow=True,
    )
    assert "Cases handed over to consultant: 3. Left unassigned: 0." in response.content.decode()
    assert set(Case.objects.filter(assignee=personas.consultant)) == set(held)
    assert Case.objects.get(pk=finished.pk).assignee == leaving  # a closed case keeps its history
    events = CaseEvent.objects.filter(kind="assigned", actor=personas.supervisor)
    assert sorted(event.case_id for event in events) == sorted(case.pk for case in held)
    assert {event.reason for event in events} == {"Left the desk"}
    assert AuditEntry.objects.count() == audited + 1
    assert AuditEntry.objects.latest("pk").action == "case.hand_over"


def test_a_handover_can_keep_only_the_languages_the_new_consultant_speaks(personas: Personas) -> None:
    vietnamese, nepali = opened(personas, "vi"), opened(personas, "ne")
    for case in (vietnamese, nepali):
        case_assign(case=case, assignee=personas.supervisor, actor=None)
    done = cases_hand_over(
        from_user=personas.supervisor, to_user=personas.consultant, actor=personas.supervisor,
        reason="On leave", only_spoken=True,
    )  # fmt: skip
    assert (done.handed_over, done.unassigned) == (1, 1)
    assert Case.objects.get(pk=vietnamese.pk).assignee == personas.consultant
    assert Case.objects.get(pk=nepali.pk).assignee is None


def test_cases_are_never_handed_to_someone_who_is_not_active_desk_staff(personas: Personas) -> None:
    case = opened(personas)
    case_assign(case=case, assignee=personas.consultant, actor=None)
    for target in (personas.expert, personas.consultant):
        with pytest.raises(HandoverRefused):
            cases_hand_over(
                from_user=personas.consultant, to_user=target, actor=personas.supervisor, reason="x"
            )
    response = verified_client(personas.supervisor).post(
        url("hand_over"), {"from_user": personas.consultant.pk, "to_user": personas.expert.pk, "reason": "x"}
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).assignee == personas.consultant


def test_a_handover_without_a_reason_is_refused(personas: Personas) -> None:
    case_assign(case=opened(personas), assignee=personas.consultant, actor=None)
    response = verified_client(personas.supervisor).post(
        url("hand_over"),
        {"from_user": personas.consultant.pk, "to_user": personas.supervisor.pk, "reason": " "},
    )
    assert response.status_code == 400
    assert "Say why the cases are handed over." in response.content.decode()


# Telling the worker of a reply -------------------------------------------------------------------


REPLY = "Your employer must give your passport back"


def reply(personas: Personas, case: Case, callbacks: Any, body: str = REPLY) -> None:
    with callbacks(execute=True):
        desk_message_post(case=case, body=body, actor=personas.consultant)


def test_a_worker_who_chose_e_mail_is_told_of_a_reply_without_its_content_in_their_language(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    case = opened(personas, "vi", contact_method=ContactMethod.EMAIL, contact_detail="lan@example.org")
    reply(personas, case, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["lan@example.org"]
    with translation.override("vi"):
        assert sent.subject == translation.gettext("You have a new reply from Koe")
        assert reverse("consult:open") in sent.body  # the receipt-code page, in Vietnamese
    for secret in (REPLY, "passport", case.number, str(case.public_id), "wages"):
        assert secret not in sent.subject and secret not in sent.body


def test_a_signed_in_worker_is_sent_to_their_consultations_not_to_this_case(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    case = opened(personas, "vi", worker=personas.worker,
                  contact_method=ContactMethod.EMAIL, contact_detail="lan@example.org")  # fmt: skip
    reply(personas, case, django_capture_on_commit_callbacks)
    with translation.override("vi"):
        assert reverse("consult:mine") in mail.outbox[0].body
    assert str(case.public_id) not in mail.outbox[0].body


@pytest.mark.parametrize(
    "method", [ContactMethod.KOE, ContactMethod.PHONE, ContactMethod.MESSAGING, ContactMethod.NONE]
)
def test_no_e_mail_goes_to_a_worker_who_chose_another_way(
    personas: Personas, django_capture_on_commit_callbacks: Any, method: str
) -> None:
    case = opened(personas, contact_method=method, contact_detail="090-1234-5678")
    reply(personas, case, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_two_replies_in_a_row_send_one_notice_and_a_read_reply_none(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    case = opened(personas, contact_method=ContactMethod.EMAIL, contact_detail="lan@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        desk_message_post(case=case, body="First", actor=personas.consultant)
        desk_message_post(case=case, body="Second", actor=personas.consultant)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        desk_message_post(case=case, body="Third", actor=personas.consultant)
    desk_messages_mark_read(case=case)
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_the_desk_is_told_how_the_worker_will_hear_of_the_reply(personas: Personas) -> None:
    case = opened(personas, contact_method=ContactMethod.PHONE, contact_detail="090-1234-5678")
    client = verified_client(personas.consultant)
    with translation.override("en"):
        path = reverse("cases:case_reply", args=[case.public_id])
    response = client.post(path, {"body": "We found a lawyer"}, follow=True)
    assert "call them to say that a reply is waiting" in response.content.decode()
