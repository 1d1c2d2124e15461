"""Corrective action on a shared case: what a company does about it, plan → do → check → act.

A company records an action only on a case the worker shared with it (koe/cases CaseShare), and
sees it only while the case is shared: a revocation hides the case and its actions from the
company at once, while the desk keeps them. The plan and every comment are encrypted; evidence
files are cleaned as the desk's attachments are (koe/cases/attachments.py) and stored encrypted.

During "check", the desk reviews the action and the worker is asked whether it solved the
problem; the action moves on to "act" only when both said yes (see ``services``).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koe.cases.models import Satisfaction
from koe.core.fields import EncryptedTextField


class ActionStatus(models.TextChoices):
    PLAN = "plan", pgettext_lazy("corrective action", "Plan")
    DO = "do", pgettext_lazy("corrective action", "Do")
    CHECK = "check", pgettext_lazy("corrective action", "Check")
    ACT = "act", pgettext_lazy("corrective action", "Act")
    CLOSED = "closed", pgettext_lazy("corrective action", "Closed")


S = ActionStatus
# Every step an action may take. Who may take it is decided in services.py: the company moves
# plan → do → check and act → closed; the desk's review and the worker's answer move it on from check.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLAN: frozenset({S.DO}),
    S.DO: frozenset({S.PLAN, S.CHECK}),
    S.CHECK: frozenset({S.PLAN, S.DO, S.ACT}),
    S.ACT: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    NEEDS_CHANGES = "needs_changes", _("Needs changes")


class CorrectiveAction(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="corrective_actions")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    plan = EncryptedTextField(_("corrective-action plan"))
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(_("owner"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLAN)
    # Each time the action reaches "check" anew, the desk's review and the worker's answer of
    # the earlier rounds no longer count.
    check_round = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["organization", "case"], name="remedy_action_org_case_idx"),
            models.Index(fields=["status", "due_date"], name="remedy_action_due_idx"),
        ]

    def __str__(self) -> str:
        return f"corrective action {self.pk} on case {self.case_id}"

    @property
    def owner_label(self) -> str:
        return self.owner_user.get_username() if self.owner_user else self.owner_name

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status != ActionStatus.CLOSED and self.due_date < (today or timezone.localdate())

    @property
    def editable(self) -> bool:
        return self.status in (ActionStatus.PLAN, ActionStatus.DO)


class ActionEvent(models.Model):
    """The action's history: created, edited, each status change and file, who and when.
    A worker's step has no actor (an anonymous worker has no account): ``by_worker`` says it."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)  # created, edited, status, evidence
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    by_worker = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.to_status}".strip()


class EvidenceFile(models.Model):
    """A file the company gives as evidence. As for the desk's attachments, only the cleaned file
    is kept, encrypted and bound to ``public_id``, under a generic name."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="evidence")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(help_text="Bytes of the cleaned file, before encryption.")
    stored_name = models.CharField(max_length=200, editable=False)
    display_name = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def encryption_context(self) -> str:
        return f"{self._meta.label}:{self.public_id}"


class DeskReview(models.Model):
    """The desk's verdict on an action in "check"; the comment is shown to the company."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField()
    decision = models.CharField(max_length=15, choices=ReviewDecision.choices)
    comment = EncryptedTextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"review of action {self.action_id}: {self.decision}"


class WorkerAnswer(models.Model):
    """The worker's answer to "Did this solve the problem?". The company sees the answer, never
    the comment, which only the desk reads."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="worker_answers")
    round = models.PositiveSmallIntegerField()
    answer = models.CharField(max_length=10, choices=Satisfaction.choices)
    comment = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"worker's answer on action {self.action_id}: {self.answer}"
