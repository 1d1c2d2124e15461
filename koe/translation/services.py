"""Machine translation for desk staff: the original always, a translation beside it when a
provider is configured and answers.

Translations are cached, because every view of a case page would otherwise send the worker's words
to the provider again. A translation is as personal as the original, so the cache holds it only
encrypted (koe.core.crypto, bound to its cache key), under a key that is a keyed hash of the text:
neither a cache dump nor its key list reveals what a worker wrote, and without Koe's secret key
nobody can confirm a guess of it. Entries expire (KOE_TRANSLATION_CACHE_SECONDS), so a deleted
message's translation does not outlive it for long.

When the provider fails (timeout, error status), it rests for a minute: the case page would
otherwise wait for the timeout on every view while the provider is down.
"""

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model

from koe.core.crypto import DecryptionError, decrypt_text, encrypt_text
from koe.translation.providers import (
    NoProvider,
    ProviderFailed,
    TranslationProvider,
    TranslationUnavailable,
    get_provider,
)

REST_SECONDS = 60


@dataclass(frozen=True)
class MachineTranslation:
    text: str
    source: str | None  # the language asked for; None when the provider detected it
    target: str
    provider: str


def translate_for_staff(*, text: str, source: str | None, target: str) -> MachineTranslation | None:
    """``text`` in ``target``, or None: no provider, same language, or the provider failed."""
    return translate_batch_for_staff(texts=[text], source=source, target=target)[0]


def translate_batch_for_staff(
    *, texts: list[str], source: str | None, target: str
) -> list[MachineTranslation | None]:
    """Each text in ``target`` (None where there is none), with one request for all that are not
    cached."""
    provider = get_provider()
    if isinstance(provider, NoProvider) or source == target or cache.get(_rest_key(provider)):
        return [None] * len(texts)
    keys = [_cache_key(provider.name, source, target, text) for text in texts]
    known = _cached(keys)
    wanted = [i for i, key in enumerate(keys) if key not in known and texts[i].strip()]
    if wanted:
        known |= _fetch(provider, [texts[i] for i in wanted], [keys[i] for i in wanted], source, target)
    return [
        MachineTranslation(known[key], source, target, provider.name) if key in known else None
        for key in keys
    ]


def translate_pieces_for_staff(
    pieces: Mapping[str, tuple[str, str]], *, target: str
) -> dict[str, MachineTranslation]:
    """Translations of ``{name: (text, language)}`` into ``target`` for the pieces of one page
    whose language differs from it, in one request. Pieces in several languages go together with
    the source left for the provider to detect."""
    foreign = {name: piece for name, piece in pieces.items() if piece[1] != target and piece[0].strip()}
    if not foreign:
        return {}
    languages = {language for _text, language in foreign.values()}
    source = languages.pop() if len(languages) == 1 else None
    names = list(foreign)
    found = translate_batch_for_staff(
        texts=[foreign[name][0] for name in names], source=source, target=target
    )
    return {name: translation for name, translation in zip(names, found, strict=True) if translation}


def _fetch(
    provider: TranslationProvider, texts: list[str], keys: list[str], source: str | None, target: str
) -> dict[str, str]:
    try:
        translated = provider.translate(texts, source, target)
    except ProviderFailed:
        cache.set(_rest_key(provider), True, REST_SECONDS)
        return {}
    except TranslationUnavailable:
        return {}
    fresh = dict(zip(keys, translated, strict=True))
    ttl = settings.KOE_TRANSLATION_CACHE_SECONDS
    cache.set_many({key: encrypt_text(text, _context(key)) for key, text in fresh.items()}, ttl)
    return fresh


def _cached(keys: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, token in cache.get_many(keys).items():
        try:
            found[key] = decrypt_text(token, _context(key))
        except DecryptionError:  # its key was retired, or the entry was tampered with
            continue
    return found


def _cache_key(provider: str, source: str | None, target: str, text: str) -> str:
    secret = hashlib.sha256(f"koe-translation-cache:{settings.SECRET_KEY}".encode()).digest()
    message = "\x00".join((provider, source or "", target, text)).encode()
    return "koe:mt:" + hmac.new(secret, message, hashlib.sha256).hexdigest()


def _context(key: str) -> str:
    return f"translation.cache:{key}"


def _rest_key(provider: TranslationProvider) -> str:
    return f"koe:mt-resting:{provider.name}"


def piece_name(obj: Model, field: str) -> str:
    """How a page names one translated field of one row, e.g. ``cases.message:12:body``."""
    return f"{obj._meta.label_lower}:{obj.pk}:{field}"
