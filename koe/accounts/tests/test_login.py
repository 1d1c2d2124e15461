"""Signing in: one message for every failure, throttled per user name, staff on to the second step."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from koe.accounts import throttling
from koe.accounts.tests.helpers import sign_in
from koe.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

SMALL_LIMITS = {"KOE_LOGIN_FAILURE_LIMIT": 3, "KOE_LOGIN_LOCKOUT_SECONDS": 60}


class FakeClock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def non_field_errors(html: str) -> str:
    start = html.index('<div class="errors" role="alert">')
    return html[start : html.index("</div>", start)]


def test_a_worker_signs_in_and_lands_on_their_account_page_in_their_language(personas) -> None:
    client = Client()
    response = sign_in(client, "worker", language="ja")
    assert response.status_code == 302
    assert response["Location"] == "/vi/account/"  # the worker chose Vietnamese
    assert client.get("/vi/account/").status_code == 200


def test_a_worker_goes_to_a_safe_next_page_but_never_off_site(personas) -> None:
    client = Client()
    response = client.post(
        "/ja/account/login/?next=/ja/privacy/", {"username": "worker", "password": PASSWORD}
    )
    assert response["Location"] == "/ja/privacy/"
    other = Client().post(
        "/ja/account/login/", {"username": "worker", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert other["Location"] == "/vi/account/"


def test_the_user_name_is_not_case_sensitive_because_phones_capitalise(personas) -> None:
    response = sign_in(Client(), "Worker")
    assert response.status_code == 302


def test_staff_go_to_the_second_step_after_the_password(personas) -> None:
    client = Client()
    response = sign_in(client, "consultant")
    assert response["Location"] == "/ja/account/two-factor/"
    assert "_auth_user_id" in client.session


def test_unknown_user_and_wrong_password_get_the_same_message(personas) -> None:
    unknown = sign_in(Client(), "nobody-at-all", "whatever-password").content.decode()
    wrong = sign_in(Client(), "worker", "not-the-password").content.decode()
    assert non_field_errors(unknown) == non_field_errors(wrong)
    assert 'value="nobody-at-all"' in unknown


@override_settings(**SMALL_LIMITS)
def test_it_locks_a_user_name_after_too_many_failures_even_with_the_right_password(personas) -> None:
    for _attempt in range(3):
        sign_in(Client(), "worker", "wrong-password")
    client = Client()
    response = sign_in(client, "WORKER", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Wait 1 minute" in sign_in(Client(), "worker", PASSWORD, language="en").content.decode()


@override_settings(**SMALL_LIMITS)
def test_a_lock_on_one_user_name_does_not_touch_another(personas) -> None:
    for _attempt in range(3):
        sign_in(Client(), "worker", "wrong-password")
    assert sign_in(Client(), "consultant").status_code == 302


@override_settings(**SMALL_LIMITS)
def test_unknown_user_names_are_locked_exactly_like_known_ones(personas) -> None:
    for _attempt in range(3):
        sign_in(Client(), "ghost", "wrong-password")
    locked = sign_in(Client(), "ghost", "wrong-password", language="en").content.decode()
    assert "Too many wrong tries" in locked


@override_settings(**SMALL_LIMITS)
def test_a_successful_sign_in_resets_the_count(personas) -> None:
    for _attempt in range(2):
        sign_in(Client(), "worker", "wrong-password")
    assert sign_in(Client(), "worker").status_code == 302
    for _attempt in range(2):
        sign_in(Client(), "worker", "wrong-password")
    assert sign_in(Client(), "worker").status_code == 302


@override_settings(**SMALL_LIMITS)
def test_the_lock_ends_when_the_window_has_passed() -> None:
    clock = FakeClock()
    for _attempt in range(3):
        assert not throttling.login_is_locked("Lan", clock=clock)
        throttling.login_failure_record("Lan", clock=clock)
        clock.now += 5
    assert throttling.login_is_locked("lan", clock=clock)
    assert throttling.login_lock_remaining("lan", clock=clock) == 60 - 15
    clock.now += 44
    assert throttling.login_is_locked("lan", clock=clock)
    clock.now += 1
    assert not throttling.login_is_locked("lan", clock=clock)


@override_settings(**SMALL_LIMITS)
def test_failures_older_than_the_window_do_not_count() -> None:
    clock = FakeClock()
    throttling.login_failure_record("minh", clock=clock)
    throttling.login_failure_record("minh", clock=clock)
    clock.now += 61
    throttling.login_failure_record("minh", clock=clock)
    assert not throttling.login_is_locked("minh", clock=clock)


@override_settings(**SMALL_LIMITS)
def test_reset_clears_the_failures() -> None:
    clock = FakeClock()
    for _attempt in range(3):
        throttling.login_failure_record("minh", clock=clock)
    throttling.login_failures_reset("MINH")
    assert not throttling.login_is_locked("minh", clock=clock)


def test_the_cache_key_does_not_reveal_the_user_name() -> None:
    throttling.login_failure_record("distinctive-name-x9")
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]  # LocMemCache in tests
    assert keys
    assert all("distinctive" not in key for key in keys)


def test_logout_is_post_only_and_goes_home(personas) -> None:
    client = Client()
    client.force_login(personas.worker)
    assert client.get("/ja/account/logout/").status_code == 405
    response = client.post("/ja/account/logout/")
    assert response["Location"] == "/ja/"
    assert "_auth_user_id" not in client.session
