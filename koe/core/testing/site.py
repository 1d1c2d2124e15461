"""The site-wide page registry's vocabulary (see koe/core/tests/test_site.py): who may open a page.

Apps added after the first ones list their pages in ``koe/<app>/tests/site_pages.py`` as
``PAGES: dict[str, Page]``; ``app_pages`` gathers them so that no URL escapes the site checks.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

ANONYMOUS = "anonymous"
BEFORE_SECOND_STEP = " (before the second step)"
EVERYONE = ["worker", "consultant", "supervisor", "expert", "auditor", "operator", "admin_a", "user_a",
            "user_a1", "user_a2", "admin_b", "user_b1", ANONYMOUS]  # fmt: skip
COMPANY = ["admin_a", "user_a", "user_a1", "user_a2", "admin_b", "user_b1"]
COMPANY_ADMINS = ["admin_a", "user_a1", "admin_b", "user_b1"]
DESK = ["consultant", "supervisor"]

# URL namespaces whose pages live in koe/<app>/tests/site_pages.py, by app module.
SITE_PAGE_APPS = {
    "programmes": "koe.programmes",
    "riskwatch": "koe.riskwatch",
    "reach": "koe.reach",
    "join": "koe.reach",
    "insights": "koe.reports",
    "quarterly": "koe.quarterly",
    "remedy": "koe.remedy",
}


@dataclass
class Page:
    viewer: str  # the persona the smoke test renders the page as
    allowed: list[str]  # personas who get 200; every other signed-in persona gets 404
    args: Callable[[Any], list[Any]] = lambda personas: []
    html: bool = True
    get: bool = True  # False: the URL only accepts POST
    anonymous: int = 302  # what someone not signed in gets: sent to sign in, or 404 for a worker's own sheet


def app_pages() -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for module in sorted(set(SITE_PAGE_APPS.values())):
        try:
            pages.update(import_module(f"{module}.tests.site_pages").PAGES)
        except ModuleNotFoundError as missing:
            if missing.name not in (module, f"{module}.tests", f"{module}.tests.site_pages"):
                raise
    return pages
