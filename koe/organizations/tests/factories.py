"""Bulk organisations and links for tests: valid corporate numbers, links written directly."""

from itertools import count

from koe.organizations.corporate_number import corporate_number_check_digit
from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink

_serial = count(1)


def corporate_number() -> str:
    base = f"{800000000000 + next(_serial) * 7:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


def make_org(name: str, **fields: object) -> Organization:
    values: dict[str, object] = {
        "kind": OrganizationKind.SUPPLY_CHAIN,
        "corporate_number": corporate_number(),
        "prefecture": "23",
        "industry": "E",
    }
    values.update(fields)
    return Organization.objects.create(name=name, **values)


def link(buyer: Organization, supplier: Organization, tier: int = 1) -> SupplyChainLink:
    return SupplyChainLink.objects.create(buyer=buyer, supplier=supplier, tier=tier)


def build_chain(root: Organization, widths: list[int], prefix: str = "Supplier") -> list[list[Organization]]:
    """Tier after tier below ``root``: ``widths[i]`` organisations at tier i+1, each supplying one
    organisation of the tier above (round robin). Built with bulk inserts, for large chains."""
    tiers: list[list[Organization]] = []
    above = [root]
    for depth, width in enumerate(widths, start=1):
        orgs = Organization.objects.bulk_create(
            Organization(
                name=f"{prefix} T{depth}-{index:03d}", kind=OrganizationKind.SUPPLY_CHAIN,
                corporate_number=corporate_number(), prefecture="13", industry="E",
            )
            for index in range(width)
        )  # fmt: skip
        SupplyChainLink.objects.bulk_create(
            SupplyChainLink(buyer=above[index % len(above)], supplier=org, tier=depth)
            for index, org in enumerate(orgs)
        )
        tiers.append(orgs)
        above = orgs
    return tiers


def full_width(digits: str) -> str:
    """Digits as a Japanese input method types them: full width, U+FF10 to U+FF19."""
    return "".join(chr(ord(digit) + 0xFEE0) for digit in digits)
