"""Company users' writes on risk alerts; every view and acknowledgement is audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koe.audit.services import audit_record
from koe.riskwatch.models import OrgRiskAlert

MAX_NOTE_LENGTH = 1000


def risk_alert_view(*, actor: Any, alert: OrgRiskAlert) -> None:
    audit_record(actor=actor, action="risk_alert.view", target=alert, detail={"subject": alert.subject_id})


@transaction.atomic
def risk_alert_acknowledge(*, actor: Any, alert: OrgRiskAlert, note: str) -> OrgRiskAlert:
    """Records that the company has read the alert and what it will do; once per alert."""
    note = note.strip()
    if not note:
        raise ValidationError(_("Say briefly what your company will do."))
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(_("Please keep the note under %(max)s characters.") % {"max": MAX_NOTE_LENGTH})
    alert = OrgRiskAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValidationError(_("This alert has already been acknowledged."))
    alert.acknowledged_at, alert.acknowledged_by, alert.acknowledgement_note = timezone.now(), actor, note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    audit_record(
        actor=actor, action="risk_alert.acknowledge", target=alert,
        detail={"subject": alert.subject_id, "note_length": len(note)},
    )  # fmt: skip
    return alert
