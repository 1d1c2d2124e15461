"""Quarterly reports: one row per organisation, closed quarter and language, holding its files.

The three files live in the database (``BinaryField``) rather than in file storage: they hold
only suppressed aggregates (no personal data), they are small (a few hundred kB), and keeping
them in the row lets the task swap all three and mark the report done in one update, so a
download never mixes an old PDF with a new CSV. It also works unchanged when the task worker
and the web process run on different machines with no shared disk. List queries defer them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koe.reports.document import Period
from koe.reports.periods import is_closed as is_closed  # the one rule, re-exported for services
from koe.reports.periods import quarter_of, quarter_slug

FILE_FIELDS = ("pdf", "csv", "xlsx")


class ReportLanguage(models.TextChoices):
    JAPANESE = "ja", "日本語"
    ENGLISH = "en", "English"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportStep(models.TextChoices):
    """What the task is doing: a code, so that the page shows it in the reader's language."""

    WAITING = "waiting", _("Waiting in the queue")
    FIGURES = "figures", _("Collecting the figures")
    PDF = "pdf", _("Drawing the charts and the PDF")
    CSV = "csv", _("Writing the CSV file")
    XLSX = "xlsx", _("Writing the Excel file")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Something went wrong. Please try again later.")


class QuarterlyReport(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="quarterly_reports"
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default="queued")
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent, 0-100
    step = models.CharField(_("step"), max_length=10, choices=ReportStep.choices, default="waiting")
    pdf = models.BinaryField(default=b"", editable=False)
    csv = models.BinaryField(default=b"", editable=False)
    xlsx = models.BinaryField(default=b"", editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # None: made by the quarterly schedule
    created_at = models.DateTimeField(auto_now_add=True)
    requested_at = models.DateTimeField(_("requested"))
    finished_at = models.DateTimeField(_("files made"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_start", "language"], name="quarterly_report_once_per_language"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="quarterly_report_progress_max"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=["ja", "en"]), name="quarterly_report_ja_en"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.quarter_slug} {self.language}"

    @property
    def period(self) -> Period:
        return quarter_of(self.period_start)

    @property
    def quarter_slug(self) -> str:
        return quarter_slug(self.period)

    @property
    def in_progress(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def has_files(self) -> bool:
        """Files from the last finished run; kept while a regeneration runs, replaced when it ends."""
        return self.finished_at is not None
