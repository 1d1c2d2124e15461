"""Translations for staff: cached only encrypted and under keys that do not reveal the text,
one request per page, and a provider that fails is left to rest instead of slowing every page."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from koe.translation.services import (
    translate_batch_for_staff,
    translate_for_staff,
    translate_pieces_for_staff,
)
from koe.translation.testing import FakeProvider

TEXT = "Chủ giữ hộ chiếu của tôi"


def provider_at(fake: FakeProvider) -> override_settings:
    return override_settings(
        KOE_TRANSLATION_PROVIDER="libretranslate", KOE_TRANSLATION_URL=fake.url, KOE_TRANSLATION_API_KEY=""
    )


def test_with_no_provider_there_is_no_translation() -> None:
    assert translate_for_staff(text=TEXT, source="vi", target="ja") is None


def test_a_translation_names_its_provider_and_languages(libretranslate: FakeProvider) -> None:
    with provider_at(libretranslate):
        translation = translate_for_staff(text=TEXT, source="vi", target="ja")
    assert translation is not None
    assert (translation.text, translation.source, translation.target) == (f"[ja] {TEXT}", "vi", "ja")
    assert translation.provider == "libretranslate"


def test_text_already_in_the_readers_language_is_not_sent(libretranslate: FakeProvider) -> None:
    with provider_at(libretranslate):
        assert translate_for_staff(text="こんにちは", source="ja", target="ja") is None
    assert libretranslate.received == []


def test_a_second_reading_comes_from_the_cache_without_asking_the_provider(
    libretranslate: FakeProvider,
) -> None:
    with provider_at(libretranslate):
        first = translate_for_staff(text=TEXT, source="vi", target="ja")
        again = translate_for_staff(text=TEXT, source="vi", target="ja")
    assert first == again
    assert len(libretranslate.received) == 1


def test_the_cache_holds_neither_the_text_nor_the_translation_in_clear(libretranslate: FakeProvider) -> None:
    with provider_at(libretranslate):
        translate_for_staff(text=TEXT, source="vi", target="ja")
    stored = dict(cache._cache)  # type: ignore[attr-defined]  # LocMemCache in tests
    assert stored, "the translation should have been cached"
    for key, value in stored.items():
        assert TEXT not in key
        assert TEXT.encode() not in value and TEXT.encode("utf-8") not in value
        assert b"koe1:" in value  # koe.core.crypto's ciphertext


def test_only_texts_not_yet_cached_are_sent_and_in_one_request(libretranslate: FakeProvider) -> None:
    with provider_at(libretranslate):
        translate_for_staff(text="one", source="vi", target="en")
        found = translate_batch_for_staff(texts=["one", "two", "three"], source="vi", target="en")
    assert [t.text if t else None for t in found] == ["[en] one", "[en] two", "[en] three"]
    assert [request.json["q"] for request in libretranslate.received] == [["one"], ["two", "three"]]


def test_a_provider_that_failed_rests_instead_of_being_asked_on_every_page(
    libretranslate: FakeProvider,
) -> None:
    libretranslate.status, libretranslate.body = 500, {"error": "down"}
    with provider_at(libretranslate):
        assert translate_for_staff(text=TEXT, source="vi", target="ja") is None
        libretranslate.status, libretranslate.body = 200, None
        assert translate_for_staff(text=TEXT, source="vi", target="ja") is None
    assert len(libretranslate.received) == 1


def test_a_language_the_provider_lacks_does_not_make_it_rest(deepl: FakeProvider) -> None:
    with override_settings(
        KOE_TRANSLATION_PROVIDER="deepl", KOE_TRANSLATION_URL=deepl.url, KOE_TRANSLATION_API_KEY="k"
    ):
        assert translate_for_staff(text="Kumusta", source="tl", target="ja") is None
        assert translate_for_staff(text=TEXT, source="vi", target="ja") is not None
    assert len(deepl.received) == 1


@pytest.mark.parametrize(
    ("pieces", "expected_source"),
    [
        ({"a": ("một", "vi"), "b": ("hai", "vi"), "c": ("three", "en")}, "vi"),
        ({"a": ("một", "vi"), "b": ("dua", "id"), "c": ("three", "en")}, "auto"),
    ],
)
def test_a_pages_pieces_go_in_one_request_and_those_in_the_readers_language_stay_home(
    libretranslate: FakeProvider, pieces: dict[str, tuple[str, str]], expected_source: str
) -> None:
    with provider_at(libretranslate):
        found = translate_pieces_for_staff(pieces, target="en")
    assert set(found) == {"a", "b"}
    [request] = libretranslate.received
    assert request.json["q"] == [pieces["a"][0], pieces["b"][0]]
    assert request.json["source"] == expected_source
