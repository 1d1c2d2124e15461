"""Hand-built report documents for the renderer tests and the PDF benchmark: the shape the
dashboard builder produces, with Japanese or English text, hidden cells and a formula-like label."""

import random
from datetime import UTC, date, datetime
from typing import Any

from django.utils import timezone

from koe.organizations.models import Organization
from koe.quarterly.models import QuarterlyReport, ReportStatus, ReportStep
from koe.reports.document import Chart, ChartKind, Period, ReportDocument, Row, Section, Series, Unit
from koe.reports.periods import last_closed_quarter

PERIOD = Period(date(2026, 7, 1), date(2026, 9, 30), "2026 Q3")
FORMULA_LABEL = '=HYPERLINK("http://evil.example","click")'

TEXT: dict[str, dict[str, Any]] = {
    "ja": {
        "title": "四半期報告書",
        "scope": "さくら食品とそのサプライチェーン(12社)",
        "section": "相談の分類別件数",
        "rows": ["賃金の未払い", "長時間労働", "パスポートの取り上げ", "ハラスメント"],
        "columns": ["2026 Q2", "2026 Q3"],
        "row_header": "分類",
        "note": "件数は当該四半期に受け付けた相談です。",
        "methodology": ["5人未満に関わる数値は表示しません。", "合計から逆算できる数値も隠します。"],
    },
    "en": {
        "title": "Quarterly report",
        "scope": "Sakura Foods and its supply chain (12 companies)",
        "section": "Consultations by category",
        "rows": ["Unpaid wages", "Long working hours", "Passport withheld", "Harassment"],
        "columns": ["2026 Q2", "2026 Q3"],
        "row_header": "Category",
        "note": "Consultations received in the quarter.",
        "methodology": [
            "Figures about fewer than 5 people are not shown.",
            "Figures that could be worked out from totals are hidden too.",
        ],
    },
}


def small_document(language: str = "ja", organization_name: str = "さくら食品株式会社") -> ReportDocument:
    """Two sections: counts with a hidden cell and a formula-like row label, and a rate."""
    text = TEXT[language]
    rows = [Row(label, [12, 9]) for label in text["rows"]]
    rows[2] = Row(text["rows"][2], [None, 7])  # hidden: fewer than the threshold
    rows.append(Row(FORMULA_LABEL, [6, 8]))
    chart = Chart(
        ChartKind.BAR,
        [row.label for row in rows[:4]],
        [Series(column, [row.values[i] for row in rows[:4]]) for i, column in enumerate(text["columns"])],
        title=text["section"],
    )
    counts = Section("cases-by-category", text["section"], text["row_header"], text["columns"], rows, chart=chart,
                     note=text["note"])  # fmt: skip
    rate = Section("red-flag-rate", "Red-flag rate", text["row_header"], ["%"],
                   [Row("Total", [12.5]), Row("Tier 2", [None])], unit=Unit.PERCENT)  # fmt: skip
    return ReportDocument(
        title=text["title"],
        organization_name=organization_name,
        scope_label=text["scope"],
        period=PERIOD,
        language=language,
        sections=[counts, rate],
        generated_at=datetime(2026, 10, 2, 9, 0, tzinfo=UTC),
        methodology=text["methodology"],
    )


def large_document(language: str = "ja", *, sections: int = 8, companies: int = 500) -> ReportDocument:
    """A realistic brand-holder report: trend sections with charts and one per-company table."""
    rng = random.Random(5)  # noqa: S311 - made-up figures, reproducible
    small = small_document(language)
    quarters = ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3"]
    parts = []
    for index in range(sections - 1):
        rows = [
            Row(f"{small.sections[0].rows[i % 4].label} {i}", [_figure(rng) for _ in quarters])
            for i in range(12)
        ]
        chart = Chart(
            ChartKind.LINE, quarters, [Series(row.label, row.values) for row in rows[:4]], title=f"#{index}"
        )
        parts.append(
            Section(f"s{index}", f"{small.sections[0].title} {index + 1}", "", quarters, rows, chart=chart)
        )
    per_company = [
        Row(f"サプライヤー {i:03d} 株式会社", [_figure(rng) for _ in range(3)]) for i in range(companies)
    ]
    parts.append(Section("per-company", "Per supply-chain company", "Company", ["Cases", "Answers", "Red flags"],
                         per_company))  # fmt: skip
    return ReportDocument(small.title, small.organization_name, small.scope_label, PERIOD, language, parts,
                          small.generated_at, small.methodology)  # fmt: skip


def _figure(rng: random.Random) -> int | None:
    value = rng.randint(0, 60)
    return None if value < 5 else value


def finished_report(
    organization: Organization, *, language: str = "ja", period: Period | None = None
) -> QuarterlyReport:
    """A report whose (stand-in) files are ready, without running the renderers."""
    period = period or last_closed_quarter(timezone.localdate())
    report, _ = QuarterlyReport.objects.update_or_create(
        organization=organization,
        period_start=period.start,
        language=language,
        defaults={
            "period_end": period.end,
            "status": ReportStatus.DONE,
            "progress": 100,
            "step": ReportStep.FINISHED,
            "requested_at": timezone.now(),
            "finished_at": timezone.now(),
            "pdf": b"%PDF-1.7 stand-in",
            "csv": "\ufeffSection,Row,Column,Value\n".encode(),
            "xlsx": b"PK stand-in",
        },
    )
    return report
