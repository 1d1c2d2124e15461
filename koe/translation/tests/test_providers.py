"""The adapters against local servers speaking LibreTranslate's and DeepL's protocols: what Koe
sends, what it reads back, and that every failure means "no translation", never an error page."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from koe.translation.providers import (
    DeepLProvider,
    LibreTranslateProvider,
    NoProvider,
    TranslationUnavailable,
    get_provider,
)
from koe.translation.testing import FakeProvider

TEXTS = ["Chủ giữ hộ chiếu của tôi", "Tôi cần giúp đỡ"]


def libre(fake: FakeProvider, **options: object) -> LibreTranslateProvider:
    return LibreTranslateProvider(url=fake.url, **options)  # type: ignore[arg-type]


def deepl_at(fake: FakeProvider, api_key: str = "secret-key") -> DeepLProvider:
    return DeepLProvider(url=fake.url, api_key=api_key)


# LibreTranslate ----------------------------------------------------------------------------------


def test_libretranslate_sends_the_whole_batch_in_one_request_and_reads_it_back(
    libretranslate: FakeProvider,
) -> None:
    translated = libre(libretranslate, api_key="lt-key").translate(TEXTS, "vi", "ja")
    assert translated == [f"[ja] {text}" for text in TEXTS]
    [request] = libretranslate.received
    assert request.path == "/translate"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == {"q": TEXTS, "source": "vi", "target": "ja", "format": "text", "api_key": "lt-key"}


def test_libretranslate_is_asked_to_detect_the_language_when_koe_does_not_know_it(
    libretranslate: FakeProvider,
) -> None:
    libre(libretranslate).translate(TEXTS, None, "en")
    assert libretranslate.received[0].json == {"q": TEXTS, "source": "auto", "target": "en", "format": "text"}


def test_libretranslate_gets_its_own_codes_for_chinese_and_brazilian_portuguese(
    libretranslate: FakeProvider,
) -> None:
    libre(libretranslate).translate(["你好"], "zh-hans", "pt-br")
    sent = libretranslate.received[0].json
    assert (sent["source"], sent["target"]) == ("zh", "pt")


def test_a_language_the_libretranslate_server_lacks_means_no_translation(
    libretranslate: FakeProvider,
) -> None:
    libretranslate.status, libretranslate.body = 400, {"error": "my is not supported"}
    with pytest.raises(TranslationUnavailable):
        libre(libretranslate).translate(["မင်္ဂလာပါ"], "my", "ja")


# DeepL ----------------------------------------------------------------------------------------


def test_deepl_gets_the_key_in_its_header_and_the_batch_in_one_request(deepl: FakeProvider) -> None:
    translated = deepl_at(deepl).translate(TEXTS, "vi", "ja")
    assert translated == [f"[JA] {text}" for text in TEXTS]
    [request] = deepl.received
    assert request.path == "/v2/translate"
    assert request.headers["Authorization"] == "DeepL-Auth-Key secret-key"
    assert request.json == {"text": TEXTS, "target_lang": "JA", "source_lang": "VI"}


def test_deepl_gets_its_own_codes_which_differ_between_source_and_target(deepl: FakeProvider) -> None:
    deepl_at(deepl).translate(["Olá"], "pt-br", "zh-hans")
    deepl_at(deepl).translate(["你好"], "zh-hans", "pt-br")
    deepl_at(deepl).translate(["こんにちは"], None, "en")
    sent = [request.json for request in deepl.received]
    assert (sent[0]["source_lang"], sent[0]["target_lang"]) == ("PT", "ZH-HANS")
    assert (sent[1]["source_lang"], sent[1]["target_lang"]) == ("ZH", "PT-BR")
    assert "source_lang" not in sent[2] and sent[2]["target_lang"] == "EN-US"


@pytest.mark.parametrize(("source", "target"), [("tl", "ja"), ("my", "ja"), ("ne", "en"), ("vi", "tl")])
def test_deepl_is_never_sent_a_language_it_lacks(deepl: FakeProvider, source: str, target: str) -> None:
    with pytest.raises(TranslationUnavailable):
        deepl_at(deepl).translate(["text"], source, target)
    assert deepl.received == []


def test_deepl_free_keys_go_to_the_free_host_and_others_to_the_paid_one() -> None:
    assert DeepLProvider(api_key="abc:fx").url == "https://api-free.deepl.com"
    assert DeepLProvider(api_key="abc").url == "https://api.deepl.com"


def test_deepl_without_a_key_is_a_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured):
        DeepLProvider(api_key="")


# Failures, for both ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["libretranslate", "deepl"])
def test_a_server_error_means_no_translation(request: pytest.FixtureRequest, which: str) -> None:
    fake: FakeProvider = request.getfixturevalue(which)
    fake.status, fake.body = 500, {"error": "boom"}
    provider = libre(fake) if which == "libretranslate" else deepl_at(fake)
    with pytest.raises(TranslationUnavailable):
        provider.translate(TEXTS, "vi", "ja")


@pytest.mark.parametrize("which", ["libretranslate", "deepl"])
def test_a_server_too_slow_to_answer_means_no_translation(request: pytest.FixtureRequest, which: str) -> None:
    fake: FakeProvider = request.getfixturevalue(which)
    fake.delay = 1.0
    provider = LibreTranslateProvider(url=fake.url, timeout=0.2) if which == "libretranslate" else (
        DeepLProvider(url=fake.url, api_key="k", timeout=0.2)
    )  # fmt: skip
    with pytest.raises(TranslationUnavailable):
        provider.translate(TEXTS, "vi", "ja")


def test_a_server_that_cannot_be_reached_means_no_translation() -> None:
    with pytest.raises(TranslationUnavailable):
        LibreTranslateProvider(url="http://127.0.0.1:9", timeout=1).translate(TEXTS, "vi", "ja")


@pytest.mark.parametrize(
    "body", [{"translatedText": ["only one"]}, {"translatedText": "not a list"}, {"error": "?"}, ["x"]]
)
def test_an_answer_of_the_wrong_shape_means_no_translation(
    libretranslate: FakeProvider, body: object
) -> None:
    libretranslate.body = body
    with pytest.raises(TranslationUnavailable):
        libre(libretranslate).translate(TEXTS, "vi", "ja")


def test_a_failure_is_logged_with_the_provider_and_status_but_no_text(
    libretranslate: FakeProvider, caplog: pytest.LogCaptureFixture
) -> None:
    libretranslate.status, libretranslate.body = 500, {"error": f"cannot translate {TEXTS[0]}"}
    with caplog.at_level(logging.INFO), pytest.raises(TranslationUnavailable):
        libre(libretranslate, api_key="lt-key").translate(TEXTS, "vi", "ja")
    assert "provider=libretranslate status=500" in caplog.text
    assert TEXTS[0] not in caplog.text and "lt-key" not in caplog.text


def test_only_web_addresses_are_accepted_for_a_provider() -> None:
    with pytest.raises(ImproperlyConfigured):
        LibreTranslateProvider(url="file:///etc/passwd")


# Choosing the provider -----------------------------------------------------------------------------


def test_with_nothing_configured_there_is_no_provider_and_nothing_is_translated() -> None:
    provider = get_provider()
    assert isinstance(provider, NoProvider)
    with pytest.raises(TranslationUnavailable):
        provider.translate(TEXTS, "vi", "ja")


def test_workers_words_never_travel_over_plain_http_to_the_internet() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from koe.translation.providers import check_url

    assert check_url("https://api.example.com/") == "https://api.example.com"
    assert check_url("http://127.0.0.1:5000") and check_url("http://lt:5000") and check_url("http://10.0.0.7")
    with pytest.raises(ImproperlyConfigured):
        check_url("http://translate.example.com")
    with pytest.raises(ImproperlyConfigured):
        check_url("file:///etc/passwd")


@override_settings(KOE_TRANSLATION_PROVIDER="deepl", KOE_TRANSLATION_API_KEY="k", KOE_TRANSLATION_URL="")
def test_the_settings_choose_the_provider() -> None:
    assert isinstance(get_provider(), DeepLProvider)
    with override_settings(KOE_TRANSLATION_PROVIDER="libretranslate", KOE_TRANSLATION_URL="http://lt:5000"):
        assert isinstance(get_provider(), LibreTranslateProvider)
