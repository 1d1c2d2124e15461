"""The company dashboard at scale: a brand holder with 500 supply-chain companies, about 10
million self-check answers and 100,000 consultations, on PostgreSQL (target: p95 of 300 ms).

Data: the self-check benchmark's generator (``bench_selfcheck_aggregates``: four brand holders
of 500 suppliers, ~285,000 submitted sheets of 35 answers over the past year), plus cases
written in SQL, spread over the same organisations and the past year, with random categories,
severity, status and language. Sizes are parameters, for a smaller machine:
``KOE_BENCH_RESPONSES`` (default 285,000 sheets, i.e. ~10 M answers) and ``KOE_BENCH_CASES``
(default 100,000).

Figures:
- ``dashboard.snapshot_build``: one quarter's snapshot of the brand holder computed from scratch
  (counting cases and sheets, suppressing every table; the suppression cache emptied first);
- ``dashboard.page``: GET of the dashboard page by a brand-holder user with the snapshots
  published (p50, p95 over 21 runs, charts already drawn once); ``dashboard.page_first``: the
  first view, which draws the charts; ``dashboard.page_company``: the drill-down to one supplier;
- each p95 also as a ratio of the 300 ms target.

Measured on the 2-core development machine (2026-11-30, full size: 9,974,930 answers, 100,000
cases; the quarter: 6,394 cases and 17,770 sheets over 501 companies): page p95 79 ms (0.26 x
the target), drill-down p95 40 ms, first view 2.8 s (drawing nine charts, then cached), one
snapshot 3.3 s, four quarters published from scratch 63 s (older, sparser quarters cost more in
the self-check suppression), page 297 kB.
Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/koe_dash_bench .venv/bin/python bench/bench_dashboard.py``
"""

import os
import time
from typing import Any

import bench_selfcheck_aggregates as selfcheck
from _django import report, report_timings, setup_django_on_own_database, timed_ms

BENCH_DATABASE = "koe_dash_bench"
RESPONSES = int(os.environ.get("KOE_BENCH_RESPONSES", "285000"))
CASES = int(os.environ.get("KOE_BENCH_CASES", "100000"))
RUNS = 21
TARGET_MS = 300.0

CASE_VALUES = {
    "language": ["vi", "vi", "vi", "my", "ne", "id", "tl", "zh-hans", "pt-br", "es", "ja", "en"],
    "severity": ["routine"] * 7 + ["urgent"] * 2 + ["critical"],
    "status": ["new", "acknowledged", "in_progress", "in_progress", "resolved", "resolved", "closed",
               "guiding_support", "expert_consultation", "referred_adr", "referred_public"],
}  # fmt: skip


def fill_cases(organisation_ids: list[int]) -> None:
    """CASES consultations in one INSERT … SELECT; columns not listed take their empty value."""
    from django.db import connection, models

    from koe.cases.models import Case, Category

    given = {
        "public_id": "gen_random_uuid()",
        "number": "'B' || k",
        "language": "(%(languages)s::text[])[1 + floor(random() * %(n_languages)s)::int]",
        "channel": "'portal'",
        "categories": "jsonb_build_array((%(categories)s::text[])[1 + floor(random() * %(n_categories)s)::int])",
        "severity": "(%(severities)s::text[])[1 + floor(random() * %(n_severities)s)::int]",
        "status": "(%(statuses)s::text[])[1 + floor(random() * %(n_statuses)s)::int]",
        "employer_id": "(%(organisations)s::bigint[])[1 + floor(random() * %(n_organisations)s)::int]",
        "created_at": "now() - random() * interval '365 days'",
        "acknowledge_by": "now()",
        "feedback_by": "now()",
    }
    columns, expressions = [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(str(field.column))
        if field.column in given:
            expressions.append(given[field.column])
        elif field.null:
            expressions.append("NULL")
        elif isinstance(field, models.JSONField):
            expressions.append("'[]'::jsonb")
        elif isinstance(field, (models.IntegerField, models.BigIntegerField)):
            expressions.append("0")
        elif isinstance(field, models.BooleanField):
            expressions.append("false")
        else:
            expressions.append("''")
    categories = [c.value for c in Category]
    parameters: dict[str, Any] = {
        "languages": CASE_VALUES["language"], "n_languages": len(CASE_VALUES["language"]),
        "severities": CASE_VALUES["severity"], "n_severities": len(CASE_VALUES["severity"]),
        "statuses": CASE_VALUES["status"], "n_statuses": len(CASE_VALUES["status"]),
        "categories": categories, "n_categories": len(categories),
        "organisations": organisation_ids, "n_organisations": len(organisation_ids), "cases": CASES,
    }  # fmt: skip
    sql = (
        f"INSERT INTO {Case._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - our own names
        f"SELECT {', '.join(expressions)} FROM generate_series(1, %(cases)s) AS k"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        cursor.execute(f"ANALYZE {Case._meta.db_table}")


def generate() -> Any:
    from koe.organizations.models import Organization

    selfcheck.RESPONSES = RESPONSES
    brand_holder = selfcheck.generate()
    start = time.perf_counter()
    fill_cases(list(Organization.objects.order_by("pk").values_list("pk", flat=True)))
    report("dashboard.generate_cases", time.perf_counter() - start, "s")
    return brand_holder


def company_client(brand_holder: Any) -> Any:
    from koe.accounts.models import Role
    from koe.core.testing.personas import make_user, verified_client

    user = make_user("bench_admin", Role.COMPANY, organization=brand_holder, is_company_admin=True)
    return verified_client(user)


def bench_dashboard() -> None:
    from django.core.cache import cache

    from koe.cases.models import Case
    from koe.reports.dashboard import (
        compute_snapshot_data,
        dashboard_snapshots,
        offered_quarters,
        trend_periods,
    )
    from koe.reports.suppression import resolve_threshold

    brand_holder = generate()
    report("dashboard.cases", Case.objects.count(), "cases")
    period = offered_quarters()[0]
    threshold = resolve_threshold(None)
    build = timed_ms(lambda: compute_snapshot_data(brand_holder, period, threshold), 3, before=cache.clear)
    report("dashboard.snapshot_build.max", max(build), "ms")
    report("dashboard.snapshot_build.ratio_to_target", max(build) / TARGET_MS, "x")
    data = compute_snapshot_data(brand_holder, period, threshold)
    report("dashboard.companies", len(data["companies"]), "companies")
    report("dashboard.quarter_cases", data["cases"]["total"] or 0, "cases")
    report("dashboard.quarter_respondents", data["selfcheck"]["total"]["n"] or 0, "responses")

    start = time.perf_counter()
    dashboard_snapshots(brand_holder, trend_periods(period))
    report("dashboard.publish_four_quarters", time.perf_counter() - start, "s")
    client = company_client(brand_holder)

    def page(query: str = "") -> None:
        response = client.get(f"/en/company/insights/{query}")
        assert response.status_code == 200, response.status_code

    first = timed_ms(page, 1)[0]
    report("dashboard.page_first", first, "ms")
    p95 = report_timings("dashboard.page", timed_ms(page, RUNS, warm_up=True))
    report("dashboard.page.ratio_to_target", p95 / TARGET_MS, "x")
    supplier = data["companies"][len(data["companies"]) // 2][0]
    company_p95 = report_timings(
        "dashboard.page_company", timed_ms(lambda: page(f"?company={supplier}"), RUNS, warm_up=True)
    )
    report("dashboard.page_company.ratio_to_target", company_p95 / TARGET_MS, "x")
    size = len(client.get("/en/company/insights/").content)
    report("dashboard.page.bytes", size, "B")


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("dashboard: skipped (set DATABASE_URL to a PostgreSQL server to run it)", flush=True)
    else:
        original_name = setup_django_on_own_database(BENCH_DATABASE)
        try:
            bench_dashboard()
        finally:
            from django.db import connection

            if not os.environ.get("KOE_BENCH_KEEP_DATABASE"):
                connection.creation.destroy_test_db(original_name, verbosity=0)
