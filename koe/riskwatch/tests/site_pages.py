from koe.core.testing.site import COMPANY, Page
from koe.riskwatch.tests.factories import bh_alert

PAGES: dict[str, Page] = {
    "riskwatch:list": Page("admin_a", COMPANY),
    # Sakura Foods' alert about its tier-1 supplier Sakura Packing: Sakura Foods' users only
    # (the supplier has its own copy of the alert, which these users cannot open).
    "riskwatch:detail": Page("admin_a", ["admin_a", "user_a"], lambda p: [bh_alert(p).public_id]),
    "riskwatch:acknowledge": Page("admin_a", [], lambda p: [bh_alert(p).public_id], get=False),
}
