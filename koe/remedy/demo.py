"""Demo corrective action: a worker's consultation about a supplier, shared with its brand holder
as an anonymised summary, with one action waiting for the worker's answer and one overdue.

Wiring (seed_demo): ``remedy.demo.seed(worker=<lan>, employer=<さくら食品加工>,
brand_holder=<Sakura Foods>, consultant=<tran>, company_user=<sakura_admin>)``, after the
organisations, staff and workers exist. Sign in as sakura_admin and open /ja/company/cases/,
as tran and open /ja/desk/actions/, as lan and open the consultation from /vi/consult/mine/.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from koe.cases.models import Case, CaseStatus, Category, ShareLevel
from koe.cases.services import case_open, case_share_set, case_summary_for_company_set, case_transition
from koe.remedy.models import ActionStatus, CorrectiveAction
from koe.remedy.services import action_create, action_transition

ACCOUNT = "Công ty giữ hộ chiếu của tôi và không trả lại. (The company keeps my passport.)"
SUMMARY = "技能実習生が、雇用主にパスポートを保管され返却されないと相談。(A technical intern reports the employer keeps passports.)"


def seed(
    *, worker: Any, employer: Any, brand_holder: Any, consultant: Any, company_user: Any
) -> list[CorrectiveAction]:
    """Idempotent: once the brand holder has an action, nothing more is made."""
    existing = list(CorrectiveAction.objects.filter(organization=brand_holder).order_by("pk"))
    if existing:
        return existing
    case = _shared_case(worker, employer, brand_holder, consultant)
    today = timezone.localdate()
    checked = action_create(
        case=case, organization=brand_holder, actor=company_user, owner_user=company_user,
        plan="全事業所でパスポートを本人に返却し、保管を禁止する社内規程を周知する。",
        due_date=today + timedelta(days=14),
    )  # fmt: skip
    for step in (ActionStatus.DO, ActionStatus.CHECK):
        checked = action_transition(action=checked, to_status=step, actor=company_user)
    late = action_create(
        case=case, organization=brand_holder, actor=company_user, owner_name="人事部長",
        plan="監督者向けに人権研修を実施する。", due_date=today - timedelta(days=5),
    )  # fmt: skip
    late = action_transition(action=late, to_status=ActionStatus.DO, actor=company_user)
    return [checked, late]


def _shared_case(worker: Any, employer: Any, brand_holder: Any, consultant: Any) -> Case:
    case = case_open(
        language=worker.language, account=ACCOUNT, worker=worker, employer=employer,
        categories=[Category.RETAINED_DOCUMENTS],
    )  # fmt: skip
    assert isinstance(case, Case)
    case = case_transition(case=case, to_status=CaseStatus.ACKNOWLEDGED, actor=consultant, reason="Read")
    case = case_summary_for_company_set(case=case, text=SUMMARY, actor=consultant)
    case_share_set(case=case, organization=brand_holder, level=ShareLevel.SUMMARY, actor=worker)
    return case
