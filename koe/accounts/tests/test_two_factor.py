"""Staff and company users pass a second factor before they see anything; workers never need one."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from koe.accounts import navigation
from koe.accounts.models import Role
from koe.accounts.services import staff_user_create
from koe.accounts.tests.helpers import current_code, forget_wrong_codes, sign_in, wrong_code
from koe.audit.models import AuditEntry
from koe.core.testing.personas import PASSWORD, password_only_client, verified_client

pytestmark = pytest.mark.django_db

TWO_FACTOR = "/ja/account/two-factor/"
STAFF_URLS = ["/ja/company/", "/ja/operator/audit/", "/admin/", "/ja/account/", "/ja/", "/en/privacy/"]


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize("persona", ["consultant", "admin_a", "operator", "expert", "auditor"])
def test_staff_without_the_second_factor_are_sent_to_it_from_everywhere(
    personas, persona: str, url: str
) -> None:
    response = password_only_client(getattr(personas, persona)).get(url)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in {TWO_FACTOR, "/en/account/two-factor/"}


def test_the_redirect_keeps_the_page_language_and_where_they_were_going(personas) -> None:
    response = password_only_client(personas.consultant).get("/vi/privacy/")
    assert response["Location"] == "/vi/account/two-factor/?next=%2Fvi%2Fprivacy%2F"


def test_unverified_staff_can_still_leave_and_probes_still_answer(personas) -> None:
    client = password_only_client(personas.consultant)
    assert client.get(TWO_FACTOR).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/ja/account/logout/")["Location"] == "/ja/"
    client = password_only_client(personas.consultant)
    assert client.get("/exit/")["Location"].startswith("https://")


def test_worker_pages_need_no_second_factor(personas) -> None:
    client = Client()
    client.force_login(personas.worker)
    for url in ["/ja/account/", "/ja/", "/ja/privacy/", "/ja/account/delete/"]:
        assert client.get(url).status_code == 200, url
    assert client.get(TWO_FACTOR)["Location"] == "/ja/account/"


def test_first_sign_in_sets_up_an_authenticator_with_a_server_drawn_qr_code(personas) -> None:
    user = staff_user_create(username="new_consultant", password=PASSWORD, role=Role.CONSULTANT)
    client = Client()
    assert sign_in(client, "new_consultant")["Location"] == TWO_FACTOR

    page = client.get(TWO_FACTOR).content.decode()
    assert re.search(r'class="qr"><svg', page), "the set-up page shows the QR code as inline SVG"
    assert "data:" not in page and " style=" not in page
    assert TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    assert client.get(TWO_FACTOR).status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1  # a reload keeps the same QR code
    secret_groups = page.split("<code>")[1].split("</code>")[0].split()
    assert len("".join(secret_groups)) == 32


def test_the_set_up_refuses_a_wrong_code_and_accepts_the_right_one(personas) -> None:
    user = staff_user_create(username="new_operator", password=PASSWORD, role=Role.OPERATOR)
    client = Client()
    sign_in(client, "new_operator")
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user)

    refused = client.post(TWO_FACTOR, {"code": wrong_code(device)})
    assert refused.status_code == 200 and 'class="errors"' in refused.content.decode()
    assert client.get("/ja/account/").status_code == 302
    forget_wrong_codes(device)

    accepted = client.post(TWO_FACTOR, {"code": current_code(device)})
    assert accepted.status_code == 302
    assert accepted["Location"] == navigation.start_url_for(user)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/ja/account/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert AuditEntry.objects.filter(action="two_factor.enable", actor_id=user.pk).exists()


def test_a_confirmed_device_asks_only_for_the_code(personas) -> None:
    client = Client()
    sign_in(client, "consultant")
    page = client.get(TWO_FACTOR).content.decode()
    assert 'class="qr"' not in page  # no QR code: the device is already set up
    device = TOTPDevice.objects.get(user=personas.consultant)
    response = client.post(TWO_FACTOR, {"code": current_code(device)})
    assert response["Location"] == "/ja/account/"
    assert client.get("/ja/account/").status_code == 200


def test_wrong_codes_are_throttled(personas) -> None:
    client = password_only_client(personas.consultant)
    device = TOTPDevice.objects.get(user=personas.consultant)
    client.post(TWO_FACTOR, {"code": wrong_code(device)})
    # Right away, even the right code is refused: django-otp makes the person wait.
    response = client.post("/en/account/two-factor/", {"code": current_code(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/ja/account/").status_code == 302


def test_the_code_must_be_six_digits(personas) -> None:
    client = password_only_client(personas.consultant)
    response = client.post("/en/account/two-factor/", {"code": "12ab56"})
    assert "The code has 6 digits." in response.content.decode()


def test_after_the_second_factor_they_return_to_where_they_were_going(personas) -> None:
    client = password_only_client(personas.operator)
    device = TOTPDevice.objects.get(user=personas.operator)
    response = client.post(f"{TWO_FACTOR}?next=/admin/", {"code": current_code(device)})
    assert response["Location"] == "/admin/"


def test_company_users_and_operators_start_on_their_own_pages() -> None:
    assert navigation.START_PAGES[Role.COMPANY] == "organizations:dashboard"
    assert navigation.START_PAGES[Role.OPERATOR] == "audit:list"


def test_a_start_page_that_does_not_exist_yet_falls_back_to_the_account_page(personas, monkeypatch) -> None:
    monkeypatch.setitem(navigation.START_PAGES, Role.COMPANY, "organizations:no_such_page")
    assert navigation.start_url_for(personas.admin_a) == reverse("accounts:home")


def test_the_admin_is_an_otp_admin_site() -> None:
    assert isinstance(admin.site, OTPAdminSite)


def test_the_admin_sends_strangers_to_koes_own_sign_in(personas) -> None:
    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/ja/account/login/?next=")


def test_the_admin_is_not_for_verified_non_operators(personas) -> None:
    assert verified_client(personas.consultant).get("/admin/", follow=True).status_code == 404
    worker = Client()
    worker.force_login(personas.worker)
    assert worker.get("/admin/", follow=True).status_code == 404


def test_the_admin_never_shows_a_workers_contact_details_and_audits_the_look(personas) -> None:
    from koe.accounts.services import worker_register

    lan = worker_register(
        username="lan", password="river-lantern-77", language="vi",
        email="lan.secret@example.com", phone="090-9999-0000", policy_version="v1",
    )  # fmt: skip
    client = verified_client(personas.operator)
    listing = client.get("/admin/accounts/workerprofile/").content.decode()
    detail = client.get(f"/admin/accounts/workerprofile/{lan.worker_profile.pk}/change/").content.decode()
    for html in (listing, detail):
        assert "lan.secret" not in html and "9999" not in html
    assert AuditEntry.objects.filter(
        action="admin.workerprofile.view", actor_id=personas.operator.pk
    ).exists()
    assert client.get("/admin/accounts/privacyconsent/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
