"""Time to generate a quarterly report (issue 5: "the time to generate a quarterly PDF").

Two documents, each rendered a few times (the median is printed, in seconds):

1. hand-built (``koe.quarterly.testing.large_document``): 7 trend sections with a chart and a
   12-row table each, and a 500-company table; Japanese text. Needs no database.
2. real: a brand holder with 500 supply-chain companies and cases spread over them, on a
   throw-away database (SQLite in memory, or PostgreSQL with DATABASE_URL), through the real
   ``koe.reports.dashboard.build_report_document`` and the whole task (figures, PDF, CSV, XLSX).
   The first generation also publishes the dashboard snapshots; later ones read them.

    .venv/bin/python bench/bench_quarterly_pdf.py
"""

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from _django import report, setup_django_with_test_database

RUNS = 3
COMPANIES = 500
MAX_CASES_PER_COMPANY = 12


def median_seconds(function: Callable[[], object], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bench_hand_built() -> None:
    from koe.quarterly.rendering import render_csv, render_pdf, render_xlsx
    from koe.quarterly.testing import large_document

    doc = large_document("ja", sections=8, companies=COMPANIES)
    print(f"# hand-built document: {len(doc.sections)} sections, a {COMPANIES}-company table, Japanese")
    import pypdfium2

    pages = len(pypdfium2.PdfDocument(render_pdf(doc)))  # also warms the fonts up
    report("quarterly.hand_built.pdf_pages", pages, "pages")
    report("quarterly.hand_built.pdf.median", median_seconds(lambda: render_pdf(doc)), "s")
    report("quarterly.hand_built.csv.median", median_seconds(lambda: render_csv(doc)), "s")
    report("quarterly.hand_built.xlsx.median", median_seconds(lambda: render_xlsx(doc)), "s")


def make_chain() -> Any:
    from django.utils import timezone

    from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink
    from koe.reports.dashboard_testing import add_cases, moment_in
    from koe.reports.periods import last_closed_quarter

    holder = Organization.objects.create(name="さくら食品株式会社", kind=OrganizationKind.BRAND_HOLDER)
    suppliers = Organization.objects.bulk_create(
        Organization(name=f"サプライヤー{i:03d}株式会社", kind=OrganizationKind.SUPPLY_CHAIN)
        for i in range(COMPANIES)
    )
    SupplyChainLink.objects.bulk_create(SupplyChainLink(buyer=holder, supplier=s, tier=1) for s in suppliers)
    period, rng = last_closed_quarter(timezone.localdate()), random.Random(5)
    for supplier in suppliers:
        add_cases(supplier, rng.randint(0, MAX_CASES_PER_COMPANY), moment_in(period, rng.randint(0, 80)))
    return holder


def pdf_pages(report_id: int) -> int:
    import pypdfium2

    from koe.quarterly.models import QuarterlyReport

    return len(pypdfium2.PdfDocument(bytes(QuarterlyReport.objects.get(pk=report_id).pdf)))


def bench_real_builder() -> None:
    from django.utils import timezone

    from koe.quarterly.services import quarterly_report_generate, quarterly_report_request
    from koe.reports.periods import last_closed_quarter

    holder = make_chain()
    print(
        f"# real builder: a brand holder with {COMPANIES} supply-chain companies, cases only (no self-check)"
    )
    request: dict[str, Any] = {
        "organization": holder,
        "period": last_closed_quarter(timezone.localdate()),
        "actor": None,
    }
    report_id = quarterly_report_request(language="ja", **request)[0].pk
    first = median_seconds(lambda: quarterly_report_generate(report_id=report_id), runs=1)
    report("quarterly.real.first_generation_with_snapshots", first, "s")
    report("quarterly.real.generation_ja.median", median_seconds(lambda: quarterly_report_generate(report_id=report_id)), "s")  # fmt: skip
    report("quarterly.real.pdf_pages", pdf_pages(report_id), "pages")
    report_id = quarterly_report_request(language="en", **request)[0].pk
    report("quarterly.real.generation_en.median", median_seconds(lambda: quarterly_report_generate(report_id=report_id)), "s")  # fmt: skip


if __name__ == "__main__":
    setup_django_with_test_database()
    bench_hand_built()
    try:
        from koe.reports.dashboard import build_report_document  # noqa: F401
    except ImportError:
        print("quarterly.real: skipped (koe.reports.dashboard.build_report_document is not there yet)")
    else:
        bench_real_builder()
