"""A double tap on "link my employer" gives the normal success, never an error."""

from typing import Any
from unittest import mock

import pytest

from koe.core.testing.personas import Personas, verified_client
from koe.reach import services
from koe.reach.models import WorkerEmployerLink
from koe.reach.testing import invite_of_a1

pytestmark = pytest.mark.django_db


def _first_tap_done_unseen(personas: Personas) -> Any:
    """The first tap's link is in the table, but the second tap read "no link" before it was."""
    invite = invite_of_a1(personas)
    first = WorkerEmployerLink.objects.create(
        worker=personas.worker, employer=invite.employer, brand_holder=invite.brand_holder, invite=invite
    )
    real = services._current_link
    calls = iter([None])
    return first, mock.patch.object(services, "_current_link", lambda worker: next(calls, real(worker)))


def test_a_second_tap_racing_the_first_returns_the_same_link(personas: Personas) -> None:
    first, racing = _first_tap_done_unseen(personas)
    with racing:
        link = services.worker_employer_link_create(actor=personas.worker, invite=invite_of_a1(personas))
    assert link == first
    assert WorkerEmployerLink.objects.filter(worker=personas.worker).count() == 1


def test_a_double_tap_on_the_landing_page_shows_the_normal_success(personas: Personas) -> None:
    _first, racing = _first_tap_done_unseen(personas)
    client = verified_client(personas.worker)
    with racing:
        response = client.post(f"/en/join/{invite_of_a1(personas).token}/", {"choice": "link"})
    assert response.status_code == 302 and response["Location"] == "/en/join/my-employer/"
    assert "Your account is now linked to this employer." in client.get(response["Location"]).content.decode()
    assert WorkerEmployerLink.objects.filter(worker=personas.worker, removed_at__isnull=True).count() == 1


def test_tapping_twice_in_a_row_makes_one_link(personas: Personas) -> None:
    client = verified_client(personas.worker)
    for _ in range(2):
        assert client.post(f"/en/join/{invite_of_a1(personas).token}/", {"choice": "link"}).status_code == 302
    assert WorkerEmployerLink.objects.filter(worker=personas.worker).count() == 1
