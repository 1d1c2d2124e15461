"""An overdue action stays editable, refusals read as messages, and the company
never sees the desk's deadlines."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from koe.core.testing.personas import Personas
from koe.remedy.models import ActionStatus, CorrectiveAction
from koe.remedy.services import ActionRefused, action_transition
from koe.remedy.testing import action_of, shared_case
from koe.remedy.tests.helpers import action_url, as_user, page, url

pytestmark = pytest.mark.django_db


def test_an_overdue_action_can_be_edited_keeping_its_past_due_date(personas: Personas) -> None:
    past = timezone.localdate() - timedelta(days=5)
    action = action_of(personas, due_date=past)
    data = {"plan": "Return passports this week", "owner_name": "CEO", "due_date": past.isoformat()}
    response = as_user(personas, "user_a").post(action_url(action), data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.plan, action.due_date) == ("Return passports this week", past)


def test_an_overdue_action_cannot_be_moved_to_another_past_date(personas: Personas) -> None:
    action = action_of(personas, due_date=timezone.localdate() - timedelta(days=5))
    other = (timezone.localdate() - timedelta(days=9)).isoformat()
    data = {"plan": "Return passports", "owner_name": "CEO", "due_date": other}
    response = as_user(personas, "user_a").post(action_url(action), data)
    assert response.status_code == 400
    assert "The due date cannot be in the past." in response.content.decode()


def test_editing_an_action_sent_for_checking_says_why_it_was_refused(personas: Personas) -> None:
    action = action_of(personas)
    action_transition(action=action, to_status=ActionStatus.DO, actor=personas.user_a)
    action_transition(action=action, to_status=ActionStatus.CHECK, actor=personas.user_a)
    data = {"plan": "Something else", "owner_name": "CEO", "due_date": "2031-01-01"}
    response = as_user(personas, "user_a").post(action_url(action), data)
    assert response.status_code == 400
    assert "This action can no longer be changed" in response.content.decode()


def test_an_action_moved_on_while_being_edited_gives_a_message_not_an_error(personas: Personas) -> None:
    action = action_of(personas)
    data = {"plan": "Something else", "owner_name": "CEO", "due_date": "2031-01-01"}
    client = as_user(personas, "user_a")
    with mock.patch("koe.remedy.services.action_update", side_effect=ActionRefused("raced")):
        response = client.post(action_url(action), data)
    assert response.status_code == 302
    assert "This action can no longer be changed" in page(client, response["Location"])


def test_a_new_action_refused_by_a_race_gives_a_message_not_an_error(personas: Personas) -> None:
    case = shared_case(personas)
    data = {"plan": "Return passports", "owner_name": "CEO", "due_date": "2031-01-01"}
    client = as_user(personas, "user_a")
    with mock.patch("koe.remedy.services.action_create", side_effect=ActionRefused("unshared")):
        response = client.post(url("company_action_new", case.number), data)
    assert response.status_code == 302
    assert "The action could not be recorded" in page(client, response["Location"])
    assert not CorrectiveAction.objects.filter(case=case).exists()


def test_a_status_race_gives_a_message_not_an_error(personas: Personas) -> None:
    action = action_of(personas)
    client = as_user(personas, "user_a")
    with mock.patch("koe.remedy.services.action_transition", side_effect=ActionRefused("raced")):
        response = client.post(action_url(action, "company_action_status"), {"to_status": ActionStatus.DO})
    assert response.status_code == 302
    assert "This step cannot follow" in page(client, response["Location"])


def test_the_company_case_page_shows_none_of_the_desks_deadlines(personas: Personas) -> None:
    case = shared_case(personas)
    case.created_at = timezone.now() - timedelta(days=400)
    case.save(update_fields=["created_at"])
    html = page(as_user(personas, "user_a"), url("company_case", case.number))
    for words in ("deadline", "acknowledg", "Feedback to the worker", "OVERDUE"):
        assert words.lower() not in html.lower(), words
