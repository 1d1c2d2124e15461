"""Questionnaires, their immutable published versions, and the responses to them.

A response keeps, besides the answers, a snapshot of what the reports group by (employer,
nationality, residence status, industry, prefecture, round) and what its answers mean
(`shown_tags`, `red_flag`, `severity`), computed once at submission: aggregates over millions
of responses are then single indexed scans in the database, never Python loops over answers.
"""

import uuid
from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGES
from koe.core.fields import EncryptedTextField
from koe.surveys.definition import Definition, parse


class QuestionnaireKind(models.TextChoices):
    WORKER_SELFCHECK = "worker_selfcheck", _("Worker self-check")
    HOST_COMPANY = "host_company", _("Host-company self-check")
    SURVEY = "survey", _("Survey")


class Questionnaire(models.Model):
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=QuestionnaireKind.choices)

    def __str__(self) -> str:
        return self.slug


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    definition = models.JSONField(
        help_text=_("Structure and texts in every language (docs/questionnaires.md).")
    )
    content_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="one_version_number")]
        ordering = ["questionnaire", "-number"]

    def __str__(self) -> str:
        return f"{self.questionnaire.slug} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @cached_property
    def parsed(self) -> Definition:
        return parse(self.definition)


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Severity(models.TextChoices):
    NONE = "", _("None")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class Response(models.Model):
    # Shown in URLs and forms instead of the primary key, so responses cannot be enumerated.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    status = models.CharField(max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    language = models.CharField(max_length=10, choices=LANGUAGES)
    # While in progress: the answers as encrypted JSON, so a half-filled sheet is kept across
    # pages, devices (resume code) and dropped connections without plaintext in the database.
    draft_answers = EncryptedTextField(blank=True)
    resume_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    round = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # Snapshot for reports, taken at submission.
    employer = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nationality = models.CharField(max_length=8, blank=True)
    residence_status = models.CharField(max_length=20, blank=True)
    industry = models.CharField(max_length=2, blank=True)
    prefecture = models.CharField(max_length=2, blank=True)

    # What the answers mean, computed at submission by koe.surveys.scoring.
    shown_tags = models.BigIntegerField(default=0)
    risk_score = models.PositiveIntegerField(default=0)
    red_flag = models.BooleanField(default=False)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["employer", "submitted_at"], name="response_employer_idx"),
            models.Index(fields=["worker", "status"], name="response_worker_idx"),
            # Reports read submitted responses by employer and need nothing else from the row:
            # PostgreSQL answers them from this index alone (bench/bench_selfcheck_aggregates.py).
            models.Index(
                fields=["employer"],
                name="response_report_idx",
                condition=models.Q(status="submitted"),
                include=[
                    "shown_tags",
                    "red_flag",
                    "nationality",
                    "residence_status",
                    "industry",
                    "prefecture",
                    "round",
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"response {self.public_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class Answer(models.Model):
    """One answer of a submitted response; a multiple-choice answer is one row per option chosen."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=40)
    option = models.CharField(max_length=40, blank=True)
    number = models.IntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    text = EncryptedTextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["response", "item"], name="answer_response_item_idx")]

    def __str__(self) -> str:
        return f"answer to {self.item}"


class RoundSchedule(models.Model):
    """When registered workers are offered the self-check: the operator's setting, a single row.

    Read with `RoundSchedule.current()`; koe.surveys.rounds applies it (docs/selfcheck-rounds.md).
    """

    SINGLETON_ID = 1

    first_round_months = models.PositiveSmallIntegerField(
        _("first round, in months after arrival"),
        default=3,
        validators=[MaxValueValidator(24)],
    )
    interval_months = models.PositiveSmallIntegerField(
        _("months between rounds"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("A change applies from each worker's next submission or reminder."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-check schedule")
        verbose_name_plural = _("self-check schedule")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_round_schedule")]

    def __str__(self) -> str:
        return str(_("Self-check schedule"))

    @classmethod
    def current(cls) -> "RoundSchedule":
        """The saved setting, or the defaults while the operator has not saved one (no write here)."""
        return cls.objects.filter(pk=cls.SINGLETON_ID).first() or cls(pk=cls.SINGLETON_ID)
