"""Anonymous rows never count as known workers, and an invalid acknowledgement
does not record a second view."""

from datetime import date, timedelta

import pytest

from koe.audit.models import AuditEntry
from koe.cases.models import Case
from koe.cases.testing import submitted_response
from koe.core.testing.personas import Personas, verified_client
from koe.riskwatch.models import OrgRiskAlert
from koe.riskwatch.publication import publish_risk_alerts
from koe.riskwatch.recipients import known_workers
from koe.riskwatch.tests.factories import critical_case_at, known_workers_at, local, red_flag_at
from koe.riskwatch.tests.test_pages import reverse
from koe.surveys.models import Response

pytestmark = pytest.mark.django_db
TUESDAY = local(date(2026, 11, 10), hour=22)


def test_one_anonymous_person_with_five_rows_does_not_make_the_employer_a_recipient(
    personas: Personas,
) -> None:
    employer = personas.org_a1
    for _ in range(3):  # three anonymous self-checks…
        response = submitted_response({})
        Response.objects.filter(pk=response.pk).update(
            employer=employer, submitted_at=TUESDAY - timedelta(days=3)
        )
    for _ in range(2):  # …and two anonymous cases, possibly all from one person
        critical_case_at(employer, TUESDAY - timedelta(days=2))
    assert Case.objects.filter(employer=employer, worker__isnull=True).count() == 2
    assert known_workers(employer.pk, local(date(2026, 11, 16))) == 0
    red_flag_at(employer, TUESDAY)
    publish_risk_alerts(now=local(date(2026, 11, 20)))
    # Only the brand holder is told, and without the employer's name (test_unnamed_alerts.py).
    recipients = {(alert.organization, alert.subject) for alert in OrgRiskAlert.objects.all()}
    assert recipients == {(personas.org_a, None)}


def test_an_invalid_acknowledgement_records_no_second_view(personas: Personas) -> None:
    known_workers_at(personas.org_a2, 5)
    red_flag_at(personas.org_a2, TUESDAY)
    publish_risk_alerts(now=local(date(2026, 11, 20)))
    alert = OrgRiskAlert.objects.get(organization=personas.org_a2)
    client = verified_client(personas.user_a2)
    assert client.get(reverse("riskwatch:detail", args=[alert.public_id])).status_code == 200
    response = client.post(reverse("riskwatch:acknowledge", args=[alert.public_id]), {"note": "  "})
    assert response.status_code == 200
    views = AuditEntry.objects.filter(object_id=str(alert.pk), action="risk_alert.view")
    assert views.count() == 1
