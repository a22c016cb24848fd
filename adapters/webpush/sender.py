"""The web push AlertSender: an alert as an RFC 8291 (aes128gcm) encrypted notification, signed with VAPID (RFC 8292),
posted to the subscription's push service (RFC 8030); the service's answer turned into a delivery outcome."""

from __future__ import annotations

import email.utils
import logging
import urllib.parse
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Protocol

import aiohttp
import http_ece
from cryptography.hazmat.primitives.asymmetric import ec

from adapters.webpush.vapid import VapidKey
from core.alerts.delivery import (
    AlertText,
    Delivered,
    RateLimited,
    Rejected,
    SendOutcome,
    TargetGone,
    TransientFailure,
)
from core.alerts.model import AlertTarget, TargetKind
from core.alerts.webpush import PLATFORM, PushSubscription, StoredSubscription, b64url_decode, notification_payload

log = logging.getLogger(__name__)
TTL_S = 12 * 3600  # how long the push service keeps an alert for a browser that is offline
DEFAULT_RETRY_AFTER_S = 60.0
GONE = "the browser's push subscription expired or was revoked"


class SubscriptionStore(Protocol):
    """What the sender needs of the stored subscriptions."""

    async def get(self, subscription_id: int) -> StoredSubscription | None:
        """One subscription by id, None when it is gone."""
        ...

    async def expire(self, subscription_id: int) -> None:
        """Forget a subscription the push service no longer knows."""
        ...


def retry_after(value: str | None, now: datetime | None = None) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); a minute when absent or unreadable."""
    if not value:
        return DEFAULT_RETRY_AFTER_S
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER_S
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def encrypt(subscription: PushSubscription, payload: bytes) -> bytes:
    """The aes128gcm body for one subscription (RFC 8291: a fresh ECDH key and salt per message)."""
    return bytes(
        http_ece.encrypt(
            payload,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            dh=b64url_decode(subscription.p256dh),
            auth_secret=b64url_decode(subscription.auth),
            version="aes128gcm",
        )
    )


def audience(endpoint: str) -> str:
    """The VAPID audience of an endpoint: its origin."""
    parts = urllib.parse.urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def outcome_of_status(status: int, headers: Mapping[str, str]) -> SendOutcome:
    """A delivery outcome for a push service's answer (RFC 8030 section 5 and 8.3)."""
    if status in (200, 201, 202):
        return Delivered(None)
    if status == 429:
        return RateLimited(retry_after(headers.get("Retry-After")), "the push service asked us to slow down")
    if status in (404, 410):
        return TargetGone(GONE)
    if status == 413:
        return Rejected("the notification was too large for the push service")
    if status >= 500:
        return TransientFailure(f"push service unavailable ({status})")
    return Rejected(f"the push service refused the notification ({status})")


class WebPushSender:
    """AlertSender for browser subscriptions: looks the subscription up, encrypts, signs and posts."""

    platform = PLATFORM

    def __init__(
        self, vapid: VapidKey, subscriptions: SubscriptionStore, open_url: str, *, timeout_s: float = 15.0
    ) -> None:
        self.vapid, self.subscriptions, self.open_url = vapid, subscriptions, open_url
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        """Close the HTTP session (if one was opened)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, target: AlertTarget, text: AlertText) -> SendOutcome:
        """Send one alert to the browser subscription the target names."""
        if target.kind is not TargetKind.PUSH or not target.address.isdigit():
            return Rejected(f"not a browser subscription: {target.kind.value}")
        stored = await self.subscriptions.get(int(target.address))
        if stored is None:
            return TargetGone("the browser subscription was removed")
        sub = stored.subscription
        headers = {
            "Authorization": self.vapid.authorization(audience(sub.endpoint)),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(TTL_S),
            "Urgency": "normal",
            "Topic": text.nonce.replace("-", "")[:32],  # a resend replaces an undelivered copy of the same row
        }
        body = encrypt(sub, notification_payload(text, self.open_url))
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.post(sub.endpoint, data=body, headers=headers, allow_redirects=False) as resp:
                outcome = outcome_of_status(resp.status, resp.headers)
                location = resp.headers.get("Location")
        except (aiohttp.ClientError, TimeoutError) as exc:
            return TransientFailure(f"push service unreachable ({type(exc).__name__})")
        if isinstance(outcome, TargetGone):
            await self.subscriptions.expire(stored.id)
            log.info("push subscription expired", extra={"subscription_id": stored.id})
        if isinstance(outcome, Delivered):
            return Delivered(location)
        return outcome
