"""A company report as plain data: the same sections become a dashboard page, a quarterly PDF, a
CSV and an XLSX file, so that every output shows exactly the same (already suppressed) figures.

Builders (``koe.reports.dashboard``) fill these from suppressed tables; renderers (the dashboard
templates, ``koe.quarterly``) never count anything themselves. A hidden figure is ``None``; every
renderer shows it as ``HIDDEN_MARK`` and explains the mark with ``SUPPRESSION_LEGEND``.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from koe.reports.tables import HIDDEN_MARK

__all__ = [
    "HIDDEN_MARK",
    "SUPPRESSION_LEGEND",
    "Chart",
    "ChartKind",
    "Period",
    "ReportDocument",
    "Row",
    "Section",
    "Series",
    "Unit",
    "Value",
    "format_value",
]

Value = int | float | None  # None: hidden by small-number suppression

SUPPRESSION_LEGEND = _(
    "“%(mark)s” marks a figure hidden because it concerns fewer people than the threshold, or "
    "because it would let a hidden figure be worked out from the totals."
)


class Unit(StrEnum):
    COUNT = "count"  # a number of people or cases
    PERCENT = "percent"  # a share in percent, 0-100


class ChartKind(StrEnum):
    BAR = "bar"  # one bar per category, a group of bars per series
    STACKED = "stacked"  # one stacked bar per category
    LINE = "line"  # categories are periods in order


@dataclass(frozen=True)
class Period:
    """A closed period a report covers (a quarter, usually), both ends included."""

    start: date
    end: date
    label: str  # "2026 Q3"


@dataclass(frozen=True)
class Row:
    label: str
    values: list[Value]  # one per column of the section


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Value]  # one per category of the chart


@dataclass(frozen=True)
class Chart:
    kind: ChartKind
    categories: list[str]
    series: list[Series]
    unit: Unit = Unit.COUNT
    title: str = ""  # also the accessible name of the SVG


@dataclass(frozen=True)
class Section:
    key: str  # stable, for anchors and file names: "cases-by-category"
    title: str
    row_header: str  # what the rows are: "Category"
    columns: list[str]  # what the values are: ["Cases"] or ["2026 Q1", "2026 Q2"]
    rows: list[Row]
    unit: Unit = Unit.COUNT
    chart: Chart | None = None
    note: str = ""  # shown under the table, e.g. what a rate is a share of


@dataclass(frozen=True)
class ReportDocument:
    title: str
    organization_name: str
    scope_label: str  # "Sakura Foods and its supply chain (12 companies)"
    period: Period
    language: str
    sections: list[Section]
    generated_at: datetime
    methodology: list[str] = field(default_factory=list)  # paragraphs, the suppression note first
    threshold: int = 5


def format_value(value: Value, unit: Unit) -> str:
    """The text of one figure, the same in every output."""
    if value is None:
        return HIDDEN_MARK
    if unit == Unit.PERCENT:
        return f"{value:.1f} %"
    return str(int(value))
