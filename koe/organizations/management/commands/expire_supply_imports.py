"""Daily (or hourly): end supply-chain imports left waiting for a decision for a day or stuck for
two hours, and delete their uploaded files, so a company's file never stays in Koe by accident.

    20 * * * *  cd /srv/koe && .venv/bin/python manage.py expire_supply_imports
"""

from typing import Any

from django.core.management.base import BaseCommand

from koe.organizations.supply_import import supply_import_expire


class Command(BaseCommand):
    help = "End undecided or interrupted supply-chain imports and delete their files (run hourly or daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = supply_import_expire.call()
        self.stdout.write(f"Supply-chain imports ended: {ended}")
