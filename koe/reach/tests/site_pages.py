from uuid import UUID

from koe.core.testing.personas import Personas
from koe.core.testing.site import ANONYMOUS, COMPANY, EVERYONE, Page
from koe.reach.services import worker_employer_link_create
from koe.reach.testing import invite_of_a1

# Sakura Packing's link: its brand holder's users and its own users, nobody in another chain or below.
A1_LINK = ["admin_a", "user_a", "user_a1"]


def _worker_link(personas: Personas) -> list[UUID]:
    return [worker_employer_link_create(actor=personas.worker, invite=invite_of_a1(personas)).public_id]


PAGES: dict[str, Page] = {
    "reach:links": Page("admin_a", COMPANY),
    "reach:link_create": Page("admin_a", [], get=False),
    "reach:link_detail": Page("admin_a", A1_LINK, lambda p: [invite_of_a1(p).pk]),
    "reach:link_revoke": Page("admin_a", [], lambda p: [invite_of_a1(p).pk], get=False),
    "reach:poster": Page(
        "admin_a", A1_LINK, lambda p: [invite_of_a1(p).pk, "poster", "a4", "my"], html=False
    ),
    "reach:figures": Page("admin_a", COMPANY),
    "join:landing": Page(ANONYMOUS, EVERYONE, lambda p: [invite_of_a1(p).token]),
    "join:my_employer": Page("worker", ["worker"]),
    "join:remove_employer": Page("worker", [], _worker_link, get=False),
}
