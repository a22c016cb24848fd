"""TokenCipher: AES-256-GCM round trip, row binding, tamper detection, key ids, rotation, no key material leaks."""

from __future__ import annotations

import base64
import os

import pytest

from adapters.crypto import KeyConfigError, TokenCipher, TokenDecryptError

K1 = base64.b64encode(os.urandom(32)).decode()
K2 = base64.urlsafe_b64encode(os.urandom(32)).decode()
REFRESH = "q3Zw-refresh-token-ÆØ-éèê/+=="


def test_round_trip_and_random_nonce() -> None:
    cipher = TokenCipher.from_setting(f"k1:{K1}")
    first, second = cipher.encrypt(REFRESH, aad=b"character:1"), cipher.encrypt(REFRESH, aad=b"character:1")
    assert first != second and REFRESH not in first
    assert cipher.decrypt(first, aad=b"character:1") == cipher.decrypt(second, aad=b"character:1") == REFRESH
    assert "=" not in first and "+" not in first and "/" not in first  # base64url, no padding
    assert cipher.key_id_of(first) == "k1"


def test_ciphertext_is_bound_to_its_row() -> None:
    cipher = TokenCipher.from_setting(f"k1:{K1}")
    stored_for_1 = cipher.encrypt(REFRESH, aad=b"character:1")
    with pytest.raises(TokenDecryptError, match="another row"):
        cipher.decrypt(stored_for_1, aad=b"character:2")


@pytest.mark.parametrize("index", [0, 1, 3, 5, 20, -1])
def test_any_flipped_byte_is_detected(index: int) -> None:
    cipher = TokenCipher.from_setting(f"k1:{K1}")
    blob = bytearray(base64.urlsafe_b64decode(cipher.encrypt(REFRESH, aad=b"r") + "=="))
    blob[index] ^= 0x01
    tampered = base64.urlsafe_b64encode(bytes(blob)).rstrip(b"=").decode()
    with pytest.raises(TokenDecryptError):
        cipher.decrypt(tampered, aad=b"r")


@pytest.mark.parametrize("garbage", ["", "!!!", "AQ", base64.urlsafe_b64encode(b"\x01\x02k1short").decode()])
def test_garbage_is_a_decrypt_error(garbage: str) -> None:
    with pytest.raises(TokenDecryptError):
        TokenCipher.from_setting(f"k1:{K1}").decrypt(garbage, aad=b"r")


def test_unknown_key_id() -> None:
    old = TokenCipher.from_setting(f"k0:{K2}").encrypt(REFRESH, aad=b"r")
    with pytest.raises(TokenDecryptError, match=r"'k0'.*not configured"):
        TokenCipher.from_setting(f"k1:{K1}").decrypt(old, aad=b"r")


def test_rotation_to_a_new_key() -> None:
    before = TokenCipher.from_setting(f"k1:{K1}")
    stored = before.encrypt(REFRESH, aad=b"character:7")
    after = TokenCipher.from_setting(f"k2:{K2},k1:{K1}")
    assert after.key_ids == ("k2", "k1") and after.newest_key_id == "k2"
    assert after.decrypt(stored, aad=b"character:7") == REFRESH  # old rows still readable
    assert after.needs_rotation(stored)
    rotated = after.rotate(stored, aad=b"character:7")
    assert after.key_id_of(rotated) == "k2" and not after.needs_rotation(rotated)
    assert after.rotate(rotated, aad=b"character:7") == rotated
    assert TokenCipher.from_setting(f"k2:{K2}").decrypt(rotated, aad=b"character:7") == REFRESH
    with pytest.raises(TokenDecryptError):
        after.rotate(stored, aad=b"character:8")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "no key"),
        (" , ", "no key"),
        (f"k1:{K1},k1:{K2}", "twice"),
        (f"{K1}", "form"),
        ("k1:", "form"),
        ("k1:not*base64!", "not valid base64"),
        (f"k1:{base64.b64encode(b'x' * 16).decode()}", "16 bytes"),
        (f"bad id:{K1}", "key id"),
    ],
)
def test_bad_settings_fail_clearly_without_key_material(setting: str, message: str) -> None:
    with pytest.raises(KeyConfigError, match=message) as caught:
        TokenCipher.from_setting(setting)
    assert K1 not in str(caught.value) and K2 not in str(caught.value)
    error = caught.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)  # no chained detail


def test_keys_never_in_repr_or_errors() -> None:
    cipher = TokenCipher.from_setting(f"k2:{K2},k1:{K1}")
    assert repr(cipher) == "TokenCipher(key_ids=['k2', 'k1'])"
    with pytest.raises(TokenDecryptError) as caught:
        cipher.decrypt(cipher.encrypt(REFRESH, aad=b"a"), aad=b"b")
    assert K1 not in str(caught.value) and REFRESH not in str(caught.value)


def test_new_key_entry_is_usable() -> None:
    entry = TokenCipher.new_key_entry("k9")
    cipher = TokenCipher.from_setting(f"{entry},k1:{K1}")
    assert cipher.newest_key_id == "k9"
    assert cipher.decrypt(cipher.encrypt("x", aad=b""), aad=b"") == "x"
