"""Small helpers shared by the corrective-action tests."""

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

from koe.cases.models import Case
from koe.core.testing.personas import verified_client
from koe.remedy.models import CorrectiveAction


def url(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(f"remedy:{name}", args=args)


def case_url(case: Case) -> str:
    return url("company_case", case.number)


def action_url(action: CorrectiveAction, name: str = "company_action") -> str:
    return url(name, action.case.number, action.pk)


def page(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode()


def as_user(personas: Any, name: str) -> Client:
    return verified_client(getattr(personas, name))
