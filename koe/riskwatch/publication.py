"""Publishing organisation-level risk alerts, one ISO week at a time.

Why weekly batches: an alert that appeared minutes after a red-flag self-check would tell the
employer when it happened, and with a shift roster that may be enough to tell who. So every
signal of a week (Monday 00:00 to Sunday 24:00, Japan time) is published together, as one alert
per company and week, saying only the week.

Why a delay of two more days after the week ends (``KOE_RISK_ALERT_DELAY_DAYS``):
- a signal from late on Sunday would otherwise be published within hours of being raised, and
  the week would hide little about its timing;
- the desk needs the time to reach the worker first (critical alerts are answered within hours,
  urgent ones within two days: ``KOE_DESK_URGENT_ACK_HOURS``), so the employer never hears of a
  risk before the worker has been offered help and protection from retaliation;
- consultations logged by the desk after the fact (a phone call on Sunday entered on Monday)
  still fall into their week before it is published, so a week is published once, not in parts.

The job is idempotent: it looks at the last ``LOOKBACK_WEEKS`` publishable weeks, creates the
alerts that do not exist yet, and folds a signal that arrived late (a case raised to critical
afterwards) into the existing alert of its week without a new e-mail.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from koe.cases.models import Alert, Case, CaseSeverity
from koe.organizations.selectors import brand_holders_above
from koe.reports.suppression import resolve_threshold
from koe.riskwatch.models import OrgRiskAlert

LOOKBACK_WEEKS = 8


def delay() -> timedelta:
    return timedelta(days=getattr(settings, "KOE_RISK_ALERT_DELAY_DAYS", 2))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def latest_publishable_week(now: datetime | None = None) -> date:
    """The Monday of the newest week that has ended at least ``delay()`` ago (local time)."""
    today = timezone.localdate(now or timezone.now())
    week = monday_of(today) - timedelta(days=7)
    if today < week + timedelta(days=7) + delay():
        week -= timedelta(days=7)
    return week


def week_bounds(week: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(week, time.min))
    return start, start + timedelta(days=7)


@dataclass
class Signals:
    self_check_red_flag: bool = False
    critical_case: bool = False
    indicators: int = 0
    count: int = 0


def signals_in_week(week: date) -> dict[int, Signals]:
    """Per employer: the red-flag self-checks and critical cases created in the week.

    A case opened from a self-check alert of the same week is one signal, not two.
    """
    start, end = week_bounds(week)
    found: dict[int, Signals] = {}
    alert_ids: set[int] = set()
    alerts = Alert.objects.filter(created_at__gte=start, created_at__lt=end, employer__isnull=False)
    for pk, employer_id, tags in alerts.values_list("pk", "employer_id", "tags"):
        signals = found.setdefault(employer_id, Signals())
        signals.self_check_red_flag, signals.indicators = True, signals.indicators | tags
        signals.count += 1
        alert_ids.add(pk)
    cases = Case.objects.filter(
        created_at__gte=start, created_at__lt=end, severity=CaseSeverity.CRITICAL, employer__isnull=False
    )
    for employer_id, indicators, alert_id in cases.values_list("employer_id", "indicators", "alert_id"):
        signals = found.setdefault(employer_id, Signals())
        signals.critical_case, signals.indicators = True, signals.indicators | indicators
        signals.count += alert_id not in alert_ids
    return found


@dataclass
class PublicationRun:
    weeks: list[date] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    notified_organizations: set[int] = field(default_factory=set)


def _publish_one(recipient_id: int, subject_id: int, week: date, signals: Signals, threshold: int) -> str:
    # Below the threshold the page says "one or more": the number itself is never kept.
    count = signals.count if signals.count >= threshold else None
    alert, created = OrgRiskAlert.objects.get_or_create(
        organization_id=recipient_id,
        subject_id=subject_id,
        week_start=week,
        defaults={
            "self_check_red_flag": signals.self_check_red_flag,
            "critical_case": signals.critical_case,
            "indicators": signals.indicators,
            "shown_count": count,
        },
    )
    if created:
        return "created"
    # A signal that arrived late joins the week's alert; nothing already said is taken back.
    merged = {
        "self_check_red_flag": alert.self_check_red_flag or signals.self_check_red_flag,
        "critical_case": alert.critical_case or signals.critical_case,
        "indicators": alert.indicators | signals.indicators,
        "shown_count": count or alert.shown_count,
    }
    if all(getattr(alert, name) == value for name, value in merged.items()):
        return "unchanged"
    OrgRiskAlert.objects.filter(pk=alert.pk).update(**merged)
    return "updated"


def _publish_week_signals(week: date, found: dict[int, Signals], threshold: int, run: PublicationRun) -> None:
    for subject_id, signals in found.items():
        recipients = {subject_id, *brand_holders_above(subject_id).values_list("pk", flat=True)}
        for recipient_id in sorted(recipients):
            outcome = _publish_one(recipient_id, subject_id, week, signals, threshold)
            if outcome == "created":
                run.created += 1
                run.notified_organizations.add(recipient_id)
            elif outcome == "updated":
                run.updated += 1


@transaction.atomic
def publish_risk_alerts(*, now: datetime | None = None) -> PublicationRun:
    """Publishes every ended (and delayed) week of the lookback window; safe to run any time."""
    from koe.riskwatch.tasks import notify_new_risk_alerts  # tasks imports this module

    latest = latest_publishable_week(now)
    run = PublicationRun(weeks=[latest - timedelta(weeks=n) for n in range(LOOKBACK_WEEKS)])
    threshold = resolve_threshold(None)
    for week in sorted(run.weeks):
        _publish_week_signals(week, signals_in_week(week), threshold, run)
    if run.notified_organizations:
        ids = sorted(run.notified_organizations)
        transaction.on_commit(partial(notify_new_risk_alerts.enqueue, organization_ids=ids))
    return run
