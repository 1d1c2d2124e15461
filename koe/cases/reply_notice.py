"""Telling a worker that the desk has replied, through the channel they chose, and nothing more.

The e-mail says only that a reply from Koe is waiting and where to read it: no case number, no
words of the reply, no employer. Mail passes through servers and inboxes outside Koe's
encryption and audit log, and its subject shows on a lock screen someone else may be looking at.

- e-mail: the e-mail below, in the language of the consultation;
- a message in Koe: nothing is sent; the worker sees "New" beside the reply when they sign in;
- phone, messaging apps, or no contact: Koe sends nothing; a consultant calls or writes to say
  a reply is waiting (the desk is reminded of this when it sends the reply).
"""

import logging
import smtplib
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koe.cases.models import Case, ContactMethod, Message, MessageAuthor
from koe.core.links import site_link

logger = logging.getLogger(__name__)

# What the consultant reads after sending a reply: how (and whether) the worker will hear of it.
DESK_HINTS: dict[str, Any] = {
    ContactMethod.EMAIL: _(
        "Message sent to the worker. They will get an e-mail saying that a reply is waiting, without its content."
    ),
    ContactMethod.KOE: _("Message sent to the worker. They will see it when they next sign in to Koe."),
    ContactMethod.PHONE: _(
        "Message sent to the worker. Koe does not tell them: call them to say that a reply is waiting."
    ),
    ContactMethod.MESSAGING: _(
        "Message sent to the worker. Koe does not tell them: write to them to say that a reply is waiting."
    ),
    ContactMethod.NONE: _(
        "Message sent to the worker. They asked not to be contacted: they will see it when they come back."
    ),
}


def desk_hint(case: Case) -> str:
    return str(DESK_HINTS.get(case.contact_method, DESK_HINTS[ContactMethod.NONE]))


def reply_notice_schedule(message: Message) -> None:
    """After the reply is committed (never for a reply rolled back), if the worker chose e-mail."""
    if message.case.contact_method == ContactMethod.EMAIL:
        transaction.on_commit(partial(_enqueue, message.pk))


def _enqueue(message_id: int) -> None:
    reply_notify_worker.enqueue(message_id=message_id)


def reading_url(case: Case) -> str:
    """Where the worker reads replies, in their language: their list of consultations when signed
    in (no identifier of this case in the mail), the receipt-code page otherwise."""
    with translation.override(case.language):
        path = reverse("consult:mine" if case.worker_id else "consult:open")
    return site_link(path)


def reply_notice_email(case: Case) -> tuple[str, str]:
    with translation.override(case.language):
        subject = gettext("You have a new reply from Koe")
        body = render_to_string(
            "cases/email/reply_notice.txt", {"url": reading_url(case), "anonymous": case.worker_id is None}
        )
    return subject, body


@task
def reply_notify_worker(message_id: int) -> int:
    """E-mails the worker that a reply is waiting; returns how many e-mails were sent (0 or 1).

    Nothing is sent if they have read the reply already, or if a newer reply will send its own
    notice (a consultant writing twice in a row sends one e-mail, not two)."""
    message = Message.objects.select_related("case").filter(pk=message_id, read_by_worker_at=None).first()
    if message is None or _newer_reply_exists(message):
        return 0
    case = message.case
    address = str(case.contact_detail or "").strip()
    if case.contact_method != ContactMethod.EMAIL or not address:
        return 0
    subject, body = reply_notice_email(case)
    try:
        return send_mail(subject, body, None, [address])
    except (OSError, smtplib.SMTPException) as error:
        # The case's id only: the error's text may hold the address.
        logger.warning("Reply notice for case %s failed: %s", case.pk, type(error).__name__)
        return 0


def _newer_reply_exists(message: Message) -> bool:
    newer = Message.objects.filter(case_id=message.case_id, author_kind=MessageAuthor.DESK, pk__gt=message.pk)
    return newer.exists()
