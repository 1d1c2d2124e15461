"""Test helpers for invite links (used by the site-wide checks and by reach's own tests)."""

from typing import Any

from koe.reach.models import InviteLink
from koe.reach.services import invite_link_get_or_create


def invite_of_a1(personas: Any) -> InviteLink:
    """Sakura Packing's invite link, made from its brand holder Sakura Foods' page (once per test)."""
    return invite_link_get_or_create(actor=personas.admin_a, employer=personas.org_a1)
