"""Corrective action's pages for the site-wide checks (koe/core/tests/test_site.py). The case is
the persona worker's, about Sakura Packing, shared with Sakura Foods only: Sakura Packing itself
(the employer, not shared with), Minato Farm and the other chain must all get 404."""

from typing import Any

from koe.core.testing.personas import Personas
from koe.core.testing.site import COMPANY, DESK, Page
from koe.remedy.testing import shared_action, shared_case, shared_evidence

SAKURA_FOODS = ["admin_a", "user_a"]


def _case(p: Personas) -> list[Any]:
    return [shared_case(p).number]


def _action(p: Personas) -> list[Any]:
    return [shared_case(p).number, shared_action(p).pk]


PAGES: dict[str, Page] = {
    "remedy:company_cases": Page("admin_a", COMPANY),
    "remedy:company_case": Page("admin_a", SAKURA_FOODS, _case),
    "remedy:company_action_new": Page("admin_a", [], _case, get=False),
    "remedy:company_action": Page("admin_a", SAKURA_FOODS, _action),
    "remedy:company_action_status": Page("admin_a", [], _action, get=False),
    "remedy:company_evidence_add": Page("admin_a", [], _action, get=False),
    "remedy:company_evidence": Page(
        "admin_a", SAKURA_FOODS, lambda p: [*_action(p), shared_evidence(p).public_id], html=False
    ),
    "remedy:desk_actions": Page("consultant", DESK),
    "remedy:desk_action": Page("consultant", DESK, lambda p: [shared_action(p).pk]),
    "remedy:desk_action_review": Page("consultant", [], lambda p: [shared_action(p).pk], get=False),
    "remedy:desk_evidence": Page(
        "consultant", DESK, lambda p: [shared_action(p).pk, shared_evidence(p).public_id], html=False
    ),
    "remedy:worker_answer": Page("worker", [], lambda p: [shared_action(p).public_id], get=False),
}
