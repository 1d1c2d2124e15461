"""Quarterly report pages for the site-wide checks (koe/core/tests/test_site.py): a company's
reports are its own; Sakura Foods' report is for Sakura Foods' users only, not its suppliers'."""

from typing import Any

from koe.core.testing.site import COMPANY, Page
from koe.quarterly.testing import finished_report

SAKURA_FOODS = ["admin_a", "user_a"]


def sakura_report(personas: Any) -> list[Any]:
    return [finished_report(personas.org_a).pk]


PAGES: dict[str, Page] = {
    "quarterly:list": Page("admin_a", COMPANY),
    "quarterly:generate": Page("admin_a", [], get=False),
    "quarterly:progress": Page("user_a", SAKURA_FOODS, sakura_report),
    "quarterly:download_pdf": Page("admin_a", SAKURA_FOODS, sakura_report, html=False),
    "quarterly:download_csv": Page("admin_a", SAKURA_FOODS, sakura_report, html=False),
    "quarterly:download_xlsx": Page("admin_a", SAKURA_FOODS, sakura_report, html=False),
}
