"""Site-wide checks over every URL: each renders for the people it is for, in every language,
and the authorisation matrix (URL x persona) holds. A new URL must be added to PAGES below, so
no page escapes these checks."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from config.languages import LANGUAGE_CODES
from koe.cases.attachments import CleanFile
from koe.cases.models import Attachment, Case
from koe.cases.referrals import adr_referral_create, expert_referral_create
from koe.cases.services import case_open, desk_message_post
from koe.cases.services.cases import attachments_add
from koe.cases.testing import SHARED_CONTACT, desk_alert, desk_case
from koe.core.testing.personas import Personas, password_only_client, verified_client
from koe.core.testing.site import (
    ANONYMOUS,
    BEFORE_SECOND_STEP,
    COMPANY,
    COMPANY_ADMINS,
    DESK,
    EVERYONE,
    SITE_PAGE_APPS,
    Page,
    app_pages,
)
from koe.organizations.tests.pages import import_job_of, invitation_of, invitation_token
from koe.surveys.models import QuestionnaireVersion, Response
from koe.surveys.selectors import published_version
from koe.surveys.services import questionnaire_version_load, response_start, response_submit
from koe.surveys.testing import small_document

PAGES: dict[str, Page] = {
    "core:home": Page(ANONYMOUS, EVERYONE),
    "core:privacy": Page(ANONYMOUS, EVERYONE),
    "accounts:register": Page(ANONYMOUS, [ANONYMOUS]),
    "accounts:login": Page(ANONYMOUS, [ANONYMOUS]),
    "accounts:logout": Page("worker", [], get=False),
    "accounts:set_language": Page("worker", [], get=False),
    "accounts:home": Page("worker", [p for p in EVERYONE if p != ANONYMOUS]),
    "accounts:two_factor": Page("operator (before the second step)", []),
    "accounts:export_data": Page("worker", ["worker"], html=False),
    "accounts:delete": Page("worker", ["worker"]),
    "accounts:profile": Page("worker", ["worker"]),
    "organizations:dashboard": Page("admin_a", COMPANY),
    "organizations:supply_chain": Page("admin_a", COMPANY),
    "organizations:add_supplier": Page("admin_a", ["admin_a", "user_a1", "admin_b", "user_b1"]),
    "organizations:export": Page("admin_a", COMPANY, html=False),
    # Sakura Packing (tier 1 of Sakura Foods): its brand holder's users and its own users only.
    "organizations:detail": Page("admin_a", ["admin_a", "user_a", "user_a1"], lambda p: [p.org_a1.pk]),
    "organizations:import_upload": Page("admin_a", COMPANY_ADMINS),
    "organizations:import_template": Page("admin_a", COMPANY_ADMINS, html=False),
    # A checked import of Sakura Foods: its admins only (not its other users, not its suppliers).
    "organizations:import_job": Page("admin_a", ["admin_a"], lambda p: [import_job_of(p).pk]),
    "organizations:import_errors": Page("admin_a", ["admin_a"], lambda p: [import_job_of(p).pk], html=False),
    "organizations:import_confirm": Page("admin_a", [], lambda p: [import_job_of(p).pk], get=False),
    "organizations:import_cancel": Page("admin_a", [], lambda p: [import_job_of(p).pk], get=False),
    "organizations:users": Page("admin_a", COMPANY_ADMINS),
    "organizations:invite": Page("admin_a", COMPANY_ADMINS),
    "organizations:invitation_revoke": Page("admin_a", [], lambda p: [invitation_of(p).pk], get=False),
    # Anyone holding the link; a signed-in person is asked to sign out first.
    "organizations:accept_invitation": Page(ANONYMOUS, EVERYONE, lambda p: [invitation_token(p)]),
    "audit:list": Page("operator", ["operator"]),
    "surveys:start": Page(ANONYMOUS, EVERYONE, lambda p: selfcheck_published()),
    "surveys:resume": Page(ANONYMOUS, EVERYONE, lambda p: selfcheck_published()),
    "surveys:history": Page("worker", ["worker"]),
    # The worker's own self-check sheet: nobody else may open it, whatever their role.
    "surveys:page": Page("worker", ["worker"], lambda p: [selfcheck_of(p).public_id, 1], anonymous=404),
    "surveys:about": Page("worker", ["worker"], lambda p: [selfcheck_of(p).public_id], anonymous=404),
    "surveys:review": Page("worker", ["worker"], lambda p: [selfcheck_of(p).public_id], anonymous=404),
    "surveys:result": Page(
        "worker", ["worker"], lambda p: [selfcheck_of(p, submitted=True).public_id], anonymous=404
    ),
    "surveys:contact": Page("worker", [], lambda p: [selfcheck_of(p, submitted=True).public_id], get=False),
    "consult:intake": Page(ANONYMOUS, EVERYONE),
    "consult:open": Page(ANONYMOUS, EVERYONE),
    "consult:mine": Page("worker", ["worker"]),
    # The worker's own consultation, with a reply from the desk: nobody else may open it.
    "consult:case": Page("worker", ["worker"], lambda p: [consultation_of(p).public_id], anonymous=404),
    # A file the desk sent with its reply to that consultation: the worker only.
    "consult:attachment": Page(
        "worker", ["worker"], lambda p: file_of(consultation_of(p)), html=False, anonymous=404
    ),
    "audit:export": Page("operator", ["operator"], html=False),
    "cases:alert_queue": Page("consultant", DESK),
    # An anonymous worker's red-flag alert, with a contact choice and shared answers to render.
    "cases:alert_detail": Page("consultant", DESK, lambda p: [desk_alert(p, **SHARED_CONTACT).public_id]),
    "cases:alert_acknowledge": Page("consultant", [], lambda p: [desk_alert(p).public_id], get=False),
    "cases:alert_open_case": Page("consultant", [], lambda p: [desk_alert(p).public_id], get=False),
    "cases:case_inbox": Page("consultant", DESK),
    "cases:case_new": Page("consultant", DESK),
    "cases:workload": Page("supervisor", ["supervisor"]),
    "cases:hand_over": Page("supervisor", [], get=False),
    # A logged phone consultation with a message each way and an internal note to render.
    "cases:case_detail": Page("consultant", DESK, lambda p: [desk_case(p).public_id]),
    "cases:case_status": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:case_assign": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:case_reply": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:case_note": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:case_outcome": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:case_triage": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:case_company_summary": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "consult:share": Page("worker", [], lambda p: [consultation_of(p).public_id], get=False),
    "consult:satisfaction": Page("worker", [], lambda p: [consultation_of(p).public_id], get=False),
    "cases:case_attachment": Page("consultant", DESK, lambda p: file_of(desk_case(p)), html=False),
    "cases:guiding_support_add": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:expert_referral_add": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:expert_referral_withdraw": Page("consultant", [], lambda p: referral_args(p), get=False),
    "cases:adr_referral_add": Page("consultant", [], lambda p: [desk_case(p).public_id], get=False),
    "cases:adr_referral_update": Page("consultant", [], lambda p: adr_args(p), get=False),
    "cases:expert_referrals": Page("expert", ["expert"]),
    # A question about the desk's case put to the persona expert: that expert only.
    "cases:expert_referral": Page("expert", ["expert"], lambda p: referral_args(p)[1:]),
}
# The company apps keep their pages next to their code (koe/<app>/tests/site_pages.py).
PAGES.update(app_pages())


def named_urls() -> set[str]:
    found: set[str] = set()

    def walk(patterns: list, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    apps = {"core", "accounts", "organizations", "audit", "surveys", "cases", "consult", *SITE_PAGE_APPS}
    return {name for name in found if name.split(":")[0] in apps}


def selfcheck_published() -> list[int]:
    if not QuestionnaireVersion.objects.filter(questionnaire__slug="worker-selfcheck").exists():
        questionnaire_version_load(document=small_document(slug="worker-selfcheck"), publish=True)
    return []


def consultation_of(personas: Personas) -> Case:
    """The persona worker's consultation, answered by the desk (made once per test)."""
    if not hasattr(personas, "_consultation"):
        case = case_open(language="ja", account="My pay is late", worker=personas.worker)
        assert isinstance(case, Case)
        desk_message_post(case=case, body="We read your message.", actor=personas.consultant)
        personas._consultation = case  # type: ignore[attr-defined]
    return personas._consultation  # type: ignore[attr-defined]


def referral_args(personas: Personas) -> list[Any]:
    """The desk's case and a question about it put to the persona expert (made once per test)."""
    case = desk_case(personas)
    referral = case.expert_referrals.first() or expert_referral_create(
        case=case, expert=personas.expert, question="Is this forced labour?", actor=personas.consultant
    )
    return [case.public_id, referral.public_id]


def adr_args(personas: Personas) -> list[Any]:
    case = desk_case(personas)
    adr = case.adr_referrals.first() or adr_referral_create(
        case=case, actor=personas.consultant, centre="Centre"
    )
    return [case.public_id, adr.public_id]


def file_of(case: Case) -> list[Any]:
    """The URL arguments of a PDF attached to the case's last message (added once per case)."""
    found = Attachment.objects.filter(case=case).first()
    if found is None:
        pdf = CleanFile(b"%PDF-1.4 a payslip", "application/pdf", "pdf")
        found = attachments_add(case=case, files=[pdf], message=case.messages.last())[0]
    return [case.public_id, found.public_id]


def selfcheck_of(personas: Personas, *, submitted: bool = False) -> Response:
    """The persona worker's self-check sheet, in progress or sent (made once per test)."""
    key = "_selfcheck_submitted" if submitted else "_selfcheck_draft"
    if not hasattr(personas, key):
        selfcheck_published()
        response = response_start(version=published_version(), language="ja", worker=personas.worker)
        if submitted:
            response = response_submit(response_id=response.pk)
        setattr(personas, key, response)
    return getattr(personas, key)


def client_for(personas: Personas, persona: str) -> Client:
    if persona == ANONYMOUS:
        return Client()
    if persona.endswith(BEFORE_SECOND_STEP):
        return password_only_client(getattr(personas, persona.removesuffix(BEFORE_SECOND_STEP)))
    return verified_client(getattr(personas, persona))


def url_for(name: str, personas: Personas, language: str) -> str:
    with translation.override(language):
        return reverse(name, args=PAGES[name].args(personas))


def test_every_named_page_is_covered_by_the_site_wide_checks() -> None:
    assert named_urls() - set(PAGES) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_renders_for_its_viewer_in_every_language_with_one_heading(
    personas: Personas, name: str
) -> None:
    page = PAGES[name]
    client = client_for(personas, page.viewer)
    for language in LANGUAGE_CODES:
        response = client.get(url_for(name, personas, language))
        if not page.get:
            assert response.status_code == 405
            continue
        assert response.status_code == 200, (name, language)
        if page.html:
            html = response.content.decode()
            assert f'<html lang="{language}"' in html, (name, language)
            assert len(re.findall(r"<h1[\s>]", html)) == 1, (name, language)


OWNED_DATA_PAGES = [name for name, page in PAGES.items() if page.get and page.allowed != EVERYONE
                    and ANONYMOUS not in page.allowed and name != "accounts:two_factor"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name", OWNED_DATA_PAGES)
def test_the_authorisation_matrix_holds_for_every_persona(personas: Personas, name: str) -> None:
    page = PAGES[name]
    url = url_for(name, personas, "ja")
    for persona in EVERYONE:
        status = client_for(personas, persona).get(url).status_code
        if persona in page.allowed:
            expected = 200
        elif persona == ANONYMOUS:
            expected = page.anonymous
        else:
            expected = 404
        assert status == expected, f"{name} as {persona}: {status}, expected {expected}"
