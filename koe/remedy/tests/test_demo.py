"""The demo seed makes a shared case with an action waiting for the worker and an overdue one."""

import pytest

from koe.core.testing.personas import Personas
from koe.remedy import demo
from koe.remedy.models import ActionStatus
from koe.remedy.selectors import worker_questions

pytestmark = pytest.mark.django_db


def test_the_demo_seed_makes_an_action_to_confirm_and_an_overdue_one_and_runs_twice(
    personas: Personas,
) -> None:
    kwargs = dict(worker=personas.worker, employer=personas.org_a1, brand_holder=personas.org_a,
                  consultant=personas.consultant, company_user=personas.admin_a)  # fmt: skip
    checked, late = demo.seed(**kwargs)
    assert checked.status == ActionStatus.CHECK and worker_questions(checked.case) == [checked]
    assert late.is_overdue()
    assert demo.seed(**kwargs) == [checked, late]
