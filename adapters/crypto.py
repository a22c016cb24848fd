"""Refresh tokens at rest: AES-256-GCM with key ids in the ciphertext, keys from ENCRYPTION_KEYS, rotation."""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class KeyConfigError(ValueError):
    """ENCRYPTION_KEYS is unusable; the message names the entry, never its key material."""


class TokenDecryptError(Exception):
    """A stored ciphertext cannot be decrypted: malformed, unknown key id, tampered or bound to another row."""


def _b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _decode_key(key_id: str, encoded: str, position: int) -> bytes:
    """The 32 raw bytes of one key entry (standard or URL-safe base64)."""
    cleaned = encoded.strip()
    try:
        raw = base64.b64decode(cleaned.replace("-", "+").replace("_", "/") + "=" * (-len(cleaned) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigError(f"ENCRYPTION_KEYS entry {position} (id {key_id!r}) is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyConfigError(
            f"ENCRYPTION_KEYS entry {position} (id {key_id!r}) decodes to {len(raw)} bytes; AES-256 needs {KEY_BYTES}"
        )
    return raw


class TokenCipher:
    """Encrypts short secrets under the newest key; decrypts under whichever key id a ciphertext names."""

    def __init__(self, keys: Iterable[tuple[str, bytes]]) -> None:
        """`keys` as (key id, 32 raw bytes), newest first."""
        self._keys: dict[str, AESGCM] = {}
        for key_id, raw in keys:
            if not _KEY_ID_RE.match(key_id):
                raise KeyConfigError(f"encryption key id {key_id!r} must be 1-32 characters of [A-Za-z0-9_-]")
            if key_id in self._keys:
                raise KeyConfigError(f"encryption key id {key_id!r} appears twice")
            if len(raw) != KEY_BYTES:
                raise KeyConfigError(f"encryption key {key_id!r} must be {KEY_BYTES} bytes")
            self._keys[key_id] = AESGCM(raw)
        if not self._keys:
            raise KeyConfigError("ENCRYPTION_KEYS holds no key: set at least one `keyid:base64-of-32-bytes`")
        self.newest_key_id = next(iter(self._keys))

    @classmethod
    def from_setting(cls, setting: str) -> TokenCipher:
        """Parse ENCRYPTION_KEYS: comma-separated `keyid:base64-of-32-bytes` pairs, newest first."""
        entries = [entry.strip() for entry in (setting or "").split(",") if entry.strip()]
        keys: list[tuple[str, bytes]] = []
        for position, entry in enumerate(entries, start=1):
            key_id, sep, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not sep or not key_id or not encoded.strip():
                raise KeyConfigError(f"ENCRYPTION_KEYS entry {position} is not of the form keyid:base64-of-32-bytes")
            keys.append((key_id, _decode_key(key_id, encoded, position)))
        return cls(keys)

    @staticmethod
    def new_key_entry(key_id: str) -> str:
        """A fresh `keyid:base64` entry to put first in ENCRYPTION_KEYS (then run `evetrader keys rotate`)."""
        if not _KEY_ID_RE.match(key_id):
            raise KeyConfigError(f"encryption key id {key_id!r} must be 1-32 characters of [A-Za-z0-9_-]")
        return f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode('ascii')}"

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The configured key ids, newest first."""
        return tuple(self._keys)

    def __repr__(self) -> str:
        return f"TokenCipher(key_ids={list(self._keys)!r})"

    def encrypt(self, plaintext: str, *, aad: bytes) -> str:
        """base64url(version | key id length | key id | nonce | ciphertext+tag) under the newest key."""
        header = bytes([FORMAT_VERSION, len(self.newest_key_id)]) + self.newest_key_id.encode("ascii")
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._keys[self.newest_key_id].encrypt(nonce, plaintext.encode("utf-8"), header + aad)
        return _b64url_encode(header + nonce + sealed)

    def decrypt(self, token: str, *, aad: bytes) -> str:
        """The plaintext of `token`, which must have been encrypted with the same `aad`."""
        header, key_id, nonce, sealed = self._split(token)
        key = self._keys.get(key_id)
        if key is None:
            raise TokenDecryptError(f"ciphertext names encryption key {key_id!r}, which is not configured")
        try:
            plaintext = key.decrypt(nonce, sealed, header + aad)
        except InvalidTag:
            raise TokenDecryptError("ciphertext failed authentication (tampered, or stored for another row)") from None
        return plaintext.decode("utf-8")

    def key_id_of(self, token: str) -> str:
        """The key id a ciphertext was made with."""
        return self._split(token)[1]

    def needs_rotation(self, token: str) -> bool:
        """True when `token` is not under the newest key."""
        return self.key_id_of(token) != self.newest_key_id

    def rotate(self, token: str, *, aad: bytes) -> str:
        """`token` re-encrypted under the newest key (unchanged when it already is)."""
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, aad=aad), aad=aad)

    def _split(self, token: str) -> tuple[bytes, str, bytes, bytes]:
        try:
            blob = _b64url_decode(token)
        except (binascii.Error, ValueError, TypeError):
            raise TokenDecryptError("ciphertext is not base64url") from None
        if len(blob) < 2 or blob[0] != FORMAT_VERSION:
            raise TokenDecryptError("ciphertext has an unknown format version")
        end = 2 + blob[1]
        if len(blob) < end + NONCE_BYTES + TAG_BYTES:
            raise TokenDecryptError("ciphertext is truncated")
        key_id = blob[2:end].decode("ascii", errors="replace")
        return blob[:end], key_id, blob[end : end + NONCE_BYTES], blob[end + NONCE_BYTES :]
