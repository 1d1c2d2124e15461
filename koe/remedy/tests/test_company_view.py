"""What a company sees of a case a worker shared with it: the summary level shows what the case is
about and never the worker's words; the full level adds who the worker is and nothing more; a
revocation hides the case and its actions at once; every view is audited; any other company,
in another chain or in the same one, gets a 404."""

import pytest

from koe.audit.models import AuditEntry
from koe.cases.models import ShareLevel
from koe.cases.services import case_share_set
from koe.core.testing.personas import Personas
from koe.remedy.testing import (
    CONTACT,
    DESK_NOTE,
    SUMMARY,
    WORKER_MESSAGE,
    WORKER_WORDS,
    action_of,
    shared_evidence,
    worker_case,
)
from koe.remedy.tests.helpers import action_url, as_user, case_url, page, url

pytestmark = pytest.mark.django_db

NEVER_SHOWN = (WORKER_WORDS, WORKER_MESSAGE, DESK_NOTE)


def test_at_summary_level_the_company_reads_the_desks_summary_and_never_the_workers_words(
    personas: Personas,
) -> None:
    case = worker_case(personas)
    html = page(as_user(personas, "user_a"), case_url(case))
    assert case.number in html and SUMMARY in html
    assert "Passport or residence card kept by someone" in html and "Routine" in html and "New" in html
    assert case.created_at.strftime("%B %Y") in html  # the month…
    assert case.created_at.strftime("%Y-%m-%d") not in html  # …not the day
    assert "acknowledgement" not in html  # the desk's deadlines are not the company's to see
    for words in (*NEVER_SHOWN, CONTACT, "Who the worker is"):
        assert words not in html


def test_the_list_shows_the_shared_cases_with_their_level(personas: Personas) -> None:
    summary = worker_case(personas)
    full = worker_case(personas, level=ShareLevel.FULL)
    html = page(as_user(personas, "admin_a"), url("company_cases"))
    assert summary.number in html and full.number in html
    assert "Anonymised summary" in html and "Full, with identity" in html
    for words in (*NEVER_SHOWN, CONTACT, SUMMARY):
        assert words not in html


def test_at_full_level_the_company_also_sees_who_the_worker_is_and_what_they_wrote_and_nothing_more(
    personas: Personas,
) -> None:
    # What the consent form promised this level shares: name, contact and the worker's account.
    case = worker_case(personas, level=ShareLevel.FULL)
    html = page(as_user(personas, "user_a"), case_url(case))
    assert "Who the worker is" in html
    assert CONTACT in html and "Phone call" in html and personas.worker.username in html
    assert WORKER_WORDS in html
    for words in (WORKER_MESSAGE, DESK_NOTE):
        assert words not in html


def test_revoking_hides_the_case_and_its_actions_from_the_company_at_once_but_not_from_the_desk(
    personas: Personas,
) -> None:
    case = worker_case(personas)
    action = action_of(personas, case)
    evidence = shared_evidence(personas, action)
    client = as_user(personas, "admin_a")
    assert page(client, action_url(action))
    case_share_set(case=case, organization=personas.org_a, level=ShareLevel.NONE, actor=personas.worker)
    assert case.number not in page(client, url("company_cases"))
    file_url = url("company_evidence", case.number, action.pk, evidence.public_id)
    for address in (case_url(case), action_url(action), file_url):
        assert client.get(address).status_code == 404
    for name in ("company_action", "company_action_status", "company_evidence_add"):
        assert client.post(action_url(action, name), {"to_status": "do"}).status_code == 404
    assert client.post(url("company_action_new", case.number)).status_code == 404
    desk = page(as_user(personas, "consultant"), url("desk_action", action.pk))
    assert "no longer shares this case" in desk


def test_every_company_view_is_audited_with_the_level(personas: Personas) -> None:
    case = worker_case(personas, level=ShareLevel.FULL)
    action = action_of(personas, case)
    client = as_user(personas, "user_a")
    page(client, url("company_cases"))
    page(client, case_url(case))
    page(client, action_url(action))
    listed = AuditEntry.objects.get(action="case.company_list", actor_id=personas.user_a.pk)
    assert listed.detail == {"cases": {case.number: "full"}}
    views = AuditEntry.objects.filter(action="case.company_view", actor_id=personas.user_a.pk).order_by(
        "sequence"
    )
    assert [entry.detail["level"] for entry in views] == ["full", "full"]
    last = views.last()
    assert last is not None and last.detail["corrective_action"] == action.pk


@pytest.mark.parametrize("outsider", ["admin_b", "user_b1", "user_a1", "user_a2"])
def test_any_company_the_case_is_not_shared_with_gets_a_404(personas: Personas, outsider: str) -> None:
    """Hikari (another chain), and Sakura Packing (the employer itself) and Minato Farm, suppliers
    in the same chain that the worker did not share the case with."""
    case = worker_case(personas)
    action = action_of(personas, case)
    client = as_user(personas, outsider)
    assert case.number not in page(client, url("company_cases"))
    for address in (case_url(case), action_url(action)):
        assert client.get(address).status_code == 404
    data = {"plan": "x", "owner_name": "me", "due_date": "2030-01-01"}
    assert client.post(url("company_action_new", case.number), data).status_code == 404
    assert client.post(action_url(action, "company_action_status"), {"to_status": "do"}).status_code == 404
    assert action.events.count() == 1


def test_a_case_shared_with_the_employer_only_is_seen_by_the_employer_and_not_its_brand_holder(
    personas: Personas,
) -> None:
    case = worker_case(personas, organization=personas.org_a1)
    assert SUMMARY in page(as_user(personas, "user_a1"), case_url(case))
    assert as_user(personas, "admin_a").get(case_url(case)).status_code == 404
