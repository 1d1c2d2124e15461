"""Shared set-up for benchmarks: Django configured on a throw-away database.

With DATABASE_URL set the benchmark runs on that PostgreSQL server (in a fresh test database);
otherwise on SQLite in memory.
"""

import logging
import os
import sys
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
