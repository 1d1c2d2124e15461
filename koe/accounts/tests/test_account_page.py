"""The account page: a worker's preferences, consent, their data to download, and deletion."""

import json
import re

import pytest
from django.test import Client

from koe.accounts.models import PrivacyConsent, User, WorkerProfile
from koe.accounts.services import worker_register
from koe.accounts.tests.helpers import STRONG_PASSWORD
from koe.core.testing.personas import verified_client

pytestmark = pytest.mark.django_db


def make_worker(username: str, email: str = "", phone: str = "") -> User:
    return worker_register(
        username=username, password=STRONG_PASSWORD, language="vi", email=email, phone=phone,
        nationality="vn", policy_version="2026-11-01",
    )  # fmt: skip


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_account_page_asks_strangers_to_sign_in() -> None:
    response = Client().get("/ja/account/")
    assert response["Location"] == "/ja/account/login/?next=/ja/account/"


def test_a_worker_sees_their_name_language_and_consent_but_not_their_contact_details() -> None:
    lan = make_worker("lan", email="lan.secret@example.com")
    html = client_for(lan).get("/en/account/").content.decode()
    assert "lan" in html
    assert "version 2026-11-01" in html
    assert "lan.secret" not in html  # someone looking over the shoulder learns nothing
    assert re.search(r'<input[^>]*value="vi"[^>]*checked', html)
    assert 'href="/en/account/my-data/"' in html and 'href="/en/account/delete/"' in html
    assert 'id="quick-exit"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_staff_see_their_role_organisation_and_two_factor_status_on_the_staff_layout(personas) -> None:
    html = verified_client(personas.admin_a).get("/en/account/").content.decode()
    assert "Sakura Foods" in html
    assert "Company user" in html
    assert "this session was confirmed" in html
    assert 'class="staff"' in html
    assert 'id="quick-exit"' not in html


def test_changing_the_language_saves_it_and_shows_the_page_in_it() -> None:
    lan = make_worker("lan")
    client = client_for(lan)
    response = client.post("/ja/account/language/", {"language": "ne"})
    assert response["Location"] == "/ne/account/"
    lan.refresh_from_db()
    assert lan.language == "ne"
    refused = client.post("/ja/account/language/", {"language": "xx"})
    assert refused.status_code == 302
    lan.refresh_from_db()
    assert lan.language == "ne"


def test_the_export_holds_the_workers_own_data_decrypted_and_nobody_elses() -> None:
    lan = make_worker("lan", email="lan.secret@example.com", phone="090-1111-2222")
    make_worker("minh", email="minh.other@example.com")
    response = client_for(lan).get("/ja/account/my-data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["username"] == "lan"
    assert data["profile"]["recovery_email"] == "lan.secret@example.com"
    assert data["profile"]["recovery_phone"] == "090-1111-2222"
    assert data["profile"]["nationality"] == "vn"
    assert data["privacy_consents"][0]["policy_version"] == "2026-11-01"
    text = response.content.decode()
    assert "minh" not in text
    assert "password" not in text and lan.password not in text


def test_the_export_and_deletion_are_for_workers_only(personas) -> None:
    client = verified_client(personas.consultant)
    assert client.get("/ja/account/my-data/").status_code == 404
    assert client.get("/ja/account/delete/").status_code == 404


def test_deleting_asks_for_confirmation_with_a_clear_warning() -> None:
    lan = make_worker("lan")
    html = client_for(lan).get("/en/account/delete/").content.decode()
    assert "This cannot be undone." in html
    assert 'method="post"' in html
    assert User.objects.filter(pk=lan.pk).exists()


def test_a_wrong_password_deletes_nothing() -> None:
    lan = make_worker("lan")
    response = client_for(lan).post("/ja/account/delete/", {"password": "not-my-password"})
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    assert User.objects.filter(pk=lan.pk).exists()


def test_deleting_removes_the_account_profile_and_consents_and_signs_out() -> None:
    lan = make_worker("lan", email="lan.secret@example.com")
    minh = make_worker("minh")
    client = client_for(lan)
    response = client.post("/ja/account/delete/", {"password": STRONG_PASSWORD})
    assert response["Location"] == "/ja/"
    assert not User.objects.filter(username="lan").exists()
    assert not WorkerProfile.objects.filter(user_id=lan.pk).exists()
    assert not PrivacyConsent.objects.filter(user_id=lan.pk).exists()
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(pk=minh.pk).exists()
