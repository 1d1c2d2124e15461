"""Reach per employer: workers who joined through its invite links, and self-checks counted for it.

One closed quarter at a time (a closed quarter's figures never move, so they cannot date a single
worker's step), as ONE table companies x measure suppressed once (koe/reports/suppression.py):
the column totals are published too, so every cell is protected against subtraction from them.
Row totals are not shown (registrations plus self-checks count nothing), but they are part of
the suppressed table, so hiding follows from the full set of margins, which is only stricter.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, QuerySet

from koe.organizations.models import Organization
from koe.reach.models import WorkerEmployerLink
from koe.reports.document import Period
from koe.reports.suppression import HIDDEN_MARK, TOTAL, display, resolve_threshold, suppress_table
from koe.surveys.models import Response, ResponseStatus

REGISTRATIONS, SELF_CHECKS = "registrations", "self_checks"
MEASURES = (REGISTRATIONS, SELF_CHECKS)
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class ReachRow:
    organization: Organization | None  # None: the total row
    registrations: str  # a count, or HIDDEN_MARK
    self_checks: str


@dataclass(frozen=True)
class ReachTable:
    rows: list[ReachRow]
    total: ReachRow
    any_hidden: bool


def reach_table(organizations: QuerySet[Organization], period: Period) -> ReachTable:
    orgs = list(organizations)
    ids = [org.pk for org in orgs]
    counts = {REGISTRATIONS: _registrations(ids, period), SELF_CHECKS: _self_checks(ids, period)}
    cells = {(str(org.pk), measure): counts[measure].get(org.pk, 0) for org in orgs for measure in MEASURES}
    if not cells:
        return ReachTable([], ReachRow(None, "0", "0"), any_hidden=False)
    shown = _suppressed(cells)

    def row(label: str, org: Organization | None) -> ReachRow:
        return ReachRow(org, shown[f"{label}|{REGISTRATIONS}"], shown[f"{label}|{SELF_CHECKS}"])

    return ReachTable(
        rows=[row(str(org.pk), org) for org in orgs],
        total=row(TOTAL, None),
        any_hidden=HIDDEN_MARK in shown.values(),
    )


def _suppressed(cells: dict[tuple[str, str], int]) -> dict[str, str]:
    """Each cell's text ("12" or the mark), keyed "row|measure", margins included.

    Suppressing a brand holder's 500 companies takes seconds, and the same counts always give the
    same result, so the result is cached under a digest of the counts themselves: it can never be
    stale. (The digest could be matched against guessed counts, so the cache is trusted as the
    database is; its values hold only what the page shows.)
    """
    threshold = resolve_threshold(None)
    digest = hashlib.sha256(json.dumps([threshold, sorted(cells.items())]).encode()).hexdigest()
    key = f"reach:suppressed:{digest}"
    shown = cache.get(key)
    if shown is None:
        table = suppress_table(cells, threshold)
        shown = {"|".join(cell_key): display(table[cell_key]) for cell_key in table}
        cache.set(key, shown, CACHE_SECONDS)
    return shown


def _between(period: Period) -> tuple[date, date]:
    return period.start, period.end


def _registrations(ids: list[int], period: Period) -> dict[int, int]:
    """Workers who linked themselves through an invite in the period, removed links included: a
    closed quarter's figure must not drop later, or it would tell when someone left."""
    rows = (
        WorkerEmployerLink.objects.filter(
            employer__in=ids, invite__isnull=False, created_at__date__range=_between(period)
        )
        .values("employer")
        .annotate(n=Count("id"))
    )
    return {row["employer"]: row["n"] for row in rows}


def _self_checks(ids: list[int], period: Period) -> dict[int, int]:
    rows = (
        Response.objects.filter(
            employer__in=ids, status=ResponseStatus.SUBMITTED, submitted_at__date__range=_between(period)
        )
        .values("employer")
        .annotate(n=Count("id"))
    )
    return {row["employer"]: row["n"] for row in rows}
