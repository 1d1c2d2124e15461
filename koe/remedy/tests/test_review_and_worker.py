"""The desk reviews an action being checked and the worker is asked whether it solved the problem,
on their own case page, signed in or with the receipt code and PIN. The company sees the desk's
comment and the worker's answer, never the worker's comment; the action moves on to "act" only
when both said yes, and back when either did not."""

from typing import Any

import pytest
from django.test import Client

from koe.cases.models import Case, Satisfaction, ShareLevel
from koe.cases.services import Receipt, case_open, case_share_set
from koe.core.testing.personas import Personas
from koe.remedy.models import ActionStatus, CorrectiveAction, ReviewDecision, WorkerAnswer
from koe.remedy.services import ActionRefused, action_review, action_transition, worker_answer_record
from koe.remedy.testing import action_of, shared_case
from koe.remedy.tests.helpers import action_url, as_user, page, url

pytestmark = pytest.mark.django_db
S = ActionStatus
QUESTION = "Your employer says it has taken action about your consultation."
LINKED = "Sakura Foods, a company linked to your employer, says it has taken action about your consultation."


def in_check(personas: Personas, case: Case | None = None) -> CorrectiveAction:
    action = action_of(personas, case)
    action_transition(action=action, to_status=S.DO, actor=personas.admin_a)
    return action_transition(action=action, to_status=S.CHECK, actor=personas.admin_a)


def review(personas: Personas, action: CorrectiveAction, decision: str, comment: str = "") -> Any:
    data = {"decision": decision, "comment": comment}
    return as_user(personas, "consultant").post(url("desk_action_review", action.pk), data)


def answer(client: Client, action: CorrectiveAction, value: str, comment: str = "") -> Any:
    prefix = f"action{action.pk}"
    return client.post(
        url("worker_answer", action.public_id), {f"{prefix}-answer": value, f"{prefix}-comment": comment}
    )


def status_of(action: CorrectiveAction) -> str:
    action.refresh_from_db()
    return action.status


# The desk ---------------------------------------------------------------------------------------


def test_the_desk_lists_actions_on_the_case_page_and_asks_for_changes_that_the_company_reads(
    personas: Personas,
) -> None:
    action = in_check(personas)
    desk = as_user(personas, "consultant")
    with_case = page(desk, f"/en/desk/cases/{action.case.public_id}/")
    assert url("desk_action", action.pk) in with_case and "Sakura Foods" in with_case
    assert review(personas, action, ReviewDecision.NEEDS_CHANGES).status_code == 400  # a comment is needed
    assert review(personas, action, ReviewDecision.NEEDS_CHANGES, "Add a training date").status_code == 302
    assert status_of(action) == S.DO
    company = page(as_user(personas, "user_a"), action_url(action))
    assert "Needs changes" in company and "Add a training date" in company


def test_only_an_action_being_checked_can_be_reviewed(personas: Personas) -> None:
    action = action_of(personas)
    assert review(personas, action, ReviewDecision.ACCEPTED).status_code == 400
    with pytest.raises(ActionRefused):
        action_review(action=action, decision=ReviewDecision.ACCEPTED, comment="", actor=personas.admin_a)
    assert not action.reviews.exists()


def test_accepted_by_the_desk_and_then_yes_from_the_worker_moves_the_action_to_act(
    personas: Personas,
) -> None:
    action = in_check(personas)
    review(personas, action, ReviewDecision.ACCEPTED)
    assert status_of(action) == S.CHECK  # waiting for the worker
    worker_answer_record(action=action, answer=Satisfaction.YES)
    assert status_of(action) == S.ACT


def test_yes_from_the_worker_and_then_acceptance_by_the_desk_moves_the_action_to_act(
    personas: Personas,
) -> None:
    action = in_check(personas)
    worker_answer_record(action=action, answer=Satisfaction.YES)
    assert status_of(action) == S.CHECK  # waiting for the desk
    review(personas, action, ReviewDecision.ACCEPTED)
    assert status_of(action) == S.ACT


@pytest.mark.parametrize(("value", "back_to"), [(Satisfaction.NO, S.PLAN), (Satisfaction.PARTLY, S.DO)])
def test_no_or_partly_from_the_worker_sends_the_action_back(
    personas: Personas, value: str, back_to: str
) -> None:
    action = in_check(personas)
    review(personas, action, ReviewDecision.ACCEPTED)
    worker_answer_record(action=action, answer=value)
    assert status_of(action) == back_to


def test_answers_and_reviews_of_an_earlier_check_do_not_count_in_the_next(personas: Personas) -> None:
    action = in_check(personas)
    review(personas, action, ReviewDecision.ACCEPTED)
    worker_answer_record(action=action, answer=Satisfaction.PARTLY)  # back to do
    action_transition(action=action, to_status=S.CHECK, actor=personas.admin_a)
    worker_answer_record(action=action, answer=Satisfaction.YES)
    assert status_of(action) == S.CHECK  # the first round's acceptance is not this round's


# The worker -------------------------------------------------------------------------------------


def test_the_signed_in_worker_is_asked_and_the_company_sees_the_answer_but_not_the_comment(
    personas: Personas,
) -> None:
    action = in_check(personas)
    worker = as_user(personas, "worker")
    html = page(worker, f"/en/consult/{action.case.public_id}/")
    assert LINKED in html and "Did this solve the problem?" in html
    response = answer(worker, action, Satisfaction.NO, "They only said sorry")
    assert response.status_code == 302 and response["Location"].endswith("#corrective-actions")
    assert status_of(action) == S.PLAN
    recorded = WorkerAnswer.objects.get()
    assert (recorded.answer, recorded.comment, recorded.round) == ("no", "They only said sorry", 1)
    company = page(as_user(personas, "user_a"), action_url(action))
    assert "did this solve the worker's problem? No" in company
    assert "They only said sorry" not in company
    assert "They only said sorry" in page(as_user(personas, "consultant"), url("desk_action", action.pk))
    assert LINKED not in page(worker, f"/en/consult/{action.case.public_id}/")  # no longer being checked


def test_the_employer_is_named_as_the_workers_employer_in_the_question(personas: Personas) -> None:
    case = shared_case(personas)
    case_share_set(case=case, organization=personas.org_a1, level=ShareLevel.SUMMARY, actor=personas.worker)
    action = CorrectiveAction.objects.create(
        case=case,
        organization=personas.org_a1,
        plan="p",
        owner_name="o",
        due_date="2030-01-01",
        status=S.CHECK,
    )
    html = page(as_user(personas, "worker"), f"/en/consult/{case.public_id}/")
    assert QUESTION in html and url("worker_answer", action.public_id) in html


def test_an_anonymous_worker_answers_after_opening_the_case_with_the_receipt_code_and_pin(
    personas: Personas,
) -> None:
    opened = case_open(language="en", account="They keep my passport", employer=personas.org_a1, pin="482913")
    assert isinstance(opened, Receipt)
    case_share_set(case=opened.case, organization=personas.org_a, level=ShareLevel.SUMMARY)
    action = in_check(personas, opened.case)
    stranger = Client()
    assert answer(stranger, action, Satisfaction.YES).status_code == 404
    client = Client()
    client.post("/en/consult/open/", {"code": opened.code, "pin": "482913"})
    assert LINKED in page(client, f"/en/consult/{opened.case.public_id}/")
    assert answer(client, action, Satisfaction.YES).status_code == 302
    assert WorkerAnswer.objects.get().answer == "yes"


def test_another_worker_cannot_answer_and_a_revoked_case_asks_nothing(personas: Personas) -> None:
    action = in_check(personas)
    assert answer(Client(), action, Satisfaction.YES).status_code == 404
    assert answer(as_user(personas, "user_a"), action, Satisfaction.YES).status_code == 404
    case_share_set(
        case=action.case, organization=personas.org_a, level=ShareLevel.NONE, actor=personas.worker
    )
    worker = as_user(personas, "worker")
    assert LINKED not in page(worker, f"/en/consult/{action.case.public_id}/")
    assert answer(worker, action, Satisfaction.YES).status_code == 404
    assert not WorkerAnswer.objects.exists()


def test_the_worker_is_not_asked_before_the_company_sends_the_action_for_checking(personas: Personas) -> None:
    action = action_of(personas)
    assert LINKED not in page(as_user(personas, "worker"), f"/en/consult/{action.case.public_id}/")
    assert answer(as_user(personas, "worker"), action, Satisfaction.YES).status_code == 404


def test_after_answering_the_worker_reads_their_answer_and_a_second_tap_changes_nothing(
    personas: Personas,
) -> None:
    action = in_check(personas)
    worker = as_user(personas, "worker")
    answer(worker, action, Satisfaction.YES)
    html = page(worker, f"/en/consult/{action.case.public_id}/")
    assert "Your answer: Yes. Thank you. The desk is checking what the company did." in html
    assert "Send my answer" not in html
    again = answer(worker, action, Satisfaction.NO)  # a double tap, or an old tab
    assert again.status_code == 302
    assert list(WorkerAnswer.objects.values_list("answer", flat=True)) == ["yes"]
    assert status_of(action) == S.CHECK
