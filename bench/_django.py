"""Shared set-up for benchmarks: Django configured on a throw-away database.

With DATABASE_URL set the benchmark runs on that PostgreSQL server (in a fresh test database);
otherwise on SQLite in memory.
"""

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def setup_django_with_test_database() -> None:
    import django
    from django.db import connection
    from django.test.utils import setup_test_environment

    django.setup()
    # Task start and end lines would drown the figures: benchmarks print only figures.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def report(name: str, value: float, unit: str) -> None:
    """One figure a line, ``name: value unit``, so runs can be compared with diff or grep."""
    shown = f"{value:.0f}" if unit == "B" or float(value).is_integer() else f"{value:.2f}"
    print(f"{name}: {shown} {unit}", flush=True)


def setup_django_on_own_database(name: str) -> str:
    """Django on a PostgreSQL database of the benchmark's own, created and migrated here, so the
    tests' databases are never touched. Returns the configured database's name (to drop ours)."""
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    setup_test_environment()
    from django.db import connection

    original = str(connection.settings_dict["NAME"])
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return original


def timed_ms(
    function: Callable[[], object],
    runs: int,
    before: Callable[[], object] | None = None,
    warm_up: bool = False,
) -> list[float]:
    """`runs` timings of `function` in milliseconds; `before` runs untimed ahead of each one."""
    if warm_up:
        function()  # connection, caches, query plans
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report_timings(name: str, samples: list[float]) -> float:
    """Prints `name.p50` and `name.p95`; returns the p95."""
    report(f"{name}.p50", statistics.median(samples), "ms")
    p95 = percentile(samples, 0.95)
    report(f"{name}.p95", p95, "ms")
    return p95
