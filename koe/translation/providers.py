"""Machine-translation providers: what a consultant may read beside a worker's original words.

A provider translates a batch of texts in one HTTP request. Every failure (no provider, a language
the provider lacks, a timeout, an error status, an answer of the wrong shape) is one exception,
``TranslationUnavailable``, and the pages then show the original only. Only the standard library
speaks HTTP here: two small JSON APIs do not justify a dependency.

Logs name the provider and the status, never a text, a translation or the provider's error body
(which may quote the text).
"""

import ipaddress
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# A translation of a few messages is small; an answer far bigger than this is not one.
MAX_RESPONSE_BYTES = 2 * 1024 * 1024


class TranslationUnavailable(Exception):
    """No machine translation now: the page shows the original only."""


class ProviderFailed(TranslationUnavailable):
    """The provider did not answer, or answered with an error: it may be down for a while."""


class TranslationProvider(Protocol):
    name: str

    def translate(self, texts: list[str], source: str | None, target: str) -> list[str]:
        """The texts translated into ``target``, in order; ``source`` None means "detect"."""
        ...


class NoProvider:
    """The default: no text leaves Koe, staff read the original."""

    name = "none"

    def translate(self, texts: list[str], source: str | None, target: str) -> list[str]:
        raise TranslationUnavailable("no machine-translation provider is configured")


def post_json(
    provider: str, url: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
) -> Any:
    """POSTs JSON and returns the decoded answer, or raises TranslationUnavailable."""
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked in check_url
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        logger.warning("machine translation failed: provider=%s status=%s", provider, error.code)
        raise ProviderFailed(f"{provider} answered {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        logger.warning("machine translation failed: provider=%s status=%s", provider, type(error).__name__)
        raise ProviderFailed(f"{provider} did not answer") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise _bad_answer(provider)
    try:
        return json.loads(body)
    except ValueError:
        raise _bad_answer(provider) from None


def _bad_answer(provider: str) -> ProviderFailed:
    logger.warning("machine translation failed: provider=%s status=bad-answer", provider)
    return ProviderFailed(f"{provider} sent an answer Koe cannot read")


def _is_internal(host: str) -> bool:
    """This machine, a private address, or a bare service name (a container beside Koe)."""
    if host == "localhost" or (host and "." not in host and ":" not in host):
        return True
    try:
        return ipaddress.ip_address(host).is_private
    except ValueError:
        return False


def check_url(url: str) -> str:
    """Workers' words travel to the provider: only over HTTPS, or plain HTTP to a self-hosted
    server on this machine or network. urllib would also open file:// and ftp:// URLs."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if not (url.startswith("https://") or (url.startswith("http://") and _is_internal(host))):
        raise ImproperlyConfigured(
            "KOE_TRANSLATION_URL must be https://, or http:// to a server on this machine or network."
        )
    return url.rstrip("/")


def string_list(value: Any, count: int, provider: str) -> list[str]:
    if not isinstance(value, list) or len(value) != count or not all(isinstance(v, str) for v in value):
        raise _bad_answer(provider)
    return value


class LibreTranslateProvider:
    """A LibreTranslate server (https://libretranslate.com, or self-hosted: worker text then never
    leaves the operator's machines). ``q`` as a list translates a batch in one request."""

    name = "libretranslate"
    # LibreTranslate's own codes for Koe's languages where they differ. Argos models name
    # Chinese "zh" and (since 2025) Brazilian Portuguese "pb", which older servers lack: "pt"
    # works on all of them. Other languages are passed through: a self-hosted server may have
    # models installed for more languages than any list here knows, and it refuses the others
    # (HTTP 400, so the page shows the original).
    CODES = {"zh-hans": "zh", "pt-br": "pt"}

    def __init__(self, *, url: str, api_key: str = "", timeout: float = 3) -> None:
        self.url = check_url(url)
        self.api_key = api_key
        self.timeout = timeout

    def code(self, language: str) -> str:
        return self.CODES.get(language, language)

    def translate(self, texts: list[str], source: str | None, target: str) -> list[str]:
        payload: dict[str, Any] = {
            "q": texts,
            "source": self.code(source) if source else "auto",
            "target": self.code(target),
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = post_json(self.name, f"{self.url}/translate", payload, {}, self.timeout)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        return string_list(translated, len(texts), self.name)


class DeepLProvider:
    """DeepL's API (v2). Free-plan keys end in ":fx" and use another host."""

    name = "deepl"
    FREE_URL = "https://api-free.deepl.com"
    PRO_URL = "https://api.deepl.com"
    # DeepL's codes (developers.deepl.com, "Languages supported"); source and target codes differ
    # for Chinese, Portuguese and English. Vietnamese is text-only, through its next-gen models.
    # DeepL has no Tagalog, Burmese or Nepali: those are refused here, before any text is sent.
    SOURCE_CODES = {
        "ja": "JA", "en": "EN", "zh-hans": "ZH", "vi": "VI", "id": "ID", "pt-br": "PT", "es": "ES",
    }  # fmt: skip
    TARGET_CODES = {
        "ja": "JA", "en": "EN-US", "zh-hans": "ZH-HANS", "vi": "VI", "id": "ID", "pt-br": "PT-BR",
        "es": "ES",
    }  # fmt: skip

    def __init__(self, *, api_key: str, url: str = "", timeout: float = 3) -> None:
        if not api_key:
            raise ImproperlyConfigured("DeepL needs KOE_TRANSLATION_API_KEY.")
        default = self.FREE_URL if api_key.endswith(":fx") else self.PRO_URL
        self.url = check_url(url or default)
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, texts: list[str], source: str | None, target: str) -> list[str]:
        if target not in self.TARGET_CODES or (source and source not in self.SOURCE_CODES):
            raise TranslationUnavailable("DeepL does not translate this language")
        payload: dict[str, Any] = {"text": texts, "target_lang": self.TARGET_CODES[target]}
        if source:
            payload["source_lang"] = self.SOURCE_CODES[source]
        headers = {"Authorization": f"DeepL-Auth-Key {self.api_key}"}
        answer = post_json(self.name, f"{self.url}/v2/translate", payload, headers, self.timeout)
        items = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise _bad_answer(self.name)
        texts_back = [item.get("text") if isinstance(item, dict) else None for item in items]
        return string_list(texts_back, len(texts), self.name)


def get_provider() -> TranslationProvider:
    """The provider the settings name; NoProvider when none is configured."""
    name = settings.KOE_TRANSLATION_PROVIDER
    url, key, timeout = (
        settings.KOE_TRANSLATION_URL,
        settings.KOE_TRANSLATION_API_KEY,
        settings.KOE_TRANSLATION_TIMEOUT,
    )
    if name == "libretranslate":
        return LibreTranslateProvider(url=url, api_key=key, timeout=timeout)
    if name == "deepl":
        return DeepLProvider(url=url, api_key=key, timeout=timeout)
    if name:
        raise ImproperlyConfigured(f"Unknown KOE_TRANSLATION_PROVIDER {name!r}.")
    return NoProvider()
