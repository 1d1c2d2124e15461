"""The operator's price list (programmes) and the companies' contracts (subscriptions).

A subscription copies the programme's prices and inclusions when it is signed: the operator may
change the price list at any time, and a running contract keeps the terms it was signed on
(``price_terms``, ``fee_breakdown`` and the ``included_*`` fields). A new price applies to
contracts signed after the change.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    SC_BASIC = "sc_basic", _("Supply-chain management, basic")
    SC_EXPANSION = "sc_expansion", _("Supply-chain management, expansion")
    STANDALONE = "standalone", _("Stand-alone")


# The programmes under which a subscriber pays for supply-chain companies it covers.
SUPPLY_CHAIN_KINDS = frozenset({ProgrammeKind.SC_BASIC, ProgrammeKind.SC_EXPANSION})


class InclusionKind(models.TextChoices):
    TRAINING = "training", _("Training sessions")
    ADVISOR = "advisor", _("Advisor consultation hours")
    LAWYER = "lawyer", _("Lawyer hours")


class Programme(models.Model):
    """One line of the price list; the three kinds are seeded by a data migration."""

    kind = models.CharField(_("programme"), max_length=20, choices=ProgrammeKind.choices, unique=True)
    base_fee = models.PositiveIntegerField(_("base fee per month (yen)"))
    per_company_fee = models.PositiveIntegerField(
        _("fee per covered supply-chain company per month (yen)"), default=0
    )
    small_company_fee = models.PositiveIntegerField(
        _("fee per month for a small company (yen)"),
        null=True,
        blank=True,
        help_text=_("Leave empty if this programme has no small-company price."),
    )
    small_company_max_employees = models.PositiveIntegerField(
        _("small company: at most this many employees"), null=True, blank=True
    )
    training_sessions_per_year = models.PositiveSmallIntegerField(_("training sessions per year"), default=0)
    advisor_hours_per_month = models.DecimalField(
        _("advisor consultation hours per month"),
        max_digits=6,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    lawyer_hours_per_year = models.DecimalField(
        _("lawyer hours per year"),
        max_digits=6,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    is_offered = models.BooleanField(_("offered to new subscribers"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["base_fee", "kind"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        if (self.small_company_fee is None) != (self.small_company_max_employees is None):
            raise ValidationError(
                _("Give both the small-company fee and the number of employees it applies up to, or neither.")
            )

    @property
    def covers_supply_chain(self) -> bool:
        return self.kind in SUPPLY_CHAIN_KINDS


class Subscription(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="subscriptions",
        verbose_name=_("subscriber"),
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="subscriptions")
    starts_on = models.DateField(_("contract starts on"))
    ends_on = models.DateField(_("contract ends on"))
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    covered_companies = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="covered_by_subscriptions",
        verbose_name=_("covered supply-chain companies"),
    )
    # Snapshots taken when the contract is signed (see the module docstring).
    price_terms = models.JSONField(default=dict, editable=False)
    monthly_fee = models.PositiveIntegerField(_("monthly fee (yen)"), editable=False)
    fee_breakdown = models.JSONField(default=list, editable=False)
    included_training_sessions_per_year = models.PositiveSmallIntegerField(editable=False, default=0)
    included_advisor_hours_per_month = models.DecimalField(
        max_digits=6, decimal_places=1, editable=False, default=Decimal(0)
    )
    included_lawyer_hours_per_year = models.DecimalField(
        max_digits=6, decimal_places=1, editable=False, default=Decimal(0)
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="subscription_period_order"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "starts_on", "ends_on"], name="subscription_period_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.programme} · {self.starts_on} to {self.ends_on}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class InclusionUsage(models.Model):
    """Something the programme includes, used: a training session held, hours of advice given.

    Recorded by the operator; ``note`` is the operator's own words (a topic, a session's title),
    never a worker's data.
    """

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="usages")
    kind = models.CharField(_("what was used"), max_length=10, choices=InclusionKind.choices)
    quantity = models.DecimalField(
        _("sessions or hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    used_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-used_on", "-pk"]
        verbose_name = _("use of an included service")
        verbose_name_plural = _("uses of included services")
        indexes = [models.Index(fields=["subscription", "kind", "used_on"], name="usage_period_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} ({self.used_on})"
