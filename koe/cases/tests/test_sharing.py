"""What leaves the desk and how a case ends: the worker's consent to share a case with a company
(recorded, specific, revocable), the summary a consultant writes for companies, the outcome the
desk records before resolving, and the worker's answer to "Did this solve your problem?"."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from koe.audit.models import AuditEntry
from koe.cases.models import Case, CaseShare, CaseStatus, ShareLevel
from koe.cases.services import (
    OutcomeRequired,
    ShareRefused,
    case_open,
    case_record_outcome,
    case_satisfaction_record,
    case_share_level,
    case_share_set,
    case_summary_for_company_set,
    case_transition,
)
from koe.cases.sharing_selectors import cases_shared_with
from koe.core.testing.personas import Personas, verified_client

pytestmark = pytest.mark.django_db


def worker_case(personas: Personas, **fields: Any) -> Case:
    """The worker's own consultation about Sakura Packing, a supplier of the brand holder Sakura Foods."""
    case = case_open(
        language="vi", account="My boss keeps my passport", worker=personas.worker,
        employer=personas.org_a1, **fields,
    )  # fmt: skip
    assert isinstance(case, Case)
    return case


def acknowledged(case: Case, personas: Personas) -> Case:
    return case_transition(
        case=case, to_status=CaseStatus.ACKNOWLEDGED, actor=personas.consultant, reason="Read"
    )


def worker_page(case: Case, client: Client) -> str:
    response = client.get(f"/en/consult/{case.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def desk_url(name: str, case: Case) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", args=[case.public_id])


def share_post(client: Client, case: Case, organization: Any, level: str) -> Any:
    data = {"organization": organization.pk, f"org{organization.pk}-level": level}
    return client.post(f"/en/consult/{case.public_id}/share/", data)


# Consent to share ---------------------------------------------------------------------------------


def test_a_case_is_shared_with_no_company_until_the_worker_decides(personas: Personas) -> None:
    case = worker_case(personas)
    assert case_share_level(case, personas.org_a1) == ShareLevel.NONE
    assert case_share_level(case, personas.org_a) == ShareLevel.NONE
    assert cases_shared_with(personas.org_a1) == []
    assert cases_shared_with(personas.org_a) == []


def test_granting_summary_then_full_then_revoking_records_each_decision(personas: Personas) -> None:
    case = worker_case(personas)
    for level in (ShareLevel.SUMMARY, ShareLevel.FULL, ShareLevel.NONE):
        case_share_set(case=case, organization=personas.org_a1, level=level, actor=personas.worker)
    decisions = list(CaseShare.objects.filter(case=case).order_by("decided_at", "pk"))
    assert [d.level for d in decisions] == ["summary", "full", "none"]
    assert decisions[0].granted_at is not None and decisions[-1].revoked_at is not None
    audited = AuditEntry.objects.filter(action="case.share", object_id=str(case.pk)).order_by("sequence")
    assert [entry.detail["level"] for entry in audited] == ["summary", "full", "none"]
    assert case_share_level(case, personas.org_a1) == ShareLevel.NONE


def test_choosing_the_present_level_again_records_nothing_new(personas: Personas) -> None:
    case = worker_case(personas)
    case_share_set(case=case, organization=personas.org_a1, level=ShareLevel.SUMMARY)
    assert case_share_set(case=case, organization=personas.org_a1, level=ShareLevel.SUMMARY) is None
    assert CaseShare.objects.filter(case=case).count() == 1


def test_cases_shared_with_a_company_follow_the_newest_decision_and_a_revocation_hides_at_once(
    personas: Personas,
) -> None:
    case, other = worker_case(personas), worker_case(personas)
    case_share_set(case=case, organization=personas.org_a1, level=ShareLevel.SUMMARY)
    case_share_set(case=other, organization=personas.org_a, level=ShareLevel.FULL)
    assert cases_shared_with(personas.org_a1) == [(case, "summary")]
    assert cases_shared_with(personas.org_a) == [(other, "full")], "consent is per company"
    case_share_set(case=case, organization=personas.org_a1, level=ShareLevel.FULL)
    assert cases_shared_with(personas.org_a1) == [(case, "full")]
    case_share_set(case=case, organization=personas.org_a1, level=ShareLevel.NONE)
    assert cases_shared_with(personas.org_a1) == []
    assert cases_shared_with(personas.org_b) == []


def test_a_company_unrelated_to_the_case_is_refused(personas: Personas) -> None:
    case = worker_case(personas)
    with pytest.raises(ShareRefused):
        case_share_set(case=case, organization=personas.org_b, level=ShareLevel.FULL)
    assert not CaseShare.objects.filter(case=case).exists()
    client = verified_client(personas.worker)
    assert share_post(client, case, personas.org_b, ShareLevel.FULL).status_code == 404
    assert not CaseShare.objects.filter(case=case).exists()


def test_the_worker_page_shows_each_company_with_its_level_and_the_worker_changes_it(
    personas: Personas,
) -> None:
    case = worker_case(personas)
    client = verified_client(personas.worker)
    html = worker_page(case, client)
    assert "Sakura Packing" in html and "Sakura Foods" in html
    assert html.count("Now: Not shared") == 2
    assert "without your name, your contact or your own words" in html, "each level in plain words"
    response = share_post(client, case, personas.org_a, ShareLevel.SUMMARY)
    assert response.status_code == 302
    html = worker_page(case, client)
    assert "Now: Anonymised summary" in html and "Now: Not shared" in html
    assert "Your decisions" in html and "Sakura Foods, Anonymised summary" in html
    assert cases_shared_with(personas.org_a) == [(case, "summary")]


def test_another_person_cannot_change_what_a_worker_shares(personas: Personas) -> None:
    case = worker_case(personas)
    stranger = Client()
    assert share_post(stranger, case, personas.org_a1, ShareLevel.FULL).status_code == 404
    assert case_share_level(case, personas.org_a1) == ShareLevel.NONE


def test_the_desk_sees_the_levels_but_cannot_change_them_and_writes_the_summary(personas: Personas) -> None:
    case = worker_case(personas)
    case_share_set(case=case, organization=personas.org_a1, level=ShareLevel.FULL)
    client = verified_client(personas.consultant)
    html = client.get(desk_url("case_detail", case)).content.decode()
    assert "Shared with companies" in html and "Full, with identity" in html
    assert f'name="org{personas.org_a1.pk}-level"' not in html
    response = client.post(desk_url("case_company_summary", case), {"summary_for_company": "Passport kept."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary_for_company == "Passport kept."
    assert "Passport kept." in worker_page(case, verified_client(personas.worker)), "the worker sees it too"


# Outcome and satisfaction --------------------------------------------------------------------------


def test_a_case_cannot_be_resolved_before_its_outcome_is_recorded(personas: Personas) -> None:
    case = acknowledged(worker_case(personas), personas)
    client = verified_client(personas.consultant)
    response = client.post(desk_url("case_status", case), {"to_status": "resolved", "reason": "Done"})
    assert response.status_code == 400
    assert "Record the outcome and the remedy first" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACKNOWLEDGED
    with pytest.raises(OutcomeRequired):
        case_record_outcome(
            case=case, outcome=" ", remedy_type="payment", actor=personas.consultant, resolve=True
        )
    response = client.post(desk_url("case_outcome", case), {"outcome": "Wages paid back", "resolve": "on"})
    assert response.status_code == 400, "the remedy is required too"
    data = {"outcome": "Wages paid back", "remedy_type": "payment", "resolve": "on"}
    assert client.post(desk_url("case_outcome", case), data).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.remedy_type) == (
        CaseStatus.RESOLVED,
        "Wages paid back",
        "payment",
    )


def test_with_the_outcome_recorded_the_status_form_may_resolve_the_case(personas: Personas) -> None:
    case = acknowledged(worker_case(personas), personas)
    client = verified_client(personas.consultant)
    data = {"outcome": "Apology received", "remedy_type": "apology"}  # "mark as resolved" left unticked
    assert client.post(desk_url("case_outcome", case), data).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACKNOWLEDGED and case.outcome_recorded_at is not None
    response = client.post(desk_url("case_status", case), {"to_status": "resolved", "reason": "Done"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED


def test_the_worker_is_asked_only_once_the_case_is_resolved_and_can_change_the_answer(
    personas: Personas,
) -> None:
    case = acknowledged(worker_case(personas), personas)
    client = verified_client(personas.worker)
    url = f"/en/consult/{case.public_id}/satisfaction/"
    assert "Did this solve your problem?" not in worker_page(case, client)
    assert client.post(url, {"satisfaction": "yes"}).status_code == 404
    case_record_outcome(
        case=case, outcome="Paid", remedy_type="payment", actor=personas.consultant, resolve=True
    )
    assert "Did this solve your problem?" in worker_page(case, client)
    assert client.post(url, {"satisfaction": "yes", "comment": "Thank you"}).status_code == 302
    assert client.post(url, {"satisfaction": "partly", "comment": "Only half was paid"}).status_code == 302
    case.refresh_from_db()
    assert (case.satisfaction, case.satisfaction_comment) == ("partly", "Only half was paid")
    assert "Your answer: Partly" in worker_page(case, client)


def test_an_empty_answer_is_not_recorded(personas: Personas) -> None:
    case = acknowledged(worker_case(personas), personas)
    case_record_outcome(
        case=case, outcome="Paid", remedy_type="payment", actor=personas.consultant, resolve=True
    )
    client = verified_client(personas.worker)
    response = client.post(f"/en/consult/{case.public_id}/satisfaction/", {"comment": "hm"}, follow=True)
    assert "Please choose yes, partly or no." in response.content.decode()
    case.refresh_from_db()
    assert case.satisfaction == "" and case.satisfaction_at is None


def test_the_summary_outcome_and_comment_are_not_in_plain_text_in_the_database(personas: Personas) -> None:
    case = acknowledged(worker_case(personas), personas)
    case_summary_for_company_set(case=case, text="Summary SECRET-1", actor=personas.consultant)
    case_record_outcome(case=case, outcome="Outcome SECRET-2", remedy_type="apology", actor=personas.consultant,
                        resolve=True)  # fmt: skip
    case_satisfaction_record(case=case, satisfaction="no", comment="Comment SECRET-3")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT summary_for_company, outcome, satisfaction_comment FROM cases_case WHERE id = %s",
            [case.pk],
        )
        stored = cursor.fetchone()
    assert all(value and "SECRET" not in value for value in stored)
    case.refresh_from_db()
    assert (case.summary_for_company, case.outcome, case.satisfaction_comment) == (
        "Summary SECRET-1", "Outcome SECRET-2", "Comment SECRET-3",
    )  # fmt: skip
