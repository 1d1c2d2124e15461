"""Demo risk alerts for seed_demo: published alerts for the given employers, as the weekly job
would have published them for the last two publishable weeks (the demo's own self-checks are
too recent to be published yet: see publication.py for the delay). Every demo employer is
treated as having enough known workers to receive its own alert (recipients.py), so that the
demo shows both the employer's and the brand holder's page."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction

from koe.organizations.models import Organization
from koe.organizations.selectors import brand_holders_above
from koe.reports.suppression import resolve_threshold
from koe.riskwatch.publication import PublicationRun, Signals, latest_publishable_week, publish_alert
from koe.surveys.indicators import mask_of

# (self-check red flag, critical consultation, indicator codes, number of signals)
DEMO_SIGNALS = [
    (True, False, ("retention_of_identity_documents", "restriction_of_movement"), 2),
    (True, True, ("withholding_of_wages", "debt_bondage", "excessive_overtime"), 6),
    (False, True, ("physical_and_sexual_violence", "intimidation_and_threats"), 1),
]


@transaction.atomic
def seed(*, employers: Sequence[Organization], now: datetime | None = None) -> PublicationRun:
    """For each employer (in turn) one alert a week, to itself and each brand holder above it;
    the newest week's alerts unacknowledged. No e-mail is sent."""
    latest = latest_publishable_week(now)
    run = PublicationRun(weeks=[latest, latest - timedelta(weeks=1)])
    threshold = resolve_threshold(None)
    for index, employer in enumerate(employers):
        red_flag, critical, codes, count = DEMO_SIGNALS[index % len(DEMO_SIGNALS)]
        signals = Signals(red_flag, critical, mask_of(codes), count)
        week = run.weeks[index % 2]
        recipients = {employer.pk, *brand_holders_above(employer).values_list("pk", flat=True)}
        for recipient_id in sorted(recipients):
            run.created += publish_alert(recipient_id, employer.pk, week, signals, threshold)
    return run
