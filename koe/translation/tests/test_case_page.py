"""The consultant's case page: the worker's words always, and beside them a machine translation
marked as such when a provider is configured and answers; with none, or with one that fails, the
page is the same as without translation."""

import pytest
from django.test import override_settings

from koe.cases.models import Case
from koe.cases.testing import desk_case
from koe.core.testing.personas import Personas, verified_client
from koe.translation.testing import FakeProvider

pytestmark = pytest.mark.django_db

LABEL = "Machine translation (may be wrong)"


def case_page(personas: Personas, case: Case, language: str = "en") -> str:
    client = verified_client(personas.consultant)
    response = client.get(f"/{language}/desk/cases/{case.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def with_libretranslate(fake: FakeProvider, timeout: float = 3) -> override_settings:
    return override_settings(
        KOE_TRANSLATION_PROVIDER="libretranslate", KOE_TRANSLATION_URL=fake.url,
        KOE_TRANSLATION_API_KEY="", KOE_TRANSLATION_TIMEOUT=timeout,
    )  # fmt: skip


def test_with_no_provider_the_page_shows_the_original_and_no_translation(personas: Personas) -> None:
    html = case_page(personas, desk_case(personas))
    assert "My employer keeps my passport" in html and "Can you help me?" in html
    assert LABEL not in html


def test_with_a_provider_the_workers_words_come_with_a_marked_translation(
    personas: Personas, libretranslate: FakeProvider
) -> None:
    case = desk_case(personas)
    with with_libretranslate(libretranslate):
        html = case_page(personas, case)
    assert html.count(LABEL) == 2  # the account and the worker's message; not the desk's reply
    assert '<blockquote lang="vi">My employer keeps my passport</blockquote>' in html
    assert '<blockquote lang="en">[en] My employer keeps my passport</blockquote>' in html
    assert '<blockquote lang="en">[en] Can you help me?</blockquote>' in html
    assert "[en] We will call you tonight." not in html


def test_the_whole_page_is_translated_in_one_request(
    personas: Personas, libretranslate: FakeProvider
) -> None:
    case = desk_case(personas)
    with with_libretranslate(libretranslate):
        case_page(personas, case)
    [request] = libretranslate.received
    assert request.json["q"] == ["My employer keeps my passport", "Can you help me?"]
    assert (request.json["source"], request.json["target"]) == ("vi", "en")


def test_a_consultant_reading_in_the_workers_language_gets_no_translation(
    personas: Personas, libretranslate: FakeProvider
) -> None:
    case = desk_case(personas)
    with with_libretranslate(libretranslate):
        html = case_page(personas, case, language="vi")
    assert libretranslate.received == []
    assert "My employer keeps my passport" in html


def test_when_the_provider_fails_the_page_shows_the_original(
    personas: Personas, libretranslate: FakeProvider
) -> None:
    libretranslate.status, libretranslate.body = 500, {"error": "down"}
    case = desk_case(personas)
    with with_libretranslate(libretranslate):
        html = case_page(personas, case)
    assert "My employer keeps my passport" in html
    assert LABEL not in html


def test_when_the_provider_is_too_slow_the_page_shows_the_original(
    personas: Personas, libretranslate: FakeProvider
) -> None:
    libretranslate.delay = 1.0
    case = desk_case(personas)
    with with_libretranslate(libretranslate, timeout=0.2):
        html = case_page(personas, case)
    assert "My employer keeps my passport" in html
    assert LABEL not in html
