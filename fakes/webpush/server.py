"""WebPushFake: a push service on 127.0.0.1 that takes RFC 8030 push requests the way real ones do, and more strictly.

A test subscribes a "browser" with `subscribe(application_server_key)` (the fake makes the browser's keys, as
PushManager.subscribe() would) and gives the returned JSON to the code under test. Each POST to an endpoint needs
`Authorization: vapid t=<JWT>, k=<key>` (RFC 8292: k is the key the subscription was made with, else 403; the ES256
JWT must verify under k, its aud be this service's origin, exp within 24 h, sub a mailto: or https: contact, else
401), a TTL header, `Content-Encoding: aes128gcm` and at most 4096 bytes. The body is decrypted with the browser's
keys (RFC 8291; a body that does not decrypt is 400) and recorded in `messages`. Scripted answers: `expire(endpoint)`
makes it 410 for good (404 for unknown endpoints), `throttle(endpoint, seconds)` answers the next POST 429 with
Retry-After.
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import ec

from fakes.local_server import LocalServer
from fakes.webpush.crypto import BrowserKeys, DecryptError, decrypt

MAX_BODY = 4096
MAX_TOKEN_LIFETIME_S = 24 * 3600


@dataclass(frozen=True)
class PushMessage:
    """One accepted push: the endpoint, the decrypted payload, the TTL and the VAPID claims that came with it."""

    endpoint: str
    plaintext: bytes
    ttl: int
    claims: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The payload parsed as JSON."""
        return json.loads(self.plaintext)


@dataclass
class _Subscription:
    keys: BrowserKeys
    server_key: str
    gone: bool = False
    throttled: list[int] = field(default_factory=list)  # Retry-After seconds of the next 429s


def _vapid_params(header: str) -> dict[str, str]:
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "vapid":
        return {}
    params = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        params[name.strip()] = value.strip()
    return params


def _public_key(k: str) -> ec.EllipticCurvePublicKey:
    raw = base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


class WebPushFake(LocalServer):
    """The push service; `messages` holds every accepted push in order, `attempts` counts every POST."""

    def __init__(self) -> None:
        super().__init__()
        self._subs: dict[str, _Subscription] = {}
        self._ids = itertools.count(1)
        self.messages: list[PushMessage] = []
        self.attempts = 0

    def build_app(self) -> web.Application:
        """POST /push/{token}."""
        app = web.Application(client_max_size=MAX_BODY * 4)
        app.router.add_post("/push/{token}", self._push)
        return app

    def subscribe(self, application_server_key: str, keys: BrowserKeys | None = None) -> dict[str, Any]:
        """A new subscription restricted to `application_server_key`, as the browser's PushSubscription.toJSON()."""
        keys = keys or BrowserKeys.generate()
        token = secrets.token_urlsafe(24)
        self._subs[token] = _Subscription(keys, application_server_key)
        return {"endpoint": f"{self.url}/push/{token}", "expirationTime": None,
                "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}  # fmt: skip

    def _sub(self, endpoint: str) -> _Subscription:
        return self._subs[endpoint.rstrip("/").rpartition("/")[2]]

    def expire(self, endpoint: str) -> None:
        """From now on the endpoint answers 410 Gone (the browser unsubscribed)."""
        self._sub(endpoint).gone = True

    def throttle(self, endpoint: str, retry_after: int, times: int = 1) -> None:
        """The next `times` POSTs to the endpoint get 429 with Retry-After: `retry_after`."""
        self._sub(endpoint).throttled.extend([retry_after] * times)

    def messages_to(self, endpoint: str) -> list[PushMessage]:
        """The pushes accepted for one endpoint."""
        return [message for message in self.messages if message.endpoint == endpoint]

    def _claims(self, request: web.Request, sub: _Subscription) -> dict[str, Any]:
        params = _vapid_params(request.headers.get("Authorization", ""))
        if "t" not in params or "k" not in params:
            raise web.HTTPUnauthorized(text="Authorization must be 'vapid t=<JWT>, k=<key>'")
        if params["k"] != sub.server_key:
            raise web.HTTPForbidden(text="the VAPID key is not the one the subscription was made with")
        try:
            claims: dict[str, Any] = jwt.decode(
                params["t"], _public_key(params["k"]), algorithms=["ES256"], audience=self.url,
                options={"require": ["exp", "aud", "sub"]},
            )  # fmt: skip
        except (jwt.PyJWTError, ValueError) as exc:
            raise web.HTTPUnauthorized(text=f"invalid VAPID token: {exc}") from None
        if claims["exp"] > time.time() + MAX_TOKEN_LIFETIME_S:
            raise web.HTTPUnauthorized(text="the VAPID token lives longer than 24 hours")
        if not str(claims["sub"]).startswith(("mailto:", "https:")):
            raise web.HTTPUnauthorized(text="the VAPID sub must be a mailto: or https: contact")
        return claims

    async def _push(self, request: web.Request) -> web.Response:
        self.attempts += 1
        sub = self._subs.get(request.match_info["token"])
        if sub is None:
            raise web.HTTPNotFound(text="no such subscription")
        if sub.gone:
            raise web.HTTPGone(text="the subscription expired")
        claims = self._claims(request, sub)
        if sub.throttled:
            raise web.HTTPTooManyRequests(headers={"Retry-After": str(sub.throttled.pop(0))})
        ttl = request.headers.get("TTL", "")
        if not ttl.isdigit():
            raise web.HTTPBadRequest(text="a TTL header (seconds) is required")
        if request.headers.get("Content-Encoding") != "aes128gcm":
            raise web.HTTPUnsupportedMediaType(text="Content-Encoding must be aes128gcm")
        body = await request.read()
        if len(body) > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=len(body))
        try:
            plaintext = decrypt(body, sub.keys)
        except DecryptError as exc:
            raise web.HTTPBadRequest(text=f"payload does not decrypt: {exc}") from None
        endpoint = f"{self.url}/push/{request.match_info['token']}"
        self.messages.append(PushMessage(endpoint, plaintext, int(ttl), claims, dict(request.headers)))
        return web.Response(status=201, headers={"Location": f"{self.url}/message/{next(self._ids)}"})
