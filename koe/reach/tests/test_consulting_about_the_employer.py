"""A worker Koe already knows the employer of (through their account's link, or the invite this
browser followed) may say that their consultation is about that employer, with one tick that is
set for them; unticked, the case names no company."""

import pytest
from django.test import Client

from koe.cases.models import Case, ContactMethod
from koe.core.testing.personas import Personas
from koe.reach.services import worker_employer_link_create
from koe.reach.testing import invite_of_a1

pytestmark = pytest.mark.django_db

INTAKE = "/en/consult/"


def send(client: Client, **extra: str) -> Case:
    form = client.get(INTAKE).context["form"]
    data = {"account": "They keep my passport", "contact_method": ContactMethod.NONE,
            "intake_key": str(form.initial["intake_key"]), "pin": "482913", "pin_again": "482913", **extra}  # fmt: skip
    assert client.post(INTAKE, data).status_code == 200
    return Case.objects.get()


def linked_worker(personas: Personas) -> Client:
    worker_employer_link_create(actor=personas.worker, invite=invite_of_a1(personas))
    client = Client()
    client.force_login(personas.worker)
    return client


def test_a_linked_worker_is_offered_their_employer_ticked_and_the_case_names_it(personas: Personas) -> None:
    client = linked_worker(personas)
    html = client.get(INTAKE).content.decode()
    assert "This is about my employer, Sakura Packing." in html and "checked" in html
    case = send(client, contact_method=ContactMethod.KOE, about_known_employer="on")
    assert case.employer == personas.org_a1
    assert list(case.brand_holders.all()) == [personas.org_a]  # so the worker may share it with them


def test_unticked_the_case_names_no_company(personas: Personas) -> None:
    case = send(linked_worker(personas), contact_method=ContactMethod.KOE)
    assert case.employer is None and not case.brand_holders.exists()


def test_a_worker_without_an_account_who_came_through_the_link_may_name_that_employer(
    personas: Personas,
) -> None:
    client = Client()
    client.post(f"/en/join/{invite_of_a1(personas).token}/", {"choice": "selfcheck"})
    assert send(client, about_known_employer="on").employer == personas.org_a1


def test_nobody_else_is_offered_an_employer(personas: Personas) -> None:
    assert "about_known_employer" not in Client().get(INTAKE).content.decode()
