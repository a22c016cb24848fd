"""Web push targets: a browser's subscription (checked before it is stored), its label, and the notification payload.

A subscription is what the browser's PushManager.subscribe() returns: the push service's endpoint URL and the keys
the payload is encrypted to (RFC 8291: p256dh, the browser's P-256 public key; auth, a 16-byte secret).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import urllib.parse
from dataclasses import dataclass, field

from core.alerts.delivery import AlertText
from core.alerts.model import AlertTarget, TargetKind

PLATFORM = "webpush"
MAX_ENDPOINT = 2048
MAX_SUBSCRIPTIONS = 10  # per account: a browser each, a few devices
MAX_BODY_CHARS = 1000  # a notification shows a few lines; the whole alert is on the panel
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


class SubscriptionInvalid(ValueError):
    """The browser sent something that is not a usable push subscription; the message says what, for the user."""


@dataclass(frozen=True)
class PushSubscription:
    """A checked subscription: endpoint and the two keys as base64url text (without padding)."""

    endpoint: str = field(repr=False)  # a capability URL: never logged
    p256dh: str
    auth: str


@dataclass(frozen=True)
class StoredSubscription:
    """A stored subscription: its id (the alert target's address), owner, label and the subscription itself."""

    id: int
    account_id: int
    label: str
    subscription: PushSubscription


def push_target(subscription_id: int) -> AlertTarget:
    """The alert target of a stored subscription."""
    return AlertTarget(PLATFORM, TargetKind.PUSH, str(subscription_id))


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; SubscriptionInvalid when it is not base64url."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise SubscriptionInvalid("a key is not base64url") from None


def b64url(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _check_endpoint(endpoint: str, allow_http: bool) -> str:
    if not endpoint or len(endpoint) > MAX_ENDPOINT:
        raise SubscriptionInvalid("the endpoint is missing or too long")
    parts = urllib.parse.urlsplit(endpoint)
    host = parts.hostname or ""
    if parts.scheme == "http" and allow_http:
        return endpoint
    if parts.scheme != "https" or not host or parts.username or parts.password:
        raise SubscriptionInvalid("the endpoint must be an https URL of a push service")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")) or "." not in host:
            raise SubscriptionInvalid("the endpoint must be a public push service") from None
        return endpoint
    raise SubscriptionInvalid("the endpoint must be a push service's host name, not an address")


def parse_subscription(data: object, *, allow_http: bool = False) -> PushSubscription:
    """Check a PushSubscription's JSON ({endpoint, keys: {p256dh, auth}}); SubscriptionInvalid says what is wrong.

    Only https endpoints on a host name are taken (the server posts to them): no addresses, no local names.
    `allow_http` also takes plain http (local push-service fakes in tests and demos only).
    """
    if not isinstance(data, dict):
        raise SubscriptionInvalid("send the browser's subscription as a JSON object")
    keys = data.get("keys")
    endpoint, p256dh, auth = data.get("endpoint"), None, None
    if isinstance(keys, dict):
        p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(endpoint, str) or not isinstance(p256dh, str) or not isinstance(auth, str):
        raise SubscriptionInvalid("the subscription needs an endpoint and keys p256dh and auth")
    point = b64url_decode(p256dh)
    if len(point) != 65 or point[0] != 4:
        raise SubscriptionInvalid("p256dh must be an uncompressed P-256 public key (65 bytes)")
    if len(b64url_decode(auth)) != 16:
        raise SubscriptionInvalid("auth must be a 16-byte secret")
    return PushSubscription(_check_endpoint(endpoint.strip(), allow_http), b64url(point), b64url(b64url_decode(auth)))


def browser_label(user_agent: str) -> str:
    """A short name for the panel's list of subscriptions, from the User-Agent: "Chrome on Linux"."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "Browser")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    return f"{browser} on {system}" if system else browser


def notification_payload(text: AlertText, url: str) -> bytes:
    """What the service worker gets (JSON): title, body (cut to MAX_BODY_CHARS), a tag per row, the page to open."""
    body = text.body if len(text.body) <= MAX_BODY_CHARS else text.body[: MAX_BODY_CHARS - 1] + "…"
    return json.dumps({"title": text.subject, "body": body, "tag": text.nonce, "url": url}).encode("utf-8")
