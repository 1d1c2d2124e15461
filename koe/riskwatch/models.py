"""Organisation-level serious-risk alerts, published in weekly batches (see publication.py).

An alert names a company, an ISO week and what kind of signal came from it, and nothing finer:
no worker, no day or time, no count below the suppression threshold. A company with fewer known
workers than the threshold is not named (``subject`` is empty): each alert proves a signal at its
subject that week, and named alerts added up against a brand holder's pooled dashboard row would
pin each small supplier's hidden count. Its brand holders get one unnamed alert a week, "a company
in your supply chain", merging every such company of that week (see publication.py).

Each recipient organisation (the employer itself, and each brand holder above it) has its own row,
so that each acknowledges it for itself and one company's note is never shown to another.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koe.surveys.indicators import Tag, tags_in


class OrgRiskAlert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    # Empty: an unnamed alert, merging the week's companies with too few known workers to be named.
    subject = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("company"),
        null=True,
        blank=True,
    )
    week_start = models.DateField(_("week starting"), help_text="The Monday of the ISO week.")
    self_check_red_flag = models.BooleanField(default=False)
    critical_case = models.BooleanField(default=False)
    indicators = models.BigIntegerField(default=0, help_text="Indicator bits, see koe/surveys/indicators.py.")
    # The number of signals, kept only when it reached the suppression threshold at publication.
    shown_count = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.TextField(_("what your company will do"), blank=True)

    class Meta:
        ordering = ["-week_start", "subject__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "subject", "week_start"], name="one_risk_alert_per_week"
            ),
            # NULLs are distinct in the constraint above: at most one unnamed alert a week, too.
            models.UniqueConstraint(
                fields=["organization", "week_start"],
                condition=models.Q(subject__isnull=True),
                name="one_unnamed_risk_alert_per_week",
            ),
        ]
        indexes = [models.Index(fields=["organization", "-week_start"], name="risk_alert_inbox_idx")]

    def __str__(self) -> str:
        return f"risk alert {self.public_id}"

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def iso_week(self) -> tuple[int, int]:
        year, week, _day = self.week_start.isocalendar()
        return year, week

    @property
    def tags(self) -> list[Tag]:
        return tags_in(self.indicators)

    @property
    def is_named(self) -> bool:
        return self.subject_id is not None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class PublishedWeek(models.Model):
    """A week whose alerts have been published: it is published once and never edited afterwards,
    so that nothing a company reads changes on the day the desk learned something new."""

    week_start = models.DateField(unique=True)
    published_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"published week {self.week_start}"


class SignalSource(models.TextChoices):
    ALERT = "alert", "red-flag self-check alert"
    CASE = "case", "critical case"


class PublishedSignal(models.Model):
    """A signal (a red-flag self-check alert or a critical case) already counted in a published
    week, so that one that turns up late (a case raised to critical afterwards, an employer
    identified later) is folded into the next week published, and none is counted twice."""

    source = models.CharField(max_length=5, choices=SignalSource.choices)
    source_id = models.PositiveBigIntegerField()
    week_start = models.DateField(help_text="The week whose publication counted it.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="signal_published_once")]

    def __str__(self) -> str:
        return f"{self.source} {self.source_id} in {self.week_start}"
