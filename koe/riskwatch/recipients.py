"""Who receives a company's risk alert: the brand holders above it, and the company itself only
when it has enough workers known to Koe that the alert cannot point at one of them.

An employer with two foreign workers that reads "a red-flag self-check in the week of 9 November"
knows who answered. Below the suppression threshold (``resolve_threshold(None)``, the same
number that hides small counts everywhere else) the employer itself is therefore not told; the
brand holders above it still are (they see a supplier among many, not its people), and with no
brand holder nobody is: the desk has the signal and acts on it.

How many workers a company has is not something Koe knows. The proxy, over the twelve months
before the end of the week being published, is the distinct worker ACCOUNTS seen at that employer:
- submitted self-check responses naming it, by a signed-in worker,
- active worker-employer links (reach: "this is my employer"),
- cases with that employer opened by a signed-in worker.
Anonymous responses and cases are never counted: they cannot be told apart, so one anonymous person
answering five times would count as five and could alone bring the employer over the threshold.
The proxy therefore understates the people Koe has heard from, which errs on the side of not
telling the employer: the company where one or two foreign workers could be the only ones to have
spoken is never told.

The same count decides whether the brand holders' alerts NAME the company. Each named alert proves
at least one signal at that company that week; added up against the brand holder's dashboard, where
small suppliers are pooled into one row, named alerts of small suppliers would pin each one's
hidden count. A company below the threshold is therefore "a company in your supply chain" to its
brand holders, merged with the week's other such companies into one alert (publication.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from koe.cases.models import Case
from koe.organizations.selectors import brand_holders_above
from koe.reach.models import WorkerEmployerLink
from koe.surveys.models import Response, ResponseStatus

KNOWN_WORKERS_WINDOW = timedelta(days=365)


def known_workers(employer_id: int, until: datetime) -> int:
    """The distinct worker accounts seen at ``employer_id`` in the twelve months before ``until`` (see above)."""
    since = until - KNOWN_WORKERS_WINDOW
    responses = Response.objects.filter(
        employer_id=employer_id,
        status=ResponseStatus.SUBMITTED,
        submitted_at__gte=since,
        submitted_at__lt=until,
    )
    cases = Case.objects.filter(employer_id=employer_id, created_at__gte=since, created_at__lt=until)
    links = WorkerEmployerLink.objects.filter(
        employer_id=employer_id, removed_at__isnull=True, created_at__lt=until, worker__isnull=False
    )
    accounts = {
        *responses.filter(worker__isnull=False).values_list("worker_id", flat=True),
        *cases.filter(worker__isnull=False).values_list("worker_id", flat=True),
        *links.values_list("worker_id", flat=True),
    }
    return len(accounts)


@dataclass(frozen=True)
class Addressees:
    recipients: list[int]
    named: bool  # whether the alerts may name the company (it then receives its own alert too)


def alert_addressees(subject_id: int, until: datetime, threshold: int) -> Addressees:
    """Who receives the alert about ``subject_id`` (possibly nobody), and whether it is named."""
    above = set(brand_holders_above(subject_id).exclude(Q(pk=subject_id)).values_list("pk", flat=True))
    named = known_workers(subject_id, until) >= threshold
    if named:
        above.add(subject_id)
    return Addressees(recipients=sorted(above), named=named)
