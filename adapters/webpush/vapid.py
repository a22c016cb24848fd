"""VAPID keys (RFC 8292): a P-256 key pair; VAPID_PRIVATE_KEY holds the private key as base64url of its 32 bytes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02

from core.alerts.webpush import SubscriptionInvalid, b64url, b64url_decode

TOKEN_LIFETIME_S = 12 * 3600  # RFC 8292: at most 24 hours


class VapidError(ValueError):
    """VAPID_PRIVATE_KEY or VAPID_SUBJECT is unusable (the message never contains the key)."""


@dataclass(frozen=True)
class VapidKey:
    """The server's VAPID identity: its key pair and the contact (subject) push services see."""

    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    subject: str

    @classmethod
    def from_setting(cls, private_key: str, subject: str) -> VapidKey:
        """Parse VAPID_PRIVATE_KEY (base64url, 32 bytes) with VAPID_SUBJECT (mailto: or https:)."""
        if not subject.startswith(("mailto:", "https://")):
            raise VapidError("VAPID_SUBJECT must be a mailto: address or an https: URL")
        try:
            raw = b64url_decode(private_key.strip())
        except SubscriptionInvalid:
            raise VapidError("VAPID_PRIVATE_KEY is not base64url") from None
        if len(raw) != 32:
            raise VapidError("VAPID_PRIVATE_KEY must be 32 bytes (run `evetrader keys vapid`)")
        try:
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
        except ValueError:
            raise VapidError("VAPID_PRIVATE_KEY is not a P-256 private key") from None
        return cls(key, subject)

    @property
    def public_key(self) -> str:
        """The application server key browsers subscribe with: the uncompressed public point, base64url."""
        point = self.private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return b64url(point)

    @property
    def private_setting(self) -> str:
        """The private key as VAPID_PRIVATE_KEY holds it."""
        return b64url(self.private_key.private_numbers().private_value.to_bytes(32, "big"))

    def authorization(self, audience: str, now: float | None = None) -> str:
        """The Authorization header for a push service origin: `vapid t=<JWT>, k=<public key>`."""
        claims = {"aud": audience, "sub": self.subject, "exp": int(now or time.time()) + TOKEN_LIFETIME_S}
        return str(Vapid02(self.private_key).sign(claims)["Authorization"])


def new_vapid_key(subject: str = "mailto:admin@example.org") -> VapidKey:
    """A fresh key pair (`evetrader keys vapid`)."""
    return VapidKey(ec.generate_private_key(ec.SECP256R1()), subject)
