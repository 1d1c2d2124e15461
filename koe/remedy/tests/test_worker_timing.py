"""A company sees the worker's answer, and the step it caused, by their week only: the minute of
an answer on an anonymised case, next to a shift roster, can tell who answered. The desk keeps
the full times."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from koe.core.testing.personas import Personas
from koe.remedy.models import ActionEvent, ActionStatus, CorrectiveAction, WorkerAnswer
from koe.remedy.services import action_transition, worker_answer_record
from koe.remedy.testing import shared_action
from koe.remedy.tests.helpers import action_url, as_user, page, url

pytestmark = pytest.mark.django_db
# Wednesday 25 November 2026, 14:37:12.345678 in Japan: the week of Monday 23 November.
ANSWERED = datetime(2026, 11, 25, 14, 37, 12, 345678, tzinfo=ZoneInfo("Asia/Tokyo"))
PRECISE = ("14:37", "2026-11-25", "05:37", ANSWERED.isoformat()[:16])


def answered_action(personas: Personas) -> CorrectiveAction:
    action = shared_action(personas)  # shared with Sakura Foods at "summary": anonymised
    action_transition(action=action, to_status=ActionStatus.DO, actor=personas.admin_a)
    action_transition(action=action, to_status=ActionStatus.CHECK, actor=personas.admin_a)
    worker_answer_record(action=action, answer="no")
    WorkerAnswer.objects.filter(action=action).update(created_at=ANSWERED)
    assert ActionEvent.objects.filter(action=action, by_worker=True).update(created_at=ANSWERED) == 1
    return action


def test_the_company_page_shows_the_week_of_the_workers_answer_and_no_time(personas: Personas) -> None:
    body = page(as_user(personas, "admin_a"), action_url(answered_action(personas)))
    assert "by the worker&#x27;s answer" in body or "by the worker's answer" in body
    assert "week of 2026-11-23" in body  # the history's step
    assert "Week of 2026-11-23: did this solve the worker" in body  # and the answer
    assert 'datetime="2026-W48"' in body
    for precise in PRECISE:
        assert precise not in body, precise


def test_the_company_still_sees_the_times_of_its_own_steps(personas: Personas) -> None:
    action = answered_action(personas)
    own = ActionEvent.objects.filter(action=action, by_worker=False).first()
    assert own is not None
    body = page(as_user(personas, "admin_a"), action_url(action))
    assert own.created_at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M") in body


def test_the_desk_page_keeps_the_full_time_of_the_workers_answer(personas: Personas) -> None:
    action = answered_action(personas)
    body = page(as_user(personas, "consultant"), url("desk_action", action.pk))
    assert "2026-11-25 14:37" in body
