"""The worker pages reach adds (the invite landing page, "my employer") and the worker's case page
with a company's corrective action to confirm stay within the page budget, in Burmese."""

import pytest
from django.test import Client

from koe.cases.tests.test_worker_pages import BUDGET_BYTES, page_weight
from koe.core.testing.personas import Personas
from koe.reach.services import worker_employer_link_create
from koe.reach.testing import invite_of_a1
from koe.remedy.models import ActionStatus
from koe.remedy.services import action_transition
from koe.remedy.testing import action_of, shared_case

pytestmark = pytest.mark.django_db


def test_the_invite_and_employer_pages_and_the_case_with_a_question_stay_within_the_budget(
    personas: Personas,
) -> None:
    invite = invite_of_a1(personas)
    worker_employer_link_create(actor=personas.worker, invite=invite)
    action = action_of(personas, shared_case(personas))
    action_transition(action=action, to_status=ActionStatus.DO, actor=personas.admin_a)
    action_transition(action=action, to_status=ActionStatus.CHECK, actor=personas.admin_a)
    signed_in = Client()
    signed_in.force_login(personas.worker)
    sizes = {
        "landing": page_weight(Client(), f"/my/join/{invite.token}/"),
        "my_employer": page_weight(signed_in, "/my/join/my-employer/"),
        "case_with_question": page_weight(signed_in, f"/my/consult/{action.case.public_id}/"),
    }
    assert max(sizes.values()) < BUDGET_BYTES, sizes
