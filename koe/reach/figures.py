"""Reach per employer: workers who joined through its invite links, and self-checks counted for it.

Read from the company's published dashboard snapshot of the quarter (koe/reports/dashboard.py),
never counted here: the self-check respondents per company are the very cells the dashboard
shows, hidden the same way, so the two pages cannot be subtracted from each other; and a closed
quarter is published once, so a later change of the supply chain cannot be subtracted from an
earlier view either. Registrations are their own table in the same snapshot, suppressed once.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from koe.organizations.models import Organization
from koe.reports.dashboard import dashboard_snapshots
from koe.reports.dashboard_sections import OTHERS, TOTAL_ROW, Figures
from koe.reports.document import Period, Value
from koe.reports.suppression import HIDDEN_MARK, display


@dataclass(frozen=True)
class ReachRow:
    label: str
    registrations: str  # a count, the hidden mark, or "" where it does not apply
    self_checks: str


@dataclass(frozen=True)
class ReachTable:
    rows: list[ReachRow]
    total: ReachRow
    any_hidden: bool


def reach_table(organization: Organization, period: Period) -> ReachTable:
    figures = Figures(dashboard_snapshots(organization, [period])[0])
    joined: dict[str, Any] = figures.data.get("registrations") or {"rows": {}, "total": None}
    rows = [
        ReachRow(name, _text(joined["rows"].get(str(pk), 0)), _text(figures.selfcheck(str(pk))["n"]))
        for pk, name in figures.companies.items()
    ]
    if figures.data["selfcheck"]["others"] is not None:
        rows.append(ReachRow(_("Other companies together"), "", _text(figures.selfcheck(OTHERS)["n"])))
    total = ReachRow("", _text(joined["total"]), _text(figures.selfcheck(TOTAL_ROW)["n"]))
    shown = [cell for row in [*rows, total] for cell in (row.registrations, row.self_checks)]
    return ReachTable(rows, total, any_hidden=HIDDEN_MARK in shown)


def _text(value: Value) -> str:
    return display(value if value is None else int(value))
