"""Reads for guiding support, expert referrals and ADR referrals, scoped to the acting user.

An expert's reach is decided here once: the referrals made to them that are not withdrawn.
`koe.cases.selectors.cases_visible_to` builds on `referred_case_ids`, so every case page and
file the desk serves follows the same rule."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from koe.accounts.models import Role, User
from koe.cases.models import AdrReferral, Case, ExpertReferral, GuidingSupport, ReferralStatus


def referrals_visible_to(user: Any) -> QuerySet[ExpertReferral]:
    """An expert's own referrals that are not withdrawn, open ones first; nobody else's."""
    referrals = ExpertReferral.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role != Role.EXPERT:
        return referrals.none()
    mine = referrals.filter(expert=user).exclude(status=ReferralStatus.WITHDRAWN)
    return mine.order_by("-status", "-created_at", "-pk")  # "open" sorts after "answered"


def referred_case_ids(user: Any) -> QuerySet[ExpertReferral, int]:
    """The cases an expert may open: those with a question to them still open. Once answered (or
    withdrawn) the question no longer stands, and neither does their access (rule 8)."""
    open_referrals = referrals_visible_to(user).filter(status=ReferralStatus.OPEN)
    return open_referrals.order_by().values_list("case_id", flat=True)


def referral_for(user: Any, public_id: UUID | str) -> ExpertReferral:
    """The referral, if made to ``user`` and not withdrawn; a 404 otherwise."""
    return get_object_or_404(referrals_visible_to(user).select_related("case"), public_id=public_id)


def case_referral_of(case: Case, public_id: UUID | str) -> ExpertReferral:
    """A referral of a case the desk already has in hand (found through `case_for`)."""
    return get_object_or_404(ExpertReferral, case=case, public_id=public_id)


def case_adr_of(case: Case, public_id: UUID | str) -> AdrReferral:
    return get_object_or_404(AdrReferral, case=case, public_id=public_id)


def case_guiding_supports(case: Case) -> QuerySet[GuidingSupport]:
    return case.guiding_supports.select_related("accompanied_by")


def case_expert_referrals(case: Case) -> QuerySet[ExpertReferral]:
    return case.expert_referrals.select_related("expert", "created_by")


def case_adr_referrals(case: Case) -> QuerySet[AdrReferral]:
    return case.adr_referrals.all()


def active_experts() -> QuerySet[User]:
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by("username")
