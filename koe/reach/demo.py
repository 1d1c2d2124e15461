"""Demo invite links: one live link per employer, in the campaign of its single brand holder."""

from collections.abc import Iterable

from koe.organizations.models import Organization, OrganizationKind
from koe.organizations.selectors import brand_holders_above
from koe.reach.models import InviteLink


def seed(*, employers: Iterable[Organization]) -> list[InviteLink]:
    """The live link of each employer (made if missing), as its brand holder's page would make it.

    Idempotent, so ``seed_demo`` may run twice. No worker is linked here: registrations and
    self-checks come from the other demo seeds.
    """
    links = []
    for employer in employers:
        links.append(_link_for(employer))
    return links


def _link_for(employer: Organization) -> InviteLink:
    if employer.kind == OrganizationKind.BRAND_HOLDER:
        brand_holder: Organization | None = employer
    else:
        above = list(brand_holders_above(employer)[:2])
        brand_holder = above[0] if len(above) == 1 else None
    link = InviteLink.objects.filter(
        employer=employer, brand_holder=brand_holder, revoked_at__isnull=True
    ).first()
    return link or InviteLink.objects.create(employer=employer, brand_holder=brand_holder)
