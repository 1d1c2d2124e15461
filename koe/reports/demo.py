"""Demo dashboards: the closed quarters of every demo organisation with company users,
published so the insights pages open at once. Run after the demo's sheets and cases exist."""

from koe.organizations.models import Organization
from koe.reports.dashboard import TREND_QUARTERS, dashboard_snapshots, offered_quarters


def seed(organizations: list[Organization] | None = None, quarters: int = TREND_QUARTERS) -> int:
    """Publishes the last ``quarters`` closed quarters for ``organizations`` (default: every
    organisation with a company user); returns how many organisations it covered. Quarters
    already published are kept as they are."""
    from koe.reports.dashboard import organizations_with_dashboards

    chosen = organizations if organizations is not None else list(organizations_with_dashboards())
    periods = offered_quarters()[:quarters][::-1]
    for organization in chosen:
        dashboard_snapshots(organization, periods)
    return len(chosen)
