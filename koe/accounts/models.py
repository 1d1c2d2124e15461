from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.languages import LANGUAGES
from koe.core.fields import EncryptedTextField


class Role(models.TextChoices):
    WORKER = "worker", _("Worker")
    CONSULTANT = "consultant", _("Consultant")
    SUPERVISOR = "supervisor", _("Supervisor")
    EXPERT = "expert", _("Expert")
    COMPANY = "company", _("Company user")
    AUDITOR = "auditor", _("Auditor")
    OPERATOR = "operator", _("Operator admin")


# Everyone but workers handles other people's data, so they must use two-factor authentication.
TWO_FACTOR_ROLES = frozenset(
    {Role.CONSULTANT, Role.SUPERVISOR, Role.EXPERT, Role.COMPANY, Role.AUDITOR, Role.OPERATOR}
)
DESK_ROLES = frozenset({Role.CONSULTANT, Role.SUPERVISOR})


class ExpertKind(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    DOCTOR = "doctor", _("Doctor")
    SR_ATTORNEY = "sr_attorney", _("Labour and social security attorney")
    ADR_COORDINATOR = "adr", _("ADR coordinator")
    OTHER = "other", _("Other expert")


class Nationality(models.TextChoices):
    """The most common nationalities of foreign workers in Japan, and "other"."""

    VIETNAM = "vn", _("Vietnam")
    CHINA = "cn", _("China")
    PHILIPPINES = "ph", _("Philippines")
    NEPAL = "np", _("Nepal")
    INDONESIA = "id", _("Indonesia")
    MYANMAR = "mm", _("Myanmar")
    THAILAND = "th", _("Thailand")
    CAMBODIA = "kh", _("Cambodia")
    MONGOLIA = "mn", _("Mongolia")
    SRI_LANKA = "lk", _("Sri Lanka")
    BANGLADESH = "bd", _("Bangladesh")
    BRAZIL = "br", _("Brazil")
    PERU = "pe", _("Peru")
    OTHER = "other", pgettext_lazy("nationality", "Other")


class ResidenceStatus(models.TextChoices):
    """Grouped as the self-check and the reports need them, not every status of the Immigration Act."""

    TECHNICAL_INTERN = "titp", _("Technical intern trainee")
    SKILL_DEVELOPMENT = "esd", _("Employment for skill development (from April 2027)")
    SPECIFIED_SKILLED_1 = "ssw1", _("Specified skilled worker (i)")
    SPECIFIED_SKILLED_2 = "ssw2", _("Specified skilled worker (ii)")
    PROFESSIONAL = "professional", _("Engineer, specialist or other professional status")
    STUDENT = "student", _("Student")
    STATUS_BASED = "status_based", _("Permanent resident, spouse or long-term resident")
    DESIGNATED = "designated", _("Designated activities")
    OTHER = "other", pgettext_lazy("residence status", "Other")


class User(AbstractUser):
    """Anyone who signs in. Workers are pseudonymous: a chosen user name and nothing else required.

    ``first_name``, ``last_name`` and ``email`` from Django's base model are never filled for
    workers; a worker's optional contact details live encrypted in ``WorkerProfile``.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.WORKER)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="ja")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Company users belong to exactly one organisation."),
    )
    is_company_admin = models.BooleanField(_("company admin"), default=False)
    expert_kind = models.CharField(_("kind of expert"), max_length=20, choices=ExpertKind.choices, blank=True)
    spoken_languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        help_text=_("For desk staff: the languages they can consult in."),
    )

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="company") | models.Q(organization__isnull=False),
                name="company_user_has_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(role="company") | models.Q(is_company_admin=False),
                name="only_company_users_are_company_admins",
            ),
        ]

    @property
    def needs_two_factor(self) -> bool:
        return self.role in TWO_FACTOR_ROLES

    @property
    def is_worker(self) -> bool:
        return self.role == Role.WORKER


class WorkerProfile(models.Model):
    """What a worker chose to tell Koe about themselves. Contact details are optional and encrypted."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="worker_profile")
    recovery_email = EncryptedTextField(_("e-mail for recovery"), blank=True)
    recovery_email_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    recovery_phone = EncryptedTextField(_("phone for recovery"), blank=True)
    # Wider than a country code so that "other" fits.
    nationality = models.CharField(_("nationality"), max_length=8, choices=Nationality.choices, blank=True)
    residence_status = models.CharField(
        _("residence status"), max_length=20, choices=ResidenceStatus.choices, blank=True
    )
    arrival_date = models.DateField(_("date you arrived in Japan"), null=True, blank=True)
    employer = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )
    # When the next self-check round is offered; kept up to date by koe.surveys.rounds so that
    # the reminder task finds who is due with one indexed range scan among millions of workers.
    selfcheck_due_on = models.DateField(null=True, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"worker profile {self.pk}"


class PrivacyConsent(models.Model):
    """A worker's acceptance of one version of the privacy policy, kept as evidence (APPI)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="privacy_consents")
    policy_version = models.CharField(max_length=20)
    language = models.CharField(max_length=10, choices=LANGUAGES)
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"consent to policy {self.policy_version}"
