"""The consultation desk. Here so far: alerts raised by self-check red flags (full case
management builds on them).

An alert never holds what the worker wrote in plain text, and for a worker without an account it
holds no identity at all: only what the answers mean (severity, indicators, the red flags' codes)
and, if the worker chose to be contacted, the way they chose, encrypted.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.languages import LANGUAGES
from koe.core.fields import EncryptedTextField
from koe.surveys.indicators import Tag, tags_in


class AlertSeverity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class ContactMethod(models.TextChoices):
    NONE = "none", _("Do not contact me")
    KOE = "koe", _("A message in my Koe account")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    MESSAGING = "messaging", _("LINE, WhatsApp or Messenger")


# The ways of contact that need a number, an address or an ID from the worker.
CONTACT_NEEDS_DETAIL = frozenset({ContactMethod.PHONE, ContactMethod.EMAIL, ContactMethod.MESSAGING})


class Alert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, related_name="alert")
    severity = models.CharField(max_length=10, choices=AlertSeverity.choices)
    tags = models.BigIntegerField(default=0, help_text="Indicator bits, see koe/surveys/indicators.py.")
    red_flags = models.JSONField(default=list, help_text="Codes of the red flags raised.")
    language = models.CharField(max_length=10, choices=LANGUAGES)
    employer = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    brand_holders = models.ManyToManyField("organizations.Organization", blank=True, related_name="+")
    status = models.CharField(max_length=15, choices=AlertStatus.choices, default=AlertStatus.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # What the worker chose on the result page; nothing unless they chose it.
    contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.NONE
    )
    contact_detail = EncryptedTextField(blank=True)
    worker_message = EncryptedTextField(blank=True)
    shared_items = models.JSONField(
        default=list, help_text="Item codes whose answers the worker agreed to show."
    )
    contact_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "severity", "created_at"], name="alert_queue_idx")]

    def __str__(self) -> str:
        return f"alert {self.public_id}"

    @property
    def indicators(self) -> list[Tag]:
        """The ILO indicators and rights the red flags concern, in the tags' fixed order."""
        return tags_in(self.tags)

    @property
    def is_critical(self) -> bool:
        return self.severity == AlertSeverity.CRITICAL

    @property
    def contact_requested(self) -> bool:
        return self.contact_requested_at is not None


class Category(models.TextChoices):
    LABOUR_CONDITIONS = "labour_conditions", _("Working conditions")
    WAGES = "wages", _("Wages")
    CONTRACT = "contract", _("Contract")
    WORKING_HOURS = "working_hours", _("Working hours")
    HARASSMENT = "harassment", _("Harassment or violence")
    SAFETY_HEALTH = "safety_health", _("Safety and health, injury")
    HOUSING = "housing", _("Housing")
    RESIDENCE_STATUS = "residence_status", _("Residence status")
    RECRUITMENT_DEBT = "recruitment_debt", _("Recruitment fees or debt")
    RETAINED_DOCUMENTS = "retained_documents", _("Passport or residence card kept by someone")
    DAILY_LIFE = "daily_life", _("Daily life")
    MEDICAL_WELFARE = "medical_welfare", _("Medical care and welfare")
    TAX_SOCIAL_INSURANCE = "tax_social_insurance", _("Tax and social insurance")
    EDUCATION = "education", _("Education")
    OTHER = "other", pgettext_lazy("case category", "Other")


class CaseSeverity(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    GUIDING_SUPPORT = "guiding_support", _("Guiding support")
    EXPERT_CONSULTATION = "expert_consultation", _("Expert consultation")
    REFERRED_ADR = "referred_adr", _("Referred to ADR")
    REFERRED_PUBLIC = "referred_public", _("Referred to a public body")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class IntakeChannel(models.TextChoices):
    PORTAL = "portal", _("Koe portal")
    SELF_CHECK = "self_check", _("Self-check red flag")
    PHONE = "phone", _("Phone")
    SOCIAL_MEDIA = "social_media", _("Social media")
    WALK_IN = "walk_in", _("Walk-in")
    EMAIL = "email", _("E-mail")


class RemedyType(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    PAYMENT = "payment", _("Payment")
    REINSTATEMENT = "reinstatement", _("Reinstatement")
    CORRECTED_PRACTICE = "corrected_practice", _("Corrected practice")
    REFERRAL = "referral", _("Referral")
    NONE = "none", _("No remedy")


class Satisfaction(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Case(models.Model):
    """A consultation. What the worker wrote is encrypted; an anonymous worker comes back with
    a receipt code (a lookup half stored as is, a secret half stored only as a slow hash) and a
    PIN (slow hash), so neither can be read back from the database.

    What a company may see of a case is decided by the worker, per company, in `CaseShare`:

    - not shared (the default): nothing of this case, only the aggregates every company sees;
    - summary: ``summary_for_company``, a text a consultant writes for companies, with the
      case's categories and status; never the worker's own words (``account``, messages,
      ``employer_named``), never who the worker is;
    - full: also what the worker wrote and who they are (their Koe account and the contact they
      gave the desk).

    ``outcome`` and ``remedy_type`` are recorded by the desk when the case is resolved;
    ``satisfaction`` is the worker's own answer to "Did this solve your problem?".
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=20, unique=True, editable=False)
    # Sent with the intake form: a retried or doubled submission finds the case already opened.
    intake_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    receipt_lookup = models.CharField(max_length=6, unique=True, null=True, blank=True, editable=False)
    receipt_hash = models.CharField(max_length=200, blank=True, editable=False)
    pin_hash = models.CharField(max_length=200, blank=True, editable=False)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES)
    channel = models.CharField(_("channel"), max_length=15, choices=IntakeChannel.choices)
    categories = models.JSONField(_("categories"), default=list)
    severity = models.CharField(
        _("severity"), max_length=10, choices=CaseSeverity.choices, default=CaseSeverity.ROUTINE
    )
    indicators = models.BigIntegerField(default=0, help_text="Indicator bits, see koe/surveys/indicators.py.")
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    account = EncryptedTextField(_("what happened"))
    employer = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    employer_named = EncryptedTextField(_("employer or workplace, as the worker wrote it"), blank=True)
    supervising_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervising or support organisation"),
    )
    brand_holders = models.ManyToManyField("organizations.Organization", blank=True, related_name="+")
    contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.NONE
    )
    contact_detail = EncryptedTextField(blank=True)
    alert = models.OneToOneField(Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="case")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledge_by = models.DateTimeField()
    feedback_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True, help_text="The desk's first reply.")
    closed_at = models.DateTimeField(null=True, blank=True)
    # Written by a consultant for companies: all a company sees at the "summary" level.
    summary_for_company = EncryptedTextField(_("summary for companies"), blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    remedy_type = models.CharField(_("remedy"), max_length=20, choices=RemedyType.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.CharField(max_length=10, choices=Satisfaction.choices, blank=True)
    satisfaction_comment = EncryptedTextField(blank=True)
    satisfaction_at = models.DateTimeField(null=True, blank=True)
    # Set by the retention run (koe/cases/retention.py): the row is kept for statistics only.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["status", "severity", "created_at"], name="case_inbox_idx"),
            models.Index(fields=["assignee", "status"], name="case_assignee_idx"),
            models.Index(fields=["language", "status"], name="case_language_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """The case's history: every transition and assignment, who, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)  # "opened", "status", "assigned"
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    reason = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.to_status}".strip()


class MessageAuthor(models.TextChoices):
    WORKER = "worker", _("Worker")
    DESK = "desk", _("Desk")


class Message(models.Model):
    """Between the worker and the desk. Internal notes are a separate model, never shown to the worker."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=10, choices=MessageAuthor.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    body = EncryptedTextField()
    language = models.CharField(max_length=10, choices=LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)
    read_by_worker_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message from the {self.author_kind}"


class InternalNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"note on case {self.case_id}"


class ShareLevel(models.TextChoices):
    NONE = "none", _("Not shared")
    SUMMARY = "summary", _("Anonymised summary")
    FULL = "full", _("Full, with identity")


class CaseShare(models.Model):
    """One decision of the worker about one company seeing one case. Rows are only ever added:
    the newest row for a (case, organisation) is the present level, and the rows before it are
    the history of grants and revocations. A revocation is a row at level "none"."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=ShareLevel.choices)
    decided_at = models.DateTimeField(auto_now_add=True)
    # False when the desk recorded consent the worker gave by phone or in person.
    by_worker = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["organization", "case", "-decided_at"], name="case_share_newest_idx")]

    def __str__(self) -> str:
        return f"case {self.case_id} → organisation {self.organization_id}: {self.level}"

    @property
    def granted_at(self) -> datetime | None:
        return self.decided_at if self.level != ShareLevel.NONE else None

    @property
    def revoked_at(self) -> datetime | None:
        return self.decided_at if self.level == ShareLevel.NONE else None


class Attachment(models.Model):
    """A file sent with the intake (``message`` empty) or with a message, either way.

    Only the cleaned file is kept (images re-encoded without metadata, see attachments.py),
    encrypted, in the default storage under a random name; the row holds no name the worker
    gave: ``display_name`` is generic ("photo-1.jpg"), as a file's own name may name the worker.
    The ciphertext is bound to ``public_id``, so a file swapped between rows fails to decrypt.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(help_text="Bytes of the cleaned file, before encryption.")
    stored_name = models.CharField(max_length=200, editable=False)
    display_name = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def encryption_context(self) -> str:
        return f"{self._meta.label}:{self.public_id}"


# Guiding support, expert consultation, ADR referral --------------------------------------------


class GuidingPurpose(models.TextChoices):
    LABOUR_OFFICE = "labour_office", _("Labour standards inspection office")
    IMMIGRATION = "immigration", _("Immigration office")
    MUNICIPAL_OFFICE = "municipal_office", _("City or ward office")
    HOSPITAL = "hospital", _("Hospital or clinic")
    POLICE = "police", _("Police")
    EMPLOYER = "employer", _("Meeting with the employer")
    SUPERVISING_ORGANISATION = "supervising", _("Supervising or support organisation")
    LEGAL = "legal", _("Lawyer, court or ADR centre")
    OTHER = "other", pgettext_lazy("guiding purpose", "Other")


class GuidingSupport(models.Model):
    """Someone accompanied the worker (escort): a consultant, or a lawyer or volunteer named by
    hand. Where they went and what came of it may identify the worker, so both are encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="guiding_supports")
    date = models.DateField(_("date"))
    accompanied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accompanied_by_name = models.CharField(_("lawyer or volunteer who went"), max_length=200, blank=True)
    place = EncryptedTextField(_("where"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=GuidingPurpose.choices)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"guiding support on case {self.case_id}"


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the expert")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExpertReferral(models.Model):
    """A question about one case put to one expert. While it is not withdrawn, the expert may
    read the case's account and categories (never who the worker is or how to reach them) and
    answer; withdrawing it ends their access (PRODUCT.md rule 8)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="expert_referrals")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    question = EncryptedTextField(_("question for the expert"))
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.OPEN)
    answer = EncryptedTextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["expert", "status"], name="expert_referral_idx")]

    def __str__(self) -> str:
        return f"referral {self.public_id}"


class AdrStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_MEDIATION = "in_mediation", _("In mediation")
    SETTLED = "settled", _("Settled")
    NOT_SETTLED = "not_settled", _("Not settled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AdrReferral(models.Model):
    """A referral to out-of-court mediation at a bar association's centre: two mediators, an
    interpreter, the sessions held, and how the cost is split (by default the employer bears
    half, as the platform's scheme provides)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="adr_referrals")
    centre = models.CharField(_("ADR centre"), max_length=200)
    mediator_1 = models.CharField(_("first mediator"), max_length=200, blank=True)
    mediator_2 = models.CharField(_("second mediator"), max_length=200, blank=True)
    interpreter_name = models.CharField(_("interpreter"), max_length=200, blank=True)
    interpreter_language = models.CharField(
        _("interpreter's language"), max_length=10, choices=LANGUAGES, blank=True
    )
    sessions = models.JSONField(_("session dates"), default=list, help_text="ISO dates, oldest first.")
    employer_cost_percent = models.PositiveSmallIntegerField(
        _("employer's share of the cost (%)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status = models.CharField(max_length=15, choices=AdrStatus.choices, default=AdrStatus.REQUESTED)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer_cost_percent__lte=100), name="adr_cost_percent_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"ADR referral {self.public_id}"

    @property
    def worker_cost_percent(self) -> int:
        return 100 - self.employer_cost_percent


class CaseSearchToken(models.Model):
    """One word of a case, as a keyed hash only (koe/cases/search.py): what lets the desk search
    encrypted text without the database holding any word."""

    # No index of their own: the unique constraint's index starts with the case, and a plain index
    # on the token would also get a LIKE twin that a hash never needs.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="search_tokens", db_index=False)
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "token"], name="case_search_token_unique")]
        # Token first, then the case: a search reads the cases holding a word from the index
        # alone, without visiting the table (bench/bench_desk.py, a word in a quarter of 100,000
        # cases: p95 from about 350 ms with an index on the token alone to 43 ms).
        indexes = [models.Index(fields=["token", "case"], name="case_search_token_idx")]

    def __str__(self) -> str:
        return f"search token of case {self.case_id}"
