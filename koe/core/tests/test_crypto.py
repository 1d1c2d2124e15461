import pytest
from django.test import override_settings

from koe.core import crypto

OLD_KEY = "old:b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleSE="
NEW_KEY = "new:bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleSE="


def test_encrypted_text_round_trips_and_hides_the_plaintext() -> None:
    token = crypto.encrypt_text("給料が払われていません", "cases.Message.body")
    assert token.startswith("koe1:")
    assert "給料" not in token
    assert crypto.decrypt_text(token, "cases.Message.body") == "給料が払われていません"


def test_the_same_text_encrypts_differently_each_time() -> None:
    assert crypto.encrypt_text("same", "x") != crypto.encrypt_text("same", "x")


def test_a_ciphertext_moved_to_another_column_does_not_decrypt() -> None:
    token = crypto.encrypt_text("secret", "accounts.WorkerProfile.recovery_email")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token, "accounts.WorkerProfile.recovery_phone")


def test_an_altered_ciphertext_is_refused() -> None:
    token = crypto.encrypt_text("secret", "x")
    altered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(altered, "x")


def test_old_keys_still_decrypt_after_a_new_key_is_added_in_front() -> None:
    with override_settings(KOE_ENCRYPTION_KEYS=[OLD_KEY]):
        token = crypto.encrypt_text("kept", "x")
    with override_settings(KOE_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert crypto.decrypt_text(token, "x") == "kept"
        assert crypto.key_id_of(crypto.encrypt_text("kept", "x")) == "new"


def test_a_removed_key_means_the_value_cannot_be_read() -> None:
    with override_settings(KOE_ENCRYPTION_KEYS=[OLD_KEY]):
        token = crypto.encrypt_text("gone", "x")
    with override_settings(KOE_ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token, "x")


def test_blind_index_matches_regardless_of_case_and_spaces() -> None:
    assert crypto.blind_index(" Ana@Example.org ", "email") == crypto.blind_index("ana@example.org", "email")
    assert crypto.blind_index("ana@example.org", "email") != crypto.blind_index("ana@example.org", "phone")
