"""Two requests closing one loop at the same time: the graph lock makes the second see the first.

Without the lock both would pass their check (each sees the graph before the other's commit) and
A <- B <- C <- D <- A would be stored. PostgreSQL only: SQLite lets one writer in at a time anyway.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from koe.organizations.models import SupplyChainLink
from koe.organizations.services import supply_link_create
from koe.organizations.tests.factories import link, make_org

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")


@pytest.mark.django_db(transaction=True)
def test_two_links_closing_one_loop_concurrently_cannot_both_be_stored() -> None:
    a, b, c, d = (make_org(name) for name in "ABCD")
    link(b, c)  # C supplies B
    link(d, a)  # A supplies D
    first_written = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                supply_link_create(actor=None, buyer=a, supplier=b, tier=1)  # B supplies A
                first_written.set()
                second_started.wait(timeout=5)
                threading.Event().wait(0.5)  # give the second time to reach the lock, then commit
        finally:
            connection.close()

    def second() -> None:
        first_written.wait(timeout=5)
        second_started.set()
        try:
            supply_link_create(actor=None, buyer=c, supplier=d, tier=1)  # D supplies C: closes the loop
            outcome["second"] = "stored"
        except ValidationError as error:
            outcome["second"] = error.code
        finally:
            connection.close()

    second_started = threading.Event()
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert outcome == {"second": "cycle"}
    assert SupplyChainLink.objects.count() == 3
