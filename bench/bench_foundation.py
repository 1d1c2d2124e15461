"""Foundation figures: supply-chain reach, scoped reads and the audit chain.

- supply_chain.*: one brand holder with 500 supply-chain companies over three tiers, beside a
  second, unrelated chain of 500, and a company user's scoped organisation list.
- audit.*: appending entries one by one (each takes the chain lock) and verifying the chain.
"""

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from _django import report, report_timings, setup_django_with_test_database
from _django import timed_ms as shared_timed_ms

if TYPE_CHECKING:
    from koe.organizations.models import Organization

TIER_SIZES = (50, 150, 300)  # 500 companies: tier 1, tier 2, tier 3
AUDIT_APPENDS = 2_000
REPEATS = 100


def timed_ms(function: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    return shared_timed_ms(function, repeats)


def build_chain(prefix: str) -> "Organization":
    """Bulk set-up (not the write path under test): a brand holder and a three-tier tree."""
    from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink

    def make(name: str, kind: str) -> Organization:
        return Organization(name=name, kind=kind, is_foreign=True)

    root = make(f"{prefix} brand", OrganizationKind.BRAND_HOLDER)
    root.save()
    parents = [root]
    for tier, size in enumerate(TIER_SIZES, start=1):
        level = Organization.objects.bulk_create(
            [make(f"{prefix} t{tier} #{i}", OrganizationKind.SUPPLY_CHAIN) for i in range(size)]
        )
        links = [
            SupplyChainLink(buyer=parents[i % len(parents)], supplier=org, tier=tier)
            for i, org in enumerate(level)
        ]
        SupplyChainLink.objects.bulk_create(links)
        parents = level
    return root


def bench_supply_chain() -> None:
    from koe.accounts.models import Role, User
    from koe.organizations.selectors import organizations_visible_to, supply_chain_ids, supply_chain_tiers

    root = build_chain("A")
    build_chain("B")
    user = User.objects.create_user(username="bench_admin", role=Role.COMPANY, organization=root)
    assert len(supply_chain_ids(root.pk)) == sum(TIER_SIZES)
    for name, function in [
        ("supply_chain.ids_500", lambda: supply_chain_ids(root.pk)),
        ("supply_chain.tiers_500", lambda: supply_chain_tiers(root.pk)),
        ("supply_chain.visible_orgs_list_500", lambda: list(organizations_visible_to(user))),
    ]:
        report_timings(name, timed_ms(function))


def bench_audit() -> None:
    from koe.audit.services import audit_record
    from koe.audit.verify import verify_chain

    start = time.perf_counter()
    for number in range(AUDIT_APPENDS):
        audit_record(actor=None, action="bench.append", detail={"n": number})
    elapsed = time.perf_counter() - start
    report("audit.append_per_second", AUDIT_APPENDS / elapsed, "entries/s")
    start = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - start
    assert result.ok, result
    report("audit.verify_per_second", AUDIT_APPENDS / elapsed, "entries/s")


if __name__ == "__main__":
    setup_django_with_test_database()
    bench_supply_chain()
    bench_audit()
