from koe.core.testing.site import COMPANY, Page

PAGES: dict[str, Page] = {
    # Every company user sees their own organisation's programme (or that it has none).
    "programmes:overview": Page("admin_a", COMPANY),
}
