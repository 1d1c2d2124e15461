"""Every write at the desk goes through here.

An alert is raised inside the worker's submission transaction, so the two are saved together or
not at all (PRODUCT.md rule 9); consultants are told only once that transaction has committed.
"""

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from koe.accounts.models import DESK_ROLES
from koe.audit.services import audit_record
from koe.cases.models import CONTACT_NEEDS_DETAIL, Alert, AlertStatus, ContactMethod
from koe.cases.tasks import alert_notify_desk
from koe.organizations.selectors import brand_holders_above
from koe.surveys.indicators import mask_of
from koe.surveys.models import Response
from koe.surveys.scoring import SEVERITY_ORDER, RedFlag

MAX_CONTACT_DETAIL_LENGTH = 200
MAX_WORKER_MESSAGE_LENGTH = 4000
# The ways that need a phone number, address or handle to reach the worker.


class ContactRequestRefused(ValueError):
    """The worker's contact choice cannot be recorded as given; the message says why (English,
    for logs and tests: the result page's form shows the worker their own translated errors)."""


@transaction.atomic
def alert_raise_for_response(*, response: Response, red_flags: Sequence[RedFlag]) -> Alert:
    """The desk alert for a red-flag response: one per response, however often this is called."""
    if not red_flags:
        raise ValueError("An alert needs at least one red flag.")
    alert, created = Alert.objects.get_or_create(
        response=response,
        defaults={
            "severity": max((flag.severity for flag in red_flags), key=SEVERITY_ORDER.__getitem__),
            "tags": _tags_of(red_flags),
            "red_flags": [flag.code for flag in red_flags],
            "language": response.language,
            "employer": response.employer,
        },
    )
    if not created:
        return alert
    if response.employer_id is not None:
        alert.brand_holders.set(brand_holders_above(response.employer_id))
    # Severity only: which answers raised the flags is for the desk, not for the log's readers.
    audit_record(actor=None, action="alert.raise", target=alert, detail={"severity": alert.severity})
    transaction.on_commit(partial(_enqueue_notification, alert.pk))
    return alert


def _tags_of(red_flags: Iterable[RedFlag]) -> int:
    mask = 0
    for flag in red_flags:
        mask |= mask_of(flag.tags)
    return mask


def _enqueue_notification(alert_id: int) -> None:
    alert_notify_desk.enqueue(alert_id=alert_id)


@transaction.atomic
def alert_request_contact(
    *, alert: Alert, method: str, detail: str = "", message: str = "", shared_items: Iterable[str] = ()
) -> Alert:
    """Records how (and whether) the worker wants the desk to contact them, and which of their
    answers they agree to show. Asked again, the newest choice replaces the previous one."""
    alert = Alert.objects.select_for_update().select_related("response").get(pk=alert.pk)
    method, detail, message = _checked_contact(alert.response, method, detail.strip(), message.strip())
    alert.shared_items = _checked_items(alert.response, shared_items)
    alert.contact_method, alert.contact_detail, alert.worker_message = method, detail, message
    alert.contact_requested_at = timezone.now()
    alert.save(
        update_fields=[
            "contact_method", "contact_detail", "worker_message", "shared_items", "contact_requested_at"
        ]
    )  # fmt: skip
    # The actor is not the worker's account: the log's readers must not learn who raised which
    # alert. The alert itself keeps what the desk needs.
    audit_record(
        actor=None,
        action="alert.contact_request",
        target=alert,
        detail={"method": method, "shared_items": len(alert.shared_items)},
    )
    return alert


def _checked_contact(response: Response, method: str, detail: str, message: str) -> tuple[str, str, str]:
    if method not in ContactMethod.values:
        raise ContactRequestRefused(f"Unknown contact method {method!r}.")
    if method == ContactMethod.KOE and response.worker_id is None:
        raise ContactRequestRefused("A worker without an account cannot be messaged in Koe.")
    if method in CONTACT_NEEDS_DETAIL and not detail:
        raise ContactRequestRefused("This contact method needs a phone number, address or handle.")
    if len(detail) > MAX_CONTACT_DETAIL_LENGTH or len(message) > MAX_WORKER_MESSAGE_LENGTH:
        raise ContactRequestRefused("The contact detail or the message is too long.")
    if method not in CONTACT_NEEDS_DETAIL:
        detail = ""  # never keep a phone number the worker did not ask to be called on
    return method, detail, message


def _checked_items(response: Response, shared_items: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(shared_items))  # without repeats, in the worker's order
    answered = set(response.answers.values_list("item", flat=True))
    unknown = [code for code in wanted if code not in answered]
    if unknown:
        raise ContactRequestRefused(f"Not answered in this response: {', '.join(unknown)}.")
    return wanted


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor: Any) -> Alert:
    """A consultant takes note of a new alert; acknowledging it again changes nothing."""
    if getattr(actor, "role", None) not in DESK_ROLES or not actor.is_active:
        raise PermissionDenied
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.NEW:
        return alert
    alert.status, alert.acknowledged_at, alert.acknowledged_by = (
        AlertStatus.ACKNOWLEDGED,
        timezone.now(),
        actor,
    )
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, action="alert.acknowledge", target=alert)
    return alert
