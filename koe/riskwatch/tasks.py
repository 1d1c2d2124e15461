"""Background work of risk alerts: the weekly publication, and the e-mail that says one is waiting.

The e-mail says nothing of the alert (no company, week or kind): mail leaves Koe's encryption
and audit log, and a subject line shows on lock screens. It only says where to sign in.
"""

import logging
import smtplib

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from koe.accounts.models import Role, User
from koe.core.links import site_link
from koe.riskwatch.publication import publish_risk_alerts

logger = logging.getLogger(__name__)


def alerts_email(language: str) -> tuple[str, str]:
    with translation.override(language):
        url = site_link(reverse("riskwatch:list"))
        subject = gettext("A new risk alert is waiting for you in Koe")
        body = render_to_string("riskwatch/email/new_alerts.txt", {"url": url})
    return subject, body


def recipients(organization_ids: list[int]) -> list[User]:
    users = User.objects.filter(role=Role.COMPANY, is_active=True, organization_id__in=organization_ids)
    return list(users.exclude(email="").order_by("pk"))


@task()
def notify_new_risk_alerts(organization_ids: list[int]) -> int:
    """One e-mail per company user of each organisation with new alerts; returns how many were sent."""
    sent = 0
    for user in recipients(organization_ids):
        subject, body = alerts_email(user.language)
        try:
            sent += send_mail(subject, body, None, [user.email])
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("Risk alert notice to user %s failed: %s", user.pk, type(error).__name__)
    return sent


@task()
def publish_risk_alerts_task() -> dict[str, int]:
    """Daily (cron: ``manage.py publish_risk_alerts --enqueue``); idempotent."""
    run = publish_risk_alerts()
    return {
        "created": run.created,
        "late_signals": run.late_signals,
        "organizations": len(run.notified_organizations),
    }
