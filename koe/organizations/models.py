from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.languages import LANGUAGES
from koe.organizations.corporate_number import validate_corporate_number
from koe.organizations.japan import INDUSTRY_CHOICES, PREFECTURE_CHOICES


class OrganizationKind(models.TextChoices):
    BRAND_HOLDER = "brand_holder", _("Brand holder")
    SUPPLY_CHAIN = "supply_chain", _("Supply-chain company")
    SUPERVISING = "supervising", _("Supervising organisation")
    SUPPORT = "support", _("Registered support organisation")
    AGENCY = "agency", _("Recruitment or sending agency")
    OTHER = "other", pgettext_lazy("organisation type", "Other")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganizationKind.choices)
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
        help_text=_("Japan's 13-digit corporate number. Leave empty for a foreign entity."),
    )
    is_foreign = models.BooleanField(_("foreign entity"), default=False)
    prefecture = models.CharField(_("prefecture"), max_length=2, choices=PREFECTURE_CHOICES, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry = models.CharField(_("industry"), max_length=2, choices=INDUSTRY_CHOICES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The company whose admin registered this organisation (by hand or by import); empty when the
    # operator or the system did. Only that company may invite its first user: anyone can look up
    # a corporate number, so being in a chain alone proves nothing (see ``invitations``).
    created_by_organization = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~Q(corporate_number=""),
                name="unique_corporate_number_when_set",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.corporate_number and not self.is_foreign:
            raise ValidationError(
                {"corporate_number": _("A Japanese organisation needs its corporate number.")}
            )


class SupplyChainLink(models.Model):
    """``supplier`` supplies ``buyer``; ``tier`` is the supplier's tier as its buyer declares it."""

    buyer = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="supplier_links")
    supplier = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="buyer_links")
    tier = models.PositiveSmallIntegerField(_("tier"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "supplier"], name="unique_supply_link"),
            models.CheckConstraint(condition=~Q(buyer=models.F("supplier")), name="no_self_supply"),
            models.CheckConstraint(condition=Q(tier__gte=1), name="tier_at_least_one"),
        ]
        indexes = [models.Index(fields=["supplier", "buyer"])]

    def __str__(self) -> str:
        return f"{self.buyer_id} ← {self.supplier_id} (tier {self.tier})"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked: waiting for your decision")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")
    CANCELLED = "cancelled", _("Cancelled")


class ImportJob(models.Model):
    """A supply-chain file being checked and imported in the background (see ``supply_import``).

    ``upload`` holds the file only while the job needs it; it is emptied when the job ends.
    ``problems`` holds each row's errors and warnings as message codes and parameters, so that
    they are shown in the language of whoever looks at them.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    file_name = models.CharField(_("file"), max_length=200)
    upload = models.BinaryField(null=True, editable=False)
    only_valid = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class Invitation(models.Model):
    """An invitation for a colleague to open a company account. Only a hash of its token is kept."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    # The inviting admin's organisation: a brand holder inviting a supplier's first user manages
    # that invitation from its own page.
    sent_by_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="sent_invitations"
    )
    invited_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    is_admin = models.BooleanField(_("company admin"), default=False)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.organization_id}"
