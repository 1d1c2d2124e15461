"""Reads of organisations and supply chains, scoped to what the acting user may see.

A company user sees their own organisation and its transitive suppliers, never its buyers: a
brand holder sees its whole chain, a tier-1 supplier itself and its own suppliers (PRODUCT.md,
rule 8). The chain is walked in the database with a recursive CTE, so a deep chain costs one query.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from koe.accounts.models import Role
from koe.organizations.models import ImportJob, Organization, OrganizationKind, SupplyChainLink

# Roles that work across every organisation: the desk, the secretariat and the certification
# screeners. Experts and workers see no organisation through these selectors.
ALL_ORGANIZATIONS_ROLES = frozenset({Role.CONSULTANT, Role.SUPERVISOR, Role.OPERATOR, Role.AUDITOR})

# Depth cap for ``supply_chain_tiers`` only: the tiers query keeps (organisation, depth) pairs, so
# without a cap a cycle written around the services (raw SQL, fixtures) would never end. Real
# supply chains are far shallower; the set of ids (``supply_chain_ids``) needs no cap.
MAX_TIER_DEPTH = 64


def _link_table() -> str:
    return connection.ops.quote_name(SupplyChainLink._meta.db_table)


def _supply_chain_sql() -> str:
    """SQL returning one ``id`` column: every transitive supplier of the organisation ``%s``.

    UNION (not UNION ALL) discards rows already found, so the recursion stops even on a cycle.
    """
    links = _link_table()
    # Only the model's own (quoted) table name is interpolated; values are always parameters.
    return (
        "WITH RECURSIVE chain(id) AS ("  # noqa: S608
        f" SELECT supplier_id FROM {links} WHERE buyer_id = %s"
        f" UNION SELECT l.supplier_id FROM {links} l INNER JOIN chain c ON l.buyer_id = c.id"
        ") SELECT id FROM chain"
    )


def supply_chain_ids(organization_id: int) -> set[int]:
    """The ids of every organisation that supplies ``organization_id``, directly or not."""
    with connection.cursor() as cursor:
        cursor.execute(_supply_chain_sql(), [organization_id])
        found = {row[0] for row in cursor.fetchall()}
    found.discard(organization_id)  # only present if a cycle slipped past the services
    return found


def supply_chain_links(organization_id: int) -> list[tuple[int, int]]:
    """Every (buyer id, supplier id) link inside the organisation's chain, in one query."""
    links = _link_table()
    sql = f"SELECT buyer_id, supplier_id FROM {links} WHERE buyer_id = %s OR buyer_id IN ({_supply_chain_sql()})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [organization_id, organization_id])
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _buyers_sql() -> str:
    """SQL returning one ``id`` column: every transitive buyer of the organisation ``%s``.

    The downward walk of ``_supply_chain_sql`` turned round; UNION again ends it on a cycle.
    """
    links = _link_table()
    return (
        "WITH RECURSIVE chain(id) AS ("  # noqa: S608 - see _supply_chain_sql
        f" SELECT buyer_id FROM {links} WHERE supplier_id = %s"
        f" UNION SELECT l.buyer_id FROM {links} l INNER JOIN chain c ON l.supplier_id = c.id"
        ") SELECT id FROM chain"
    )


def companies_in_view(organization: Organization) -> set[int]:
    """The companies an organisation's company pages cover (dashboards, reach): a brand holder,
    itself and its whole supply chain; any other company, itself only, so that a supplier never
    gets a second, overlapping cut of its brand holder's chain."""
    if organization.kind == OrganizationKind.BRAND_HOLDER:
        return {organization.pk} | supply_chain_ids(organization.pk)
    return {organization.pk}


def brand_holders_above(organization: Organization | int) -> QuerySet[Organization]:
    """Every brand holder whose supply chain holds ``organization``, and the organisation itself
    if it is a brand holder: the companies a red flag at this employer concerns. One lazy query.

    Not scoped to a user: the desk's services use it to tag an alert, never to show a company.
    """
    root = organization if isinstance(organization, int) else organization.pk
    above = Q(pk=root) | Q(pk__in=RawSQL(_buyers_sql(), [root]))  # noqa: S611 - parameterised
    return Organization.objects.filter(above, kind=OrganizationKind.BRAND_HOLDER)


def supply_chain_tiers(organization: Organization | int) -> dict[int, int]:
    """Each transitive supplier's tier seen from ``organization``: the length of its shortest path.

    UNION drops repeated (id, depth) pairs, so the work is bounded by suppliers x depth even when
    many paths lead to the same supplier.
    """
    root = organization if isinstance(organization, int) else organization.pk
    links = _link_table()
    sql = (
        "WITH RECURSIVE chain(id, depth) AS ("  # noqa: S608 - see _supply_chain_sql
        f" SELECT supplier_id, 1 FROM {links} WHERE buyer_id = %s"
        f" UNION SELECT l.supplier_id, c.depth + 1 FROM {links} l"
        " INNER JOIN chain c ON l.buyer_id = c.id WHERE c.depth < %s"
        ") SELECT id, MIN(depth) FROM chain GROUP BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [root, MAX_TIER_DEPTH])
        tiers = {row[0]: row[1] for row in cursor.fetchall()}
    tiers.pop(root, None)
    return tiers


def suppliers_by_tier(organization: Organization) -> dict[int, int]:
    """How many suppliers ``organization`` has at each tier, tiers in ascending order."""
    counts = Counter(supply_chain_tiers(organization).values())
    return dict(sorted(counts.items()))


def _company_filter(user: Any) -> Q:
    """Own organisation plus its transitive suppliers, as one lazy subquery."""
    own = user.organization_id
    if own is None:
        return Q(pk__in=[])
    return Q(pk=own) | Q(pk__in=RawSQL(_supply_chain_sql(), [own]))  # noqa: S611 - parameterised


def organizations_visible_to(user: Any) -> QuerySet[Organization]:
    organizations = Organization.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return organizations.none()
    if user.role in ALL_ORGANIZATIONS_ROLES:
        return organizations
    if user.role == Role.COMPANY:
        return organizations.filter(_company_filter(user))
    return organizations.none()


def supply_links_visible_to(user: Any) -> QuerySet[SupplyChainLink]:
    """Links whose buyer the user may see; the supplier of such a link is then visible too.

    A supplier's links to its own buyers stay hidden from it: a supplier cannot see its buyers.
    """
    links = SupplyChainLink.objects.select_related("buyer", "supplier")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return links.none()
    if user.role in ALL_ORGANIZATIONS_ROLES:
        return links
    if user.role == Role.COMPANY:
        return links.filter(buyer__in=organizations_visible_to(user))
    return links.none()


def direct_suppliers(*, user: Any, organization: Organization) -> QuerySet[SupplyChainLink]:
    """``organization``'s direct supplier links, if the user may see ``organization``."""
    return supply_links_visible_to(user).filter(buyer=organization).order_by("supplier__name")


def normalize_search(text: str) -> str:
    """Full-width digits and letters (typed with a Japanese input method) become ASCII."""
    return unicodedata.normalize("NFKC", text).strip()


@dataclass(frozen=True)
class ChainEntry:
    organization: Organization
    tier: int


def supply_chain_for(user: Any, *, search: str = "", tier: int | None = None) -> list[ChainEntry]:
    """The user's organisation's suppliers with their tiers, by tier then name.

    Two queries whatever the chain's size (tiers, then organisations); filtering by tier happens
    here rather than in an ``IN`` list, which SQLite limits in length.
    """
    if getattr(user, "role", None) != Role.COMPANY or user.organization_id is None:
        return []
    tiers = supply_chain_tiers(user.organization_id)
    organizations = organizations_visible_to(user).exclude(pk=user.organization_id)
    search = normalize_search(search)
    if search:
        organizations = organizations.filter(_search_filter(search))
    entries = [
        ChainEntry(organization=org, tier=tiers[org.pk])
        for org in organizations
        if org.pk in tiers and (tier is None or tiers[org.pk] == tier)
    ]
    return sorted(entries, key=lambda entry: (entry.tier, entry.organization.name, entry.organization.pk))


def _search_filter(search: str) -> Q:
    matches = Q(name__icontains=search)
    digits = search.replace("-", "").replace(" ", "")
    if digits.isdigit():
        matches |= Q(corporate_number__contains=digits)
    return matches


def import_jobs_visible_to(user: Any) -> QuerySet[ImportJob]:
    """Supply-chain imports of the user's organisation, for its company admins only."""
    if (
        getattr(user, "role", None) != Role.COMPANY
        or not user.is_company_admin
        or user.organization_id is None
    ):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(organization_id=user.organization_id)
