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

Each week is published once (``PublishedWeek``) and never edited afterwards. A signal that turns
up after its week was published (a case raised to critical later, an employer identified later)
is not added to that old week: an alert whose count or kinds changed on the day the desk
escalated would tell the company when the desk learned something, and so about whom. It is
folded into the next week published for that employer instead (``PublishedSignal`` records
which signals a published week counted, so none counts twice). A signal that turns up more than
``LOOKBACK_WEEKS`` weeks after its own week stays with the desk.

Who receives an alert (the employer itself only when enough of its workers are known to Koe;
the brand holders above it) is decided in ``koe/riskwatch/recipients.py``, and so is whether
the alert names it. An alert about a company too small to be named is unnamed ("a company in your
supply chain"), and a brand holder gets ONE unnamed alert a week, whatever the number of such
companies with signals: kinds and indicators united, the signals counted together (shown only
at the threshold). Counting unnamed alerts therefore tells nothing of how many small companies
had signals, and nothing pins a small supplier's hidden count on the pooled dashboard row.

The job is idempotent and safe to run twice at once: it publishes the weeks of the last
``LOOKBACK_WEEKS`` that are not published yet, oldest first, and claims each week by creating
its ``PublishedWeek`` row before anything else (a second run waits on that row, then skips).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from koe.cases.models import Alert, Case, CaseSeverity
from koe.reports.suppression import resolve_threshold
from koe.riskwatch.models import OrgRiskAlert, PublishedSignal, PublishedWeek, SignalSource
from koe.riskwatch.recipients import alert_addressees

LOOKBACK_WEEKS = 8


def delay() -> timedelta:
    return timedelta(days=int(settings.KOE_RISK_ALERT_DELAY_DAYS))


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

    def merge(self, other: "Signals") -> None:
        self.self_check_red_flag |= other.self_check_red_flag
        self.critical_case |= other.critical_case
        self.indicators |= other.indicators
        self.count += other.count


def _unpublished_alerts(since: datetime, until: datetime) -> QuerySet[Alert]:
    published = PublishedSignal.objects.filter(source=SignalSource.ALERT).values("source_id")
    alerts = Alert.objects.filter(created_at__gte=since, created_at__lt=until, employer__isnull=False)
    return alerts.exclude(pk__in=published)


def _unpublished_cases(since: datetime, until: datetime) -> QuerySet[Case]:
    published = PublishedSignal.objects.filter(source=SignalSource.CASE).values("source_id")
    cases = Case.objects.filter(
        created_at__gte=since, created_at__lt=until, severity=CaseSeverity.CRITICAL, employer__isnull=False
    )
    return cases.exclude(pk__in=published)


@dataclass
class Batch:
    """The signals one week's publication counts, per employer, and which they were."""

    found: dict[int, Signals] = field(default_factory=dict)
    alert_ids: set[int] = field(default_factory=set)
    case_ids: set[int] = field(default_factory=set)
    late: int = 0


def signals_for_week(week: date, since: datetime) -> Batch:
    """Per employer: the red-flag self-checks and critical cases created in the week, and those
    created since ``since`` but not counted by an earlier published week (late signals).

    A case opened from a self-check alert of the same batch is one signal, not two.
    """
    start, end = week_bounds(week)
    batch = Batch()
    for pk, employer_id, tags, created in _unpublished_alerts(since, end).values_list(
        "pk", "employer_id", "tags", "created_at"
    ):
        signals = batch.found.setdefault(employer_id, Signals())
        signals.self_check_red_flag, signals.indicators = True, signals.indicators | tags
        signals.count += 1
        batch.alert_ids.add(pk)
        batch.late += created < start
    for pk, employer_id, indicators, alert_id, created in _unpublished_cases(since, end).values_list(
        "pk", "employer_id", "indicators", "alert_id", "created_at"
    ):
        signals = batch.found.setdefault(employer_id, Signals())
        signals.critical_case, signals.indicators = True, signals.indicators | indicators
        signals.count += alert_id not in batch.alert_ids
        batch.case_ids.add(pk)
        batch.late += created < start
    return batch


@dataclass
class PublicationRun:
    weeks: list[date] = field(default_factory=list)
    published_weeks: list[date] = field(default_factory=list)
    created: int = 0
    late_signals: int = 0  # signals of earlier weeks folded into a week published now
    notified_organizations: set[int] = field(default_factory=set)


def publish_alert(
    recipient_id: int, subject_id: int | None, week: date, signals: Signals, threshold: int
) -> bool:
    """One recipient's alert about ``subject_id`` (``None``: the week's unnamed alert)."""
    # Below the threshold the page says "one or more": the number itself is never kept.
    count = signals.count if signals.count >= threshold else None
    _alert, created = OrgRiskAlert.objects.get_or_create(
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
    return created


def _publish_week(week: date, since: datetime, threshold: int, run: PublicationRun) -> None:
    batch = signals_for_week(week, since)
    _start, end = week_bounds(week)
    unnamed: dict[int, Signals] = {}  # per brand holder: the small companies' signals, merged
    for subject_id, signals in batch.found.items():
        addressees = alert_addressees(subject_id, end, threshold)
        for recipient_id in addressees.recipients:
            if not addressees.named:
                unnamed.setdefault(recipient_id, Signals()).merge(signals)
            elif publish_alert(recipient_id, subject_id, week, signals, threshold):
                run.created += 1
                run.notified_organizations.add(recipient_id)
    for recipient_id, merged in unnamed.items():
        if publish_alert(recipient_id, None, week, merged, threshold):
            run.created += 1
            run.notified_organizations.add(recipient_id)
    # Counted, whoever received them (possibly nobody: the desk has every signal anyway).
    PublishedSignal.objects.bulk_create(
        [PublishedSignal(source=SignalSource.ALERT, source_id=pk, week_start=week) for pk in batch.alert_ids]
        + [PublishedSignal(source=SignalSource.CASE, source_id=pk, week_start=week) for pk in batch.case_ids]
    )
    run.late_signals += batch.late
    run.published_weeks.append(week)


@transaction.atomic
def publish_risk_alerts(*, now: datetime | None = None) -> PublicationRun:
    """Publishes every ended (and delayed) week of the lookback window not published yet."""
    from koe.riskwatch.tasks import notify_new_risk_alerts  # tasks imports this module

    latest = latest_publishable_week(now)
    run = PublicationRun(weeks=sorted(latest - timedelta(weeks=n) for n in range(LOOKBACK_WEEKS)))
    since, _end = week_bounds(run.weeks[0])
    threshold = resolve_threshold(None)
    for week in run.weeks:
        _marker, claimed = PublishedWeek.objects.get_or_create(week_start=week)
        if claimed:
            _publish_week(week, since, threshold, run)
    if run.notified_organizations:
        ids = sorted(run.notified_organizations)
        transaction.on_commit(partial(notify_new_risk_alerts.enqueue, organization_ids=ids))
    return run
