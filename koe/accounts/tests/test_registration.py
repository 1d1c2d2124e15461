"""A worker registers with a nickname, agrees to the privacy policy, and nothing else is required."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from koe.accounts import services
from koe.accounts.models import PrivacyConsent, Role, User, WorkerProfile
from koe.accounts.tests.helpers import STRONG_PASSWORD, registration_data
from koe.core.crypto import blind_index

pytestmark = pytest.mark.django_db


def register(client: Client, language: str = "ja", **overrides: object):
    return client.post(f"/{language}/account/register/", registration_data(**overrides))


def error_texts(html: str) -> list[str]:
    return re.findall(r'<(?:ul|div) class="errors"[^>]*>(.*?)</(?:ul|div)>', html, re.S)


def test_the_registration_page_explains_pseudonyms_and_links_the_privacy_policy() -> None:
    html = Client().get("/en/account/register/").content.decode()
    assert "Do not use your real name" in html
    assert 'href="/en/privacy/"' in html
    for name in ["日本語", "Tiếng Việt", "မြန်မာ", "नेपाली"]:
        assert name in html
    assert '<span lang="my">မြန်မာ</span>' in html


def test_the_language_defaults_to_the_page_language() -> None:
    html = Client().get("/ne/account/register/").content.decode()
    assert re.search(r'<input[^>]*value="ne"[^>]*checked', html)


def test_it_creates_a_worker_with_profile_and_consent_and_signs_them_in() -> None:
    client = Client()
    before = timezone.now()
    response = register(client, language="ja", nationality="other")
    after = timezone.now()

    user = User.objects.get(username="sakura_bird")
    assert user.role == Role.WORKER
    assert user.language == "vi"
    assert user.first_name == user.last_name == user.email == ""
    assert WorkerProfile.objects.get(user=user).nationality == "other"
    consent = PrivacyConsent.objects.get(user=user)
    assert consent.policy_version == settings.KOE_PRIVACY_POLICY_VERSION
    assert before <= consent.accepted_at <= after
    assert consent.language == "ja"  # the language the policy was read in
    assert int(client.session["_auth_user_id"]) == user.pk
    assert response.status_code == 302
    assert response["Location"] == "/vi/account/"


def test_it_stores_the_recovery_email_and_phone_encrypted_only() -> None:
    register(Client(), email="Lan.Nguyen@example.com", phone="+81 90-1234-5678")
    user = User.objects.get(username="sakura_bird")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recovery_email, recovery_phone, recovery_email_index FROM accounts_workerprofile"
            " WHERE user_id = %s",
            [user.pk],
        )
        raw_email, raw_phone, index = cursor.fetchone()
    assert raw_email.startswith("koe1:")
    assert "Lan.Nguyen" not in raw_email and "example.com" not in raw_email
    assert raw_phone.startswith("koe1:") and "1234" not in raw_phone
    assert index == blind_index("lan.nguyen@example.com", "recovery_email")
    assert WorkerProfile.objects.get(user=user).recovery_email == "Lan.Nguyen@example.com"
    assert not User.objects.filter(email__icontains="example.com").exists()


def test_it_refuses_to_register_without_consent_to_the_privacy_policy() -> None:
    response = register(Client(), consent=None)
    assert response.status_code == 200
    assert not User.objects.exists()
    assert error_texts(response.content.decode())


@pytest.mark.parametrize(
    "overrides",
    [
        {"password1": "short", "password2": "short"},
        {"password1": "password123", "password2": "password123"},
        {"password1": "12345678", "password2": "12345678"},
        {"password2": "something-else-entirely"},
        {"email": "not an address"},
        {"phone": "call me maybe"},
        {"username": "has space"},
    ],
)
def test_errors_show_in_the_page_language_and_keep_what_was_typed(overrides: dict[str, str]) -> None:
    # The Japanese text itself comes with the translations later; here the page must show our
    # error element, in a Japanese page, and keep the worker's input.
    response = register(Client(), language="ja", **{"username": "minh_2026", **overrides})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja"' in html
    assert error_texts(html)
    typed_name = overrides.get("username", "minh_2026")
    assert f'value="{typed_name}"' in html
    assert not User.objects.exists()


def test_password_errors_are_koe_strings_not_django_defaults() -> None:
    html = register(Client(), language="en", password1="password", password2="password").content.decode()
    assert "Use at least 8 characters." not in html  # "password" is 8 long: it is too common instead
    assert "This password is too common. Choose another." in html
    short = register(Client(), language="en", password1="abc12", password2="abc12").content.decode()
    assert "Use at least 8 characters." in short
    assert "This password is too short" not in short


def test_a_taken_user_name_gets_our_own_message_whatever_the_case() -> None:
    register(Client())
    response = register(Client(), language="en", username="SAKURA_bird")
    html = response.content.decode()
    assert "This user name is already taken. Choose another." in html
    assert User.objects.count() == 1


def test_the_service_refuses_a_taken_user_name() -> None:
    services.worker_register(username="lan", password=STRONG_PASSWORD, language="vi", policy_version="v1")
    with pytest.raises(services.UsernameTakenError):
        services.worker_register(username="Lan", password=STRONG_PASSWORD, language="vi", policy_version="v1")


def test_burmese_and_nepali_nicknames_are_accepted() -> None:
    register(Client(), language="my", username="မောင်မောင်")
    register(Client(), language="ne", username="बिष्णु")
    assert set(User.objects.values_list("username", flat=True)) == {"မောင်မောင်", "बिष्णु"}


def test_a_signed_in_worker_is_sent_to_their_account_page(personas) -> None:
    client = Client()
    client.force_login(personas.worker)
    assert client.get("/ja/account/register/")["Location"] == "/ja/account/"


def test_the_consent_time_is_now_not_a_default(personas) -> None:
    user = services.worker_register(
        username="aung", password=STRONG_PASSWORD, language="my", policy_version="2026-11-01"
    )
    consent = user.privacy_consents.get()
    assert abs(consent.accepted_at - timezone.now()) < timedelta(seconds=5)
    assert consent.language == "my"
