"""Company pages cost a fixed number of queries, however large the supply chain."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koe.core.testing.personas import Personas, verified_client
from koe.organizations.tests.factories import build_chain

pytestmark = pytest.mark.django_db

# Session, user, OTP device, own organisation, tiers (twice: filter choices and rows), organisations,
# and the audit append (savepoint pair, last entry, insert, and on PostgreSQL its advisory lock).
LIST_PAGE_QUERIES = 12


def queries_for(client: object, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_three_tier_chain_of_200_suppliers_lists_in_bounded_queries(
    personas: Personas, django_assert_max_num_queries
) -> None:
    tiers = build_chain(personas.org_b, [20, 60, 120], prefix="Hikari supplier")
    client = verified_client(personas.admin_b)
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = client.get("/en/company/supply-chain/", {"page": 2})
    html = response.content.decode()
    assert "Hikari supplier T3-" in html  # page 2 of 201 suppliers, by tier
    assert "Page 2 of 3" in html
    assert len(tiers[2]) == 120


def test_the_query_count_does_not_grow_with_the_chain(personas: Personas) -> None:
    client = verified_client(personas.admin_b)
    small = queries_for(client, "/en/company/supply-chain/")
    build_chain(personas.org_b, [20, 60, 120], prefix="Hikari supplier")
    for path in ["/en/company/supply-chain/", "/en/company/", "/en/company/supply-chain/export.csv"]:
        assert queries_for(client, path) <= small, path
    assert queries_for(client, f"/en/company/organizations/{personas.org_b.pk}/") <= small + 1
