"""The dashboard's sections (tables and chart specs) read from published snapshots.

Nothing is counted or suppressed here: every figure is a cell of a snapshot (``dashboard.py``).
Choosing a company only picks its row of the same tables the whole chain's view is made of.
"""

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.languages import LANGUAGES
from koe.cases.models import CaseSeverity, CaseStatus, Category
from koe.organizations.models import Organization
from koe.reports.dashboard_tables import OTHER_VALUES, OTHERS
from koe.reports.document import (
    HIDDEN_MARK,
    SUPPRESSION_LEGEND,
    Chart,
    ChartKind,
    Period,
    ReportDocument,
    Row,
    Section,
    Series,
    Unit,
    Value,
)
from koe.reports.models import DashboardSnapshot
from koe.surveys.aggregates import RED_FLAG, measure_label
from koe.surveys.indicators import ILO_INDICATORS

CHARTED_MEASURES = [RED_FLAG, *(tag.code for tag in ILO_INDICATORS)]


class CompanyNotInScope(LookupError):
    """The chosen company is not one of the snapshot's: the view answers 404."""


class Figures:
    """One published snapshot, read for the whole scope (``company`` None) or one company."""

    def __init__(
        self, snapshot: DashboardSnapshot, company: int | None = None, *, strict: bool = True
    ) -> None:
        """``strict``: a company the snapshot does not know is an error (the selected quarter);
        otherwise (an older quarter of the trend) it was not in the chain then and shows nothing."""
        self.data: dict[str, Any] = snapshot.data
        self.companies: dict[int, str] = {pk: name for pk, name in self.data["companies"]}
        self.absent = company is not None and company not in self.companies
        if self.absent and strict:
            raise CompanyNotInScope(company)
        self.company = company
        self.threshold = snapshot.threshold

    @property
    def cases(self) -> dict[str, Any]:
        return self.data["cases"]

    def case_count(self, company: int | None = None) -> Value:
        if company is None:
            return self.cases["total"]
        if company not in self.companies:  # not in the chain in this quarter: no figure, not zero
            return None
        return self.cases["sizes"].get(str(company), 0)

    def hides(self, company: int) -> bool:
        """Is this company's count of cases hidden (counted with the other companies)?"""
        return self.case_count(company) is None

    def breakdown(self, name: str) -> tuple[list[str], list[Value]]:
        """The dimension's values and their counts for the scope or the chosen company; a
        company counted in "other companies" shows nothing of its own."""
        found = self.cases["breakdowns"].get(name)
        if found is None:  # the whole population is too small: nothing is shown
            return [], []
        columns = found["columns"]
        if self.company is None:
            return columns, found["totals"]
        if self.case_count(self.company) == 0:  # no case: zeros, which describe nobody
            return columns, [0] * len(columns)
        return columns, found["rows"].get(str(self.company), [None] * len(columns))

    def merged(self, name: str) -> list[str]:
        found = self.cases["breakdowns"].get(name)
        return found["merged"] if found else []

    def selfcheck(self, row: str | None = None) -> dict[str, Value]:
        """Respondents (``"n"``) and the count showing each measure, for a row or the chosen one."""
        check = self.data["selfcheck"]
        if self.absent and row is None:  # not in the chain in this quarter: no figure, not zero
            return {"n": None, **dict.fromkeys(check["measures"])}
        if row is None:
            row = TOTAL_ROW if self.company is None else str(self.company)
        line = (
            check["total"]
            if row == TOTAL_ROW
            else check["others"]
            if row == OTHERS
            else check["rows"].get(row)
        )
        if line is None:
            line = {"n": 0, "c": [0] * len(check["measures"])}
        return {"n": line["n"], **dict(zip(check["measures"], line["c"], strict=True))}


TOTAL_ROW = "__total__"


def rate(count: Value, respondents: Value) -> Value:
    """A share in percent, shown only where both counts are and somebody answered."""
    if count is None or respondents is None or not respondents:
        return None
    return 100 * count / respondents


def value_label(dimension: str, code: str) -> str:
    if code == OTHER_VALUES:
        return _("Other values together")
    choices: dict[str, Any] = dict(LANGUAGES)
    if dimension != "language":
        choices = dict(
            {"category": Category, "severity": CaseSeverity, "status": CaseStatus}[dimension].choices
        )
    return str(choices.get(code, code))


def _dimension_titles() -> dict[str, tuple[str, str]]:
    return {
        "category": (_("Consultations by category"), _("Category")),
        "severity": (_("Consultations by severity"), _("Severity")),
        "status": (_("Consultations by status"), _("Status")),
        "language": (_("Consultations by language"), _("Language")),
    }


def dimension_section(figures: Figures, name: str) -> Section:
    title, header = _dimension_titles()[name]
    codes, values = figures.breakdown(name)
    labels = [value_label(name, code) for code in codes]
    total = figures.case_count(figures.company)
    rows = [Row(label, [value]) for label, value in zip(labels, values, strict=True)]
    rows.append(Row(_("All consultations"), [total]))
    merged = figures.merged(name)
    note = ""
    if merged:
        note = _("Other values together: %(values)s.") % {
            "values": ", ".join(value_label(name, code) for code in merged)
        }
    chart = Chart(ChartKind.BAR, labels, [Series(_("Consultations"), values)], Unit.COUNT, title)
    return Section(f"cases-by-{name}", title, header, [_("Consultations")], rows, Unit.COUNT, chart, note)


def indicators_section(figures: Figures) -> Section:
    title = _("Self-check: indicators and red flags")
    line = figures.selfcheck()
    measures = [m for m in line if m != "n"]
    measures = [RED_FLAG, *(m for m in measures if m != RED_FLAG)]
    rows = [Row(str(measure_label(m)), [rate(line[m], line["n"])]) for m in measures]
    charted = [m for m in CHARTED_MEASURES if m in line]
    chart = Chart(
        ChartKind.BAR,
        [str(measure_label(m)) for m in charted],
        [Series(_("Share of respondents"), [rate(line[m], line["n"]) for m in charted])],
        Unit.PERCENT,
        title,
    )
    respondents = HIDDEN_MARK if line["n"] is None else str(line["n"])
    note = _(
        "Shares of the %(respondents)s workers who submitted the self-check in this quarter that show "
        "each indicator or raised a red flag. A share is shown only where its count and the number "
        "of respondents both are."
    ) % {"respondents": respondents}
    return Section(
        "selfcheck-indicators",
        title,
        _("Indicator"),
        [_("Share of respondents")],
        rows,
        Unit.PERCENT,
        chart,
        note,
    )


def companies_section(figures: Figures) -> Section:
    """Per company: consultations, self-check respondents and red flags (chain view only)."""
    rows = []
    for pk, name in figures.companies.items():
        line = figures.selfcheck(str(pk))
        rows.append(Row(name, [figures.case_count(pk), line["n"], line[RED_FLAG]]))
    others_cases = figures.cases.get("others")
    others = figures.data["selfcheck"]["others"]
    if others_cases is not None or others is not None:
        line = figures.selfcheck(OTHERS) if others is not None else {"n": None, RED_FLAG: None}
        rows.append(Row(_("Other companies together"), [others_cases, line["n"], line[RED_FLAG]]))
    total = figures.selfcheck(TOTAL_ROW)
    rows.append(Row(_("All companies"), [figures.case_count(), total["n"], total[RED_FLAG]]))
    note = _(
        "Companies with too few consultations or respondents to show on their own are counted together "
        "in “Other companies together”; the companies counted there can differ between the columns."
    )
    columns = [_("Consultations"), _("Self-check respondents"), _("Red flags")]
    return Section("companies", _("Per company"), _("Company"), columns, rows, Unit.COUNT, None, note)


def company_rates_section(figures: Figures) -> Section:
    """Per company: the red-flag rate and the rate of each ILO indicator (chain view only)."""
    measures = CHARTED_MEASURES
    rows = []
    for pk, name in figures.companies.items():
        line = figures.selfcheck(str(pk))
        if line["n"] != 0:
            rows.append(Row(name, [rate(line[m], line["n"]) for m in measures]))
    total = figures.selfcheck(TOTAL_ROW)
    rows.append(Row(_("All companies"), [rate(total[m], total["n"]) for m in measures]))
    columns = [str(measure_label(m)) for m in measures]
    note = _(
        "Shares of each company's self-check respondents in this quarter; companies without any are left out."
    )
    title = _("Red-flag and indicator rates per company")
    return Section("company-rates", title, _("Company"), columns, rows, Unit.PERCENT, None, note)


def trend_sections(all_figures: Sequence[Figures], periods: Sequence[Period]) -> list[Section]:
    """Each quarter's own published figures side by side: nothing cumulative, nothing to subtract."""
    labels = [period.label for period in periods]
    lines = [figures.selfcheck() for figures in all_figures]
    cases = [figures.case_count(figures.company) for figures in all_figures]
    counts = [
        Row(_("Consultations"), cases),
        Row(_("Self-check respondents"), [line["n"] for line in lines]),
        Row(_("Red flags"), [line[RED_FLAG] for line in lines]),
    ]
    title = _("By quarter")
    chart = Chart(
        ChartKind.LINE, labels, [Series(row.label, row.values) for row in counts], Unit.COUNT, title
    )
    red = [rate(line[RED_FLAG], line["n"]) for line in lines]
    rate_title = _("Red-flag rate by quarter")
    rate_chart = Chart(ChartKind.LINE, labels, [Series(_("Red-flag rate"), red)], Unit.PERCENT, rate_title)
    note = _("Each quarter is counted on its own and published once it has closed.")
    return [
        Section("trend", title, _("Figure"), labels, counts, Unit.COUNT, chart, note),
        Section(
            "trend-red-flags",
            rate_title,
            _("Figure"),
            labels,
            [Row(_("Red-flag rate"), red)],
            Unit.PERCENT,
            rate_chart,
        ),
    ]


def sections(
    snapshots: Sequence[DashboardSnapshot], periods: Sequence[Period], company: int | None = None
) -> list[Section]:
    """The page's sections for the last of ``snapshots``; the others give the trend."""
    *older, selected = snapshots  # a company only in the selected quarter is fine: it joined since
    all_figures = [Figures(snapshot, company, strict=False) for snapshot in older]
    all_figures.append(Figures(selected, company))
    figures = all_figures[-1]
    found = [dimension_section(figures, name) for name in ("category", "severity", "status", "language")]
    found.append(indicators_section(figures))
    if figures.data["chain"] and company is None:
        found += [companies_section(figures), company_rates_section(figures)]
    return found + trend_sections(all_figures, periods)


def methodology(threshold: int, chain: bool) -> list[str]:
    scope = (
        _("Figures cover your organisation and every company registered in its supply chain.")
        if chain
        else _("Figures cover your own organisation only.")
    )
    return [
        _(
            "Any count of fewer than %(threshold)s people or consultations is hidden, and enough other "
            "counts are hidden with it (complementary suppression) that no hidden count can be worked out "
            "from the totals or by comparing tables, companies or quarters."
        )
        % {"threshold": threshold},
        str(SUPPRESSION_LEGEND) % {"mark": HIDDEN_MARK},
        _(
            "Figures are published for closed quarters only, once a quarter has ended, and never change "
            "afterwards. The current quarter is never shown."
        ),
        _(
            "Consultations are counted in the quarter they were opened, at the employer the worker named, "
            "under their main (first) category; their status is as it was when the quarter was published."
        ),
        _(
            "Rates are shares of the workers who submitted the self-check in the quarter: the share whose "
            "answers show an indicator, or raised a red flag."
        ),
        _(
            "Companies with too few people to show on their own are counted together as “other companies”, "
            "and rare values together as “other values”."
        ),
        scope,
    ]


def report_document(
    organization: Organization,
    snapshots: Sequence[DashboardSnapshot],
    periods: Sequence[Period],
    *,
    language: str,
    company: int | None = None,
) -> ReportDocument:
    selected = snapshots[-1]
    figures = Figures(selected, company)
    return ReportDocument(
        title=_("Dashboard"),
        organization_name=organization.name,
        scope_label=scope_label(organization, figures),
        period=periods[-1],
        language=language,
        sections=sections(snapshots, periods, company),
        generated_at=timezone.now(),
        methodology=methodology(selected.threshold, bool(selected.data["chain"])),
        threshold=selected.threshold,
    )


def scope_label(organization: Organization, figures: Figures) -> str:
    if figures.company is not None and figures.company != organization.pk:
        return _("%(company)s, in the supply chain of %(name)s") % {
            "company": figures.companies[figures.company],
            "name": organization.name,
        }
    if figures.data["chain"] and figures.company is None:
        count = len(figures.companies)
        text = ngettext(
            "%(name)s and its supply chain (%(count)s company)",
            "%(name)s and its supply chain (%(count)s companies)",
            count,
        )
        return text % {"name": organization.name, "count": count}
    return organization.name
