from typing import Any

from django.core.management.base import BaseCommand

from koe.cases.models import Case
from koe.cases.search import index_case


class Command(BaseCommand):
    help = "Rebuild the word-search tokens of every case (after an upgrade or a SECRET_KEY change)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for case in Case.objects.filter(anonymised_at=None).order_by("pk").iterator(chunk_size=500):
            index_case(case)
            count += 1
        self.stdout.write(f"{count} cases indexed.")
