"""``manage.py verify_audit``: walk the audit hash chain; exit 1 at the first broken entry.

Meant for cron and monitoring: record the printed head hash somewhere outside the database
(another system, a ticket, paper) and pass it back later with ``--expect-head``, so that entries
cut off the end of the log are found too.
"""

import argparse
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from koe.audit.verify import verify_chain

HASH_PATTERN = re.compile(r"[0-9a-f]{64}")


def head_hash(value: str) -> str:
    value = value.strip().lower()
    if not HASH_PATTERN.fullmatch(value):
        raise argparse.ArgumentTypeError("a head hash is 64 hexadecimal characters")
    return value


class Command(BaseCommand):
    help = "Checks the audit log's hash chain. Exits 0 when it is intact, 1 when it is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            type=head_hash,
            metavar="HASH",
            help="A head hash recorded earlier outside the database; it must still be in the chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(expect_head=options["expect_head"])
        broken = result.broken
        if broken is None:
            self.stdout.write(f"audit chain OK: {result.checked} entries, head {result.head_hash}")
            return
        self.stderr.write(f"audit chain BROKEN at entry #{broken.sequence}: {broken.describe()}")
        raise SystemExit(1)
