"""The browser's side of RFC 8291: its P-256 key pair and auth secret, and aes128gcm decryption (RFC 8188).

Written from the RFCs with `cryptography` only, independently of the sender's libraries, so a test that decrypts
what the sender posted checks the sender against the standard rather than against itself.
"""

from __future__ import annotations

import base64
import os
import struct
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HEADER = 16 + 4 + 1  # salt, record size, key id length


class DecryptError(ValueError):
    """The body is not a valid aes128gcm message for these keys."""


def b64url(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass(frozen=True)
class BrowserKeys:
    """What a browser keeps for one subscription: its ECDH key pair (p256dh) and the 16-byte auth secret."""

    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    auth_secret: bytes = field(repr=False)

    @classmethod
    def generate(cls) -> BrowserKeys:
        """New keys, as PushManager.subscribe() makes them."""
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        """The public key as the subscription's keys.p256dh."""
        return b64url(_point(self.private_key.public_key()))

    @property
    def auth(self) -> str:
        """The secret as the subscription's keys.auth."""
        return b64url(self.auth_secret)


def decrypt(body: bytes, keys: BrowserKeys) -> bytes:
    """The plaintext of an aes128gcm push message (RFC 8291 section 3.4, RFC 8188 section 2)."""
    if len(body) < HEADER:
        raise DecryptError("body shorter than the aes128gcm header")
    salt, (rs,), idlen = body[:16], struct.unpack("!I", body[16:20]), body[20]
    if idlen != 65 or rs < 18:
        raise DecryptError("the key id must be the sender's 65-byte public key and rs at least 18")
    sender_point = body[HEADER : HEADER + idlen]
    try:
        sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_point)
    except ValueError:
        raise DecryptError("the key id is not a P-256 point") from None
    shared = keys.private_key.exchange(ec.ECDH(), sender)
    key_info = b"WebPush: info\x00" + _point(keys.private_key.public_key()) + sender_point
    ikm = _hkdf(keys.auth_secret, shared, key_info, 32)
    cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    records, data = [], body[HEADER + idlen :]
    for seq, start in enumerate(range(0, len(data), rs)):
        iv = (int.from_bytes(nonce, "big") ^ seq).to_bytes(12, "big")
        try:
            records.append(AESGCM(cek).decrypt(iv, data[start : start + rs], None))
        except Exception:
            raise DecryptError("authentication failed: wrong keys or a corrupted record") from None
    if not records:
        raise DecryptError("no records")
    plain = b""
    for index, record in enumerate(records):
        stripped = record.rstrip(b"\x00")
        last = index == len(records) - 1
        if not stripped or stripped[-1] != (2 if last else 1):
            raise DecryptError("bad padding delimiter")
        plain += stripped[:-1]
    return plain
