"""Triage: the desk sets what a case is about, how serious it is, the ILO indicators and the
organisations involved; a more serious case owes an earlier acknowledgement."""

import pytest
from django.urls import reverse

from koe.audit.models import AuditEntry
from koe.cases.models import Case
from koe.cases.services import case_open
from koe.core.testing.personas import Personas, verified_client
from koe.surveys.indicators import TAGS_BY_CODE

pytestmark = pytest.mark.django_db


def logged_case(personas: Personas) -> Case:
    case = case_open(language="vi", account="Bị giữ hộ chiếu", logged_by=personas.consultant, channel="phone")
    assert isinstance(case, Case)
    return case


def test_triage_sets_categories_severity_indicators_and_organisations(personas: Personas) -> None:
    case = logged_case(personas)
    before = case.acknowledge_by
    page = verified_client(personas.consultant).post(
        reverse("cases:case_triage", args=[case.public_id]),
        {
            "categories": ["retained_documents", "wages"],
            "severity": "critical",
            "indicators": ["retention_of_identity_documents", "withholding_of_wages"],
            "employer": personas.org_a2.pk,
            "supervising_organization": personas.org_s.pk,
        },
    )
    assert page.status_code == 302
    case.refresh_from_db()
    assert case.categories == ["retained_documents", "wages"] and case.severity == "critical"
    assert case.indicators & TAGS_BY_CODE["retention_of_identity_documents"].mask
    assert case.employer == personas.org_a2 and case.supervising_organization == personas.org_s
    assert list(case.brand_holders.all()) == [personas.org_a]  # from the employer's supply chain
    assert case.acknowledge_by < before  # critical: within hours, not days
    assert AuditEntry.objects.filter(action="case.triage").exists()


def test_triage_without_a_category_is_refused_with_the_page_shown_again(personas: Personas) -> None:
    case = logged_case(personas)
    page = verified_client(personas.consultant).post(
        reverse("cases:case_triage", args=[case.public_id]), {"severity": "urgent"}
    )
    assert page.status_code == 400
    case.refresh_from_db()
    assert case.severity == "routine"


def test_the_inbox_filters_by_an_organisation_involved(personas: Personas) -> None:
    involved, other = logged_case(personas), logged_case(personas)
    involved.employer = personas.org_a2
    involved.save(update_fields=["employer"])
    involved.brand_holders.set([personas.org_a])
    client = verified_client(personas.consultant)
    query = {"view": "all", "organization": str(personas.org_a.pk)}
    html = client.get(reverse("cases:case_inbox"), query).content.decode()
    assert involved.number in html and other.number not in html


def test_triage_is_desk_only(personas: Personas) -> None:
    case = logged_case(personas)
    for persona in (personas.worker, personas.admin_a, personas.expert):
        page = verified_client(persona).post(reverse("cases:case_triage", args=[case.public_id]), {})
        assert page.status_code == 404
