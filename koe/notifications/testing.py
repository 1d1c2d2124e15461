"""Workers with an arrival date and a reminder choice, for the tests of rounds and reminders."""

from datetime import date

from django.utils import timezone

from koe.accounts.models import User
from koe.accounts.services import worker_profile_update, worker_register
from koe.notifications.models import Channel
from koe.surveys.rounds import add_months

PASSWORD = "river-lantern-77-quiet"  # noqa: S105 - test workers only


def months_ago(months: int) -> date:
    return add_months(timezone.localdate(), -months)


def make_worker(
    username: str,
    *,
    arrival: date | None = None,
    email: str = "",
    channel: str = Channel.PORTAL,
    language: str = "vi",
) -> User:
    """A worker registered as on the site, who then set their arrival date on the account page."""
    user = worker_register(
        username=username, password=PASSWORD, language=language, email=email,
        nationality="vn", policy_version="2026-11-01",
    )  # fmt: skip
    worker_profile_update(
        user=user, nationality="vn", residence_status="titp", arrival_date=arrival, reminder_channel=channel
    )
    return user
