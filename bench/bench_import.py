"""Supply-chain import: a 10,000-row CSV (three tiers) checked and imported, as the background
jobs do it, on PostgreSQL (on SQLite in memory without DATABASE_URL).

- import.read_10000: decoding and reading the file into rows;
- import.check_10000: every row judged (the check job, progress updates included);
- import.apply_10000: checked again under the graph lock and written with bulk inserts, in one
  transaction (the import job);
- import.total_10000: upload to the last link, as the admin waits for it.
"""

import csv
import io
import os
import time

from _django import report, setup_django_on_own_database, setup_django_with_test_database

BENCH_DATABASE = "koe_import_bench"
ROWS = int(os.environ.get("KOE_BENCH_IMPORT_ROWS", "10000"))
TIER_SHARES = (0.1, 0.3, 0.6)  # 1,000 tier-1, 3,000 tier-2 and 6,000 tier-3 companies


def build_csv(rows: int) -> bytes:
    from koe.organizations.corporate_number import corporate_number_check_digit

    def number(serial: int) -> str:
        base = f"{500000000000 + serial:012d}"
        return f"{corporate_number_check_digit(base)}{base}"

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["法人番号", "会社名", "階層", "親会社法人番号", "都道府県コード", "業種コード"])
    serial, above = 0, [""]
    for tier, share in enumerate(TIER_SHARES, start=1):
        level = []
        for index in range(int(rows * share)):
            serial += 1
            writer.writerow(
                [number(serial), f"株式会社 テスト{serial}", tier, above[index % len(above)], "13", "E"]
            )
            level.append(number(serial))
        above = level
    return buffer.getvalue().encode("cp932")


def elapsed_ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def bench_import() -> None:
    from koe.accounts.models import Role, User
    from koe.organizations.import_files import read_rows
    from koe.organizations.models import ImportStatus, Organization, OrganizationKind, SupplyChainLink
    from koe.organizations.supply_import import supply_import_confirm, supply_import_start

    brand = Organization.objects.create(
        name="Bench Foods", kind=OrganizationKind.BRAND_HOLDER, is_foreign=True
    )
    admin = User.objects.create_user(
        username="bench_admin", role=Role.COMPANY, organization=brand, is_company_admin=True
    )
    data = build_csv(ROWS)
    start = time.perf_counter()
    rows = read_rows(data)
    report(f"import.read_{len(rows)}", elapsed_ms(start), "ms")

    start = time.perf_counter()
    job = supply_import_start(actor=admin, file_name="bench.csv", data=data)  # the check runs at commit
    job.refresh_from_db()
    checked_ms = elapsed_ms(start)
    assert job.status == ImportStatus.CHECKED and job.valid_rows == len(rows), (job.status, job.problems[:3])
    report(f"import.check_{len(rows)}", checked_ms, "ms")

    start = time.perf_counter()
    supply_import_confirm(actor=admin, job=job, only_valid=False)  # the import runs at commit
    applied_ms = elapsed_ms(start)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.result
    assert SupplyChainLink.objects.count() == len(rows)
    report(f"import.apply_{len(rows)}", applied_ms, "ms")
    report(f"import.total_{len(rows)}", checked_ms + applied_ms, "ms")


if __name__ == "__main__":
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        original_name = setup_django_on_own_database(BENCH_DATABASE)
        try:
            bench_import()
        finally:
            from django.db import connection

            connection.creation.destroy_test_db(original_name, verbosity=0)
    else:
        setup_django_with_test_database()
        bench_import()
