"""Links that leave the site, in e-mails: absolute when the operator set ``KOE_SITE_URL``."""

from django.conf import settings


def site_link(path: str) -> str:
    # settings.py already strips the address's trailing slash.
    return f"{settings.KOE_SITE_URL}{path}"
