"""The insights pages in the site-wide checks (koe/core/tests/test_site.py)."""

from koe.core.testing.site import COMPANY, Page

PAGES: dict[str, Page] = {
    # Every company user reads their own organisation's dashboard (a brand holder: its chain).
    "insights:dashboard": Page("admin_a", COMPANY),
}
