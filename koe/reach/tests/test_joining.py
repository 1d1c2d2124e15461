"""A worker comes through an invite link: registers, or answers the self-check without an account,
and can see and remove the link to their employer."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from koe.accounts.models import WorkerProfile
from koe.accounts.tests.helpers import registration_data
from koe.core.testing.personas import Personas, verified_client
from koe.reach.models import WorkerEmployerLink
from koe.reach.selectors import SESSION_KEY
from koe.reach.testing import invite_of_a1
from koe.surveys.models import Response
from koe.surveys.services import questionnaire_version_load
from koe.surveys.testing import small_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def selfcheck() -> None:
    questionnaire_version_load(document=small_document(slug="worker-selfcheck"), publish=True)


def landing(personas: Personas, language: str = "en") -> str:
    return f"/{language}/join/{invite_of_a1(personas).token}/"


def test_the_landing_page_names_the_employer_and_the_privacy_promise_and_remembers_nothing_yet(
    personas: Personas,
) -> None:
    client = Client()
    page = client.get(landing(personas, "my"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="my"' in html
    assert "Sakura Packing" in html
    promise = "Your employer never learns who you are unless you agree. Companies only see numbers about many workers together."
    with translation.override("my"):  # the worker reads the promise in Burmese
        burmese_promise = gettext(promise)
    assert burmese_promise != promise
    assert escape(burmese_promise) in html
    assert SESSION_KEY not in client.session  # opening the link leaves nothing behind


def test_registering_through_the_link_links_the_worker_to_employer_and_brand_holder(
    personas: Personas,
) -> None:
    client = Client()
    chosen = client.post(landing(personas), {"choice": "register"})
    assert chosen["Location"] == "/en/account/register/"  # the token does not travel on
    assert client.post(chosen["Location"], registration_data()).status_code == 302
    link = WorkerEmployerLink.objects.get()
    assert link.worker is not None
    assert (link.worker.username, link.employer, link.brand_holder) == (
        "sakura_bird",
        personas.org_a1,
        personas.org_a,
    )
    assert link.invite == invite_of_a1(personas)
    assert WorkerProfile.objects.get(user=link.worker).employer == personas.org_a1
    assert SESSION_KEY not in client.session


def test_registering_without_a_link_links_no_employer(personas: Personas) -> None:
    Client().post("/en/account/register/", registration_data())
    assert not WorkerEmployerLink.objects.exists()
    assert WorkerProfile.objects.get(user__username="sakura_bird").employer is None


def test_a_signed_in_worker_links_themselves_after_confirming(personas: Personas) -> None:
    client = verified_client(personas.worker)
    page = client.get(landing(personas)).content.decode()
    assert "Link my account" in page
    assert not WorkerEmployerLink.objects.exists()
    confirmed = client.post(landing(personas), {"choice": "link"})
    assert confirmed["Location"] == "/en/join/my-employer/"
    assert WorkerProfile.objects.get(user=personas.worker).employer == personas.org_a1
    assert "already linked" in client.get(landing(personas)).content.decode()


def test_the_worker_sees_and_removes_the_link_and_later_self_checks_carry_no_employer(
    personas: Personas, selfcheck: None
) -> None:
    client = verified_client(personas.worker)
    client.post(landing(personas), {"choice": "link"})
    page = client.get("/en/join/my-employer/").content.decode()
    assert "Sakura Packing" in page
    link = WorkerEmployerLink.objects.get()
    assert client.post(f"/en/join/my-employer/{link.public_id}/remove/").status_code == 302
    link.refresh_from_db()
    assert link.removed_at is not None
    assert link.worker is None  # kept for past quarters' counts, no longer anyone's
    assert WorkerProfile.objects.get(user=personas.worker).employer is None
    assert "not linked to any employer" in client.get("/en/join/my-employer/").content.decode()
    response = answer_selfcheck(client)
    assert response.employer is None


def test_another_worker_cannot_remove_someone_elses_link(personas: Personas) -> None:
    verified_client(personas.worker).post(landing(personas), {"choice": "link"})
    link = WorkerEmployerLink.objects.get()
    other = Client()
    other.post("/en/account/register/", registration_data())
    assert other.post(f"/en/join/my-employer/{link.public_id}/remove/").status_code == 404
    link.refresh_from_db()
    assert link.removed_at is None


def answer_selfcheck(client: Client) -> Response:
    client.post("/en/self-check/")
    response = Response.objects.latest("created_at")
    client.post(f"/en/self-check/{response.public_id}/review/")
    response.refresh_from_db()
    assert response.is_submitted
    return response


def test_an_anonymous_self_check_through_the_link_counts_for_the_employer(
    personas: Personas, selfcheck: None
) -> None:
    client = Client()
    chosen = client.post(landing(personas), {"choice": "selfcheck"})
    assert chosen["Location"] == "/en/self-check/"
    response = answer_selfcheck(client)
    assert response.worker is None
    assert response.employer == personas.org_a1


def test_an_anonymous_self_check_without_a_link_counts_for_nobody(
    personas: Personas, selfcheck: None
) -> None:
    assert answer_selfcheck(Client()).employer is None


def test_a_self_check_after_the_link_was_revoked_counts_for_nobody(
    personas: Personas, selfcheck: None
) -> None:
    from koe.reach.services import invite_link_revoke

    client = Client()
    client.post(landing(personas), {"choice": "selfcheck"})
    invite_link_revoke(actor=personas.admin_a, link=invite_of_a1(personas))
    assert answer_selfcheck(client).employer is None


def test_a_script_tag_in_the_company_name_is_escaped_on_the_pages(personas: Personas) -> None:
    personas.org_a1.name = "<script>alert(1)</script>"
    personas.org_a1.save()
    link = invite_of_a1(personas)
    pages = [
        Client().get(landing(personas)),
        verified_client(personas.admin_a).get("/en/company/reach/"),
        verified_client(personas.admin_a).get(f"/en/company/reach/links/{link.pk}/"),
        verified_client(personas.admin_a).get("/en/company/reach/figures/"),
    ]
    client = verified_client(personas.worker)
    client.post(landing(personas), {"choice": "link"})
    pages.append(client.get("/en/join/my-employer/"))
    for page in pages:
        html = page.content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)" in html
