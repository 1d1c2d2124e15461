"""Encryption at rest for worker free text, messages, contact details and files.

AES-256-GCM with keys from ``KOE_ENCRYPTION_KEYS`` (``id:base64key,...``; the first encrypts,
all decrypt, so keys rotate by prepending a new one and running ``rotate_encryption_keys``).
Each ciphertext names its key and is bound to where it is stored (the associated data), so a
value copied into another column or row type fails to decrypt instead of leaking.

Token format: ``koe1:<key id>:<base64url(nonce || ciphertext+tag)>``.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_PREFIX = "koe1"  # noqa: S105 - a format marker, not a secret
NONCE_BYTES = 12


class DecryptionError(Exception):
    pass


@cache
def _keys(raw_keys: tuple[str, ...]) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for entry in raw_keys:
        key_id, _sep, encoded = entry.partition(":")
        key = base64.b64decode(encoded)
        if not key_id or len(key) != 32:
            raise ImproperlyConfigured(
                "Each KOE_ENCRYPTION_KEYS entry must be 'id:base64' of 32 random bytes."
            )
        keys[key_id] = key
    return keys


def _configured_keys() -> dict[str, bytes]:
    return _keys(tuple(settings.KOE_ENCRYPTION_KEYS))


def primary_key_id() -> str:
    return next(iter(_configured_keys()))


def encrypt_bytes(plaintext: bytes, context: str) -> str:
    key_id = primary_key_id()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_configured_keys()[key_id]).encrypt(nonce, plaintext, context.encode())
    payload = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return f"{TOKEN_PREFIX}:{key_id}:{payload}"


def decrypt_bytes(token: str, context: str) -> bytes:
    try:
        prefix, key_id, payload = token.split(":", 2)
        key = _configured_keys()[key_id]
        raw = base64.urlsafe_b64decode(payload)
    except (ValueError, KeyError) as error:
        raise DecryptionError("not a Koe ciphertext, or its key is not configured") from error
    if prefix != TOKEN_PREFIX:
        raise DecryptionError("unknown ciphertext version")
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except Exception as error:  # InvalidTag: wrong key, wrong context or altered data
        raise DecryptionError("ciphertext does not authenticate") from error


def encrypt_text(plaintext: str, context: str) -> str:
    return encrypt_bytes(plaintext.encode("utf-8"), context)


def decrypt_text(token: str, context: str) -> str:
    return decrypt_bytes(token, context).decode("utf-8")


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def blind_index(value: str, purpose: str) -> str:
    """A keyed hash that lets Koe find a row by an encrypted value without decrypting all rows."""
    secret = hashlib.sha256(f"koe-blind-index:{settings.SECRET_KEY}".encode()).digest()
    message = f"{purpose}:{value.strip().casefold()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
