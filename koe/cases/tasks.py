"""Background work of the desk: telling consultants that a new alert is waiting.

The e-mail says only that an alert of some severity is in the queue, and where the queue is. No
answer, employer, language or identity goes into it: mail passes through servers and inboxes
outside Koe's encryption and audit log, and shows on lock screens.
"""

import logging
import smtplib
from dataclasses import asdict

from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from koe.accounts.models import DESK_ROLES, User
from koe.cases.models import Alert, AlertSeverity, AlertStatus
from koe.cases.retention import apply_case_retention
from koe.core.links import site_link

logger = logging.getLogger(__name__)


def desk_recipients(language: str) -> list[User]:
    """Active desk staff with an e-mail address who speak ``language``, or all of them if nobody
    does: an alert in a language nobody speaks still needs someone to find an interpreter."""
    staff = list(User.objects.filter(role__in=DESK_ROLES, is_active=True).exclude(email="").order_by("pk"))
    speakers = [user for user in staff if language in (user.spoken_languages or [])]
    return speakers or staff


def queue_url(language: str) -> str:
    """The queue's address in the recipient's language; absolute when ``KOE_SITE_URL`` is set."""
    with translation.override(language):
        path = reverse("cases:alert_queue")
    return site_link(path)


def _subject_and_body(severity: str, url: str) -> tuple[str, str]:
    # Whole sentences per severity: a translated adjective slotted into a sentence would not
    # agree with its noun in many of the desk's languages.
    if severity == AlertSeverity.CRITICAL:
        return _("New critical self-check alert"), _(
            "A new critical self-check alert is in the desk queue. Please open the queue: %(url)s"
        ) % {"url": url}
    return _("New urgent self-check alert"), _(
        "A new urgent self-check alert is in the desk queue. Please open the queue: %(url)s"
    ) % {"url": url}


@task
def alert_notify_desk(alert_id: int) -> int:
    """E-mails the desk about a new alert; returns how many messages were sent."""
    alert = Alert.objects.filter(pk=alert_id, status=AlertStatus.NEW).first()
    if alert is None:  # already acknowledged (or gone) by the time the worker ran this
        return 0
    sent = 0
    for recipient in desk_recipients(alert.language):
        with translation.override(recipient.language):
            subject, body = _subject_and_body(alert.severity, queue_url(recipient.language))
        try:
            sent += send_mail(subject, body, None, [recipient.email])
        except (OSError, smtplib.SMTPException) as error:
            # The user id only: the error's text may hold the address.
            logger.warning("Alert notification to user %s failed: %s", recipient.pk, type(error).__name__)
    return sent


@task()
def apply_retention() -> dict[str, int]:
    """Expires old receipts and anonymises closed cases past their retention period (see
    koe/cases/retention.py); safe to run twice, even at once. Cron runs it daily through
    ``manage.py apply_case_retention`` (with ``--enqueue``, on a task worker)."""
    return asdict(apply_case_retention())
