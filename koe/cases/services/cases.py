"""Opening cases (portal, consultant, self-check alert), their workflow, and the messages."""

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from koe.accounts.models import DESK_ROLES
from koe.audit.services import audit_record
from koe.cases.attachments import CleanFile, display_name
from koe.cases.models import (
    Alert,
    Attachment,
    Case,
    CaseEvent,
    CaseSeverity,
    CaseStatus,
    ContactMethod,
    IntakeChannel,
    InternalNote,
    Message,
    MessageAuthor,
)
from koe.cases.reply_notice import reply_notice_schedule
from koe.cases.routing import speaks
from koe.cases.search import index_case, index_text
from koe.cases.workflow import OPEN_STATUSES, acknowledge_deadline, allowed_next, feedback_deadline
from koe.core import crypto
from koe.core.codes import ascii_digits, grouped, random_digits
from koe.organizations.selectors import brand_holders_above

RECEIPT_HALF = 6
REISSUE_WINDOW_SECONDS = 600  # a retry after a lost connection comes within minutes
ATTACHMENT_FOLDER = "koe-attachments"


class InvalidTransition(ValueError):
    """This status cannot follow the case's present one, or no reason was given."""


@dataclass(frozen=True)
class Receipt:
    """What an anonymous worker takes away: shown once, stored only as hashes."""

    case: Case
    code: str  # 12 digits

    @property
    def grouped(self) -> str:
        return grouped(self.code)


def _issue_receipt(case: Case) -> str:
    """A new receipt code for the case: its first half finds the case, the whole is checked
    against a slow hash. Retries on the (rare) clash of first halves."""
    for _attempt in range(20):
        lookup, secret = random_digits(RECEIPT_HALF), random_digits(RECEIPT_HALF)
        if not Case.objects.filter(receipt_lookup=lookup).exclude(pk=case.pk).exists():
            case.receipt_lookup, case.receipt_hash = lookup, make_password(lookup + secret)
            return lookup + secret
    raise RuntimeError("Could not find a free receipt code.")


def _brand_holders_of(employer: Any) -> list[Any]:
    return list(brand_holders_above(employer)) if employer is not None else []


def case_open(
    *,
    language: str,
    account: str,
    channel: str = IntakeChannel.PORTAL,
    categories: list[str] | None = None,
    worker: Any = None,
    employer: Any = None,
    employer_named: str = "",
    contact_method: str = ContactMethod.NONE,
    contact_detail: str = "",
    pin: str = "",
    intake_key: uuid.UUID | None = None,
    logged_by: Any = None,
    severity: str = CaseSeverity.ROUTINE,
    may_reissue: bool = True,
) -> Receipt | Case:
    """Open a case. From the portal without an account, returns a `Receipt` (code shown once).

    Idempotent on `intake_key` (one per intake form): a doubled or retried send finds the case
    opened the first time; a worker without an account gets a fresh receipt code for it, as the
    first may never have reached them (only within the hour, and before anything else happened).
    """
    if intake_key is not None:
        existing = _already_opened(intake_key, worker, may_reissue)
        if existing is _SOMEONE_ELSES:
            intake_key = None  # a form sent again by another person (a shared phone): a new case
        elif existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _create_case(
                language=language, account=account, channel=channel, categories=categories or [],
                worker=worker, employer=employer, employer_named=employer_named,
                contact_method=contact_method, contact_detail=contact_detail, pin=pin,
                intake_key=intake_key, logged_by=logged_by, severity=severity,
            )  # fmt: skip
    except IntegrityError:
        # The same form sent twice at once: the other request opened it.
        existing = _already_opened(intake_key, worker, may_reissue) if intake_key is not None else None
        if existing is None or existing is _SOMEONE_ELSES:
            raise
        return existing


def _create_case(*, pin: str, worker: Any, employer: Any, logged_by: Any, **fields: Any) -> Receipt | Case:
    now = timezone.now()
    case = Case(
        worker=worker, employer=employer, logged_by=logged_by, number=_next_number(now),
        acknowledge_by=acknowledge_deadline(now, fields["severity"]), feedback_by=feedback_deadline(now), **fields,
    )  # fmt: skip
    code = None
    if worker is None and logged_by is None:
        code = _issue_receipt(case)
        case.pin_hash = make_password(pin)
    case.save()
    case.brand_holders.set(_brand_holders_of(employer))
    index_case(case)
    CaseEvent.objects.create(case=case, kind="opened", to_status=CaseStatus.NEW, actor=logged_by)
    audit_record(actor=logged_by, action="case.open", target=case, detail={"channel": case.channel})
    return Receipt(case, code) if code else case


def _next_number(now: Any) -> str:
    """K-2026-3F9A2C: the year and a random part, so numbers reveal nothing about volumes."""
    return f"K-{now:%Y}-{secrets.token_hex(3).upper()}"


_SOMEONE_ELSES: Any = object()


def _already_opened(intake_key: uuid.UUID, worker: Any, may_reissue: bool = True) -> Any:
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(intake_key=intake_key).first()
        if case is None:
            return None
        if case.worker_id != getattr(worker, "pk", None):
            return _SOMEONE_ELSES  # never hand one person's case, or a new code for it, to another
        if case.worker_id is not None or case.logged_by_id is not None:
            return case
        if not may_reissue:
            # The form came back from a browser that was not shown it: never a new code for
            # someone else's case (a replayed form on a shared phone, say).
            return _SOMEONE_ELSES
        recent = (timezone.now() - case.created_at).total_seconds() < REISSUE_WINDOW_SECONDS
        if not recent or case.messages.exists():
            return case
        code = _issue_receipt(case)
        case.save(update_fields=["receipt_lookup", "receipt_hash"])
        return Receipt(case, code)


def case_find_by_receipt(code: str, pin: str) -> Case | None:
    """The case this receipt code and PIN open, or None. Both are checked against slow hashes
    even when the lookup half matches nothing, so timing does not say which half was wrong."""
    digits = ascii_digits(code)
    case = Case.objects.filter(receipt_lookup=digits[:RECEIPT_HALF]).first() if len(digits) == 12 else None
    code_ok = check_password(digits, case.receipt_hash if case else make_password(None))
    pin_ok = check_password(pin, case.pin_hash if case else make_password(None))
    return case if case is not None and code_ok and pin_ok else None


@transaction.atomic
def case_open_from_alert(*, alert: Alert, actor: Any) -> Case:
    """The desk turns a self-check alert into a case, with only what the worker agreed to share."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    existing = Case.objects.filter(alert=alert).first()
    if existing is not None:
        return existing
    now = timezone.now()
    severity = CaseSeverity.CRITICAL if alert.severity == "critical" else CaseSeverity.URGENT
    case = Case.objects.create(
        number=_next_number(now), language=alert.language, channel=IntakeChannel.SELF_CHECK,
        severity=severity, indicators=alert.tags, account=alert.worker_message, employer=alert.employer,
        contact_method=alert.contact_method, contact_detail=alert.contact_detail, alert=alert,
        # The account only if the worker chose to be contacted through it: the result page
        # promises that the desk does not know who they are otherwise.
        worker=alert.response.worker if alert.contact_method == ContactMethod.KOE else None, logged_by=actor,
        acknowledge_by=acknowledge_deadline(alert.created_at, severity), feedback_by=feedback_deadline(now),
    )  # fmt: skip
    case.brand_holders.set(alert.brand_holders.all())
    index_case(case)
    CaseEvent.objects.create(case=case, kind="opened", to_status=CaseStatus.NEW, actor=actor)
    audit_record(
        actor=actor, action="case.open_from_alert", target=case, detail={"alert": str(alert.public_id)}
    )
    return case


@transaction.atomic
def case_transition(*, case: Case, to_status: str, actor: Any, reason: str) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_status not in allowed_next(case.status):
        raise InvalidTransition(f"{case.status} cannot become {to_status}.")
    if case.anonymised_at is not None:
        raise InvalidTransition("An anonymised case is kept for statistics only and cannot reopen.")
    if not reason.strip():
        raise InvalidTransition("Say why.")
    now = timezone.now()
    CaseEvent.objects.create(
        case=case,
        kind="status",
        from_status=case.status,
        to_status=to_status,
        actor=actor,
        reason=reason.strip(),
    )
    case.status = to_status
    if to_status == CaseStatus.ACKNOWLEDGED and case.acknowledged_at is None:
        case.acknowledged_at = now
    case.closed_at = now if to_status == CaseStatus.CLOSED else None
    case.save(update_fields=["status", "acknowledged_at", "closed_at"])
    audit_record(actor=actor, action="case.transition", target=case, detail={"to": to_status})
    return case


@transaction.atomic
def case_assign(*, case: Case, assignee: Any, actor: Any, reason: str = "") -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.assignee = assignee
    case.save(update_fields=["assignee"])
    CaseEvent.objects.create(case=case, kind="assigned", actor=actor, reason=reason)
    audit_record(
        actor=actor, action="case.assign", target=case, detail={"assignee": getattr(assignee, "pk", None)}
    )
    return case


@transaction.atomic
def worker_message_post(*, case: Case, body: str) -> Message:
    message = Message.objects.create(
        case=case, author_kind=MessageAuthor.WORKER, body=body.strip(), language=case.language
    )
    index_text(case, message.body, message.language)
    return message


@transaction.atomic
def desk_message_post(*, case: Case, body: str, actor: Any, language: str = "") -> Message:
    message = Message.objects.create(
        case=case,
        author_kind=MessageAuthor.DESK,
        author=actor,
        body=body.strip(),
        language=language or case.language,
    )
    if case.feedback_at is None:
        Case.objects.filter(pk=case.pk).update(feedback_at=message.created_at)
    audit_record(actor=actor, action="case.message", target=case)
    index_text(case, message.body, message.language)
    reply_notice_schedule(message)
    return message


@transaction.atomic
def internal_note_add(*, case: Case, actor: Any, body: str) -> InternalNote:
    note = InternalNote.objects.create(case=case, author=actor, body=body.strip())
    index_text(case, note.body, case.language)
    audit_record(actor=actor, action="case.note", target=case)
    return note


def desk_messages_mark_read(*, case: Case) -> int:
    """The worker has seen the desk's replies on their case page; returns how many were new."""
    unread = Message.objects.filter(case=case, author_kind=MessageAuthor.DESK, read_by_worker_at=None)
    return unread.update(read_by_worker_at=timezone.now())


# Attachments ------------------------------------------------------------------------------------


def attachment_add(
    *, case: Case, upload: CleanFile, number: int, message: Message | None = None
) -> Attachment:
    """Store a cleaned file (see attachments.py), encrypted, under a random name. Files are not
    transactional: a rolled-back request leaves an unreadable orphan in the storage, never a row
    without its file."""
    attachment = Attachment(
        case=case, message=message, content_type=upload.content_type, size=len(upload.data),
        display_name=display_name(upload, number),
    )  # fmt: skip
    sealed = crypto.encrypt_bytes(upload.data, attachment.encryption_context)
    name = f"{ATTACHMENT_FOLDER}/{secrets.token_hex(20)}"
    attachment.stored_name = default_storage.save(name, ContentFile(sealed.encode("ascii")))
    attachment.save()
    return attachment


def attachments_add(
    *, case: Case, files: list[CleanFile], message: Message | None = None
) -> list[Attachment]:
    return [
        attachment_add(case=case, upload=upload, number=number, message=message)
        for number, upload in enumerate(files, start=1)
    ]


@transaction.atomic
def intake_attachments_add(*, case: Case, files: list[CleanFile]) -> list[Attachment]:
    """The files sent with the intake form. A retried or doubled form finds its case already
    opened (``case_open``), and its files already stored: they are not stored twice."""
    if not files:
        return []
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if Attachment.objects.filter(case=case, message=None).exists():
        return []
    return attachments_add(case=case, files=files)


@transaction.atomic
def worker_reply_send(*, case: Case, body: str, files: list[CleanFile]) -> Message:
    message = worker_message_post(case=case, body=body)
    attachments_add(case=case, files=files, message=message)
    return message


@transaction.atomic
def desk_reply_send(*, case: Case, body: str, actor: Any, files: list[CleanFile]) -> Message:
    message = desk_message_post(case=case, body=body, actor=actor)
    attachments_add(case=case, files=files, message=message)
    return message


def attachment_read(attachment: Attachment) -> bytes:
    """The file's bytes, decrypted. Raises ``DecryptionError`` if they were altered or swapped."""
    with default_storage.open(attachment.stored_name, "rb") as stored:
        sealed = stored.read().decode("ascii")
    return crypto.decrypt_bytes(sealed, attachment.encryption_context)


# Handover ---------------------------------------------------------------------------------------


class HandoverRefused(ValueError):
    """The cases cannot go to this person (not active desk staff, or the same person)."""


@dataclass(frozen=True)
class Handover:
    handed_over: int  # now held by the new consultant
    unassigned: int  # in languages the new consultant does not speak: back in the queue


@transaction.atomic
def cases_hand_over(
    *, from_user: Any, to_user: Any, actor: Any, reason: str, only_spoken: bool = False
) -> Handover:
    """Every open case of ``from_user`` (who is leaving, or overloaded) goes to ``to_user``; with
    ``only_spoken``, only those in a language ``to_user`` speaks, the others back to nobody, so
    that they reach the queues of those who speak them. One event per case, one audit entry."""
    if not (to_user.is_active and to_user.role in DESK_ROLES) or to_user.pk == from_user.pk:
        raise HandoverRefused("Cases go to someone else who is active at the desk.")
    held = list(
        Case.objects.select_for_update()
        .filter(assignee=from_user, status__in=OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", "language")
    )
    keep = [pk for pk, language in held if not only_spoken or speaks(to_user, language)]
    release = [pk for pk, language in held if pk not in keep]
    Case.objects.filter(pk__in=keep).update(assignee=to_user)
    Case.objects.filter(pk__in=release).update(assignee=None)
    CaseEvent.objects.bulk_create(
        [CaseEvent(case_id=pk, kind="assigned", actor=actor, reason=reason.strip()) for pk, _lang in held]
    )
    audit_record(
        actor=actor, action="case.hand_over", target=from_user,
        detail={"from": from_user.pk, "to": to_user.pk, "handed_over": keep, "unassigned": release},
    )  # fmt: skip
    return Handover(handed_over=len(keep), unassigned=len(release))


@transaction.atomic
def case_triage(
    *,
    case: Case,
    actor: Any,
    categories: list[str],
    severity: str,
    indicators: int,
    employer: Any,
    supervising_organization: Any,
) -> Case:
    """The desk's assessment: what the case is about, how serious, which ILO indicators, which
    organisations. A more serious severity can only bring the acknowledgement date forward."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.categories, case.severity, case.indicators = categories, severity, indicators
    case.acknowledge_by = min(case.acknowledge_by, acknowledge_deadline(case.created_at, severity))
    employer_changed = case.employer_id != getattr(employer, "pk", None)
    case.employer, case.supervising_organization = employer, supervising_organization
    case.save(
        update_fields=[
            "categories",
            "severity",
            "indicators",
            "acknowledge_by",
            "employer",
            "supervising_organization",
        ]
    )
    if employer_changed:
        case.brand_holders.set(_brand_holders_of(employer))
    CaseEvent.objects.create(case=case, kind="triage", actor=actor)
    audit_record(actor=actor, action="case.triage", target=case, detail={"severity": severity})
    return case
