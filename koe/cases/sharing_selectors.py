"""Reads about what a worker agreed to share: the cases a company may see and at which level,
and each case's present levels and history of decisions for the worker's and the desk's pages."""

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from koe.cases.models import Case, CaseShare, ShareLevel
from koe.cases.services.sharing import organizations_related_to

SHARED_LEVELS = (ShareLevel.SUMMARY, ShareLevel.FULL)


def cases_shared_with(organization: Any) -> list[tuple[Case, str]]:
    """Every case whose worker's newest decision for ``organization`` is summary or full, with
    that level. A revocation is the newest decision the moment it is recorded, so the case
    disappears at once. A company that is no longer related to the case (its employer or a
    brand holder) sees it no more either: consent was given for this case and this company."""
    return [(case, case.share_level) for case in cases_shared_with_query(organization)]


def cases_shared_with_query(organization: Any) -> QuerySet[Any]:  # Cases with share_level
    """``cases_shared_with`` as a query, each case annotated with ``share_level``: to narrow it
    (one case number) or count it in the database."""
    decisions = CaseShare.objects.filter(case=OuterRef("pk"), organization=organization)
    newest = decisions.order_by("-decided_at", "-pk").values("level")[:1]
    brand_holder_of = Case.brand_holders.through.objects.filter(organization=organization).values("case_id")
    return (
        Case.objects.annotate(share_level=Subquery(newest))
        .filter(share_level__in=SHARED_LEVELS)
        .filter(Q(employer=organization) | Q(pk__in=brand_holder_of))
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class ShareRow:
    organization: Any
    level: str

    @property
    def label(self) -> str:
        return str(ShareLevel(self.level).label)


def share_rows(case: Case) -> list[ShareRow]:
    """Each company related to the case with the present level (a fixed number of queries)."""
    organizations = organizations_related_to(case)
    newest: dict[int, str] = {}
    for org_id, level in case.shares.values_list("organization_id", "level"):  # newest first
        newest.setdefault(org_id, level)
    return [ShareRow(org, newest.get(org.pk, ShareLevel.NONE)) for org in organizations]


def share_history(case: Case) -> list[CaseShare]:
    """Every decision about this case, newest first."""
    return list(case.shares.select_related("organization"))
