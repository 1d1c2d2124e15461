from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
