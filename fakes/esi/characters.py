"""GET /characters/{id}/orders/ and /orders/history/: a character's orders behind an SSO bearer token.

Tokens are checked like ESI does it: the JWT is verified with the trusted SSO fake's public keys (kid, alg,
audience "EVE Online", issuer, expiry by the SSO fake's clock); 401 when missing, malformed, badly signed or
expired; 403 when it is for another character or lacks esi-markets.read_character_orders.v1. Answers are cached
per character and route like ESI: one generation (body, ETag, Last-Modified) until its Expires (1200 s for the
open orders, 3600 s for the history), If-None-Match gives 304. Tests set orders with set_orders/set_history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jwt
from aiohttp import web

from .data import Order
from .routes import HttpError, PerFake, Reply, cached, int_param
from .snapshot import Body, Snapshot, make_etag

if TYPE_CHECKING:
    from ..sso import SsoFake
    from .server import EsiFake

ORDERS_SCOPE = "esi-markets.read_character_orders.v1"
ORDERS_CACHE_S, HISTORY_CACHE_S = 1200, 3600
Claims = dict[str, Any]


class TokenRefused(Exception):
    """A bearer token ESI would not accept (status 401 or 403)."""

    def __init__(self, status: int, message: str) -> None:
        """Remember the status and the ESI error text."""
        super().__init__(message)
        self.status = status


@dataclass
class Generation:
    """One cached answer: served unchanged until `expires`."""

    body: Body
    etag: str
    last_modified: float
    expires: float


@dataclass
class CharacterMarket:
    """The characters' open orders and order history, and how bearer tokens are verified."""

    open_orders: dict[int, list[Order]] = field(default_factory=dict)
    history: dict[int, list[Order]] = field(default_factory=dict)
    verify: Callable[[str], Claims] | None = None
    generations: dict[tuple[int, str], Generation] = field(default_factory=dict)


character_market = PerFake(CharacterMarket)  # the fake's character data, created empty on first use


def trust_sso(fake: EsiFake, sso: SsoFake) -> CharacterMarket:
    """Accept access tokens the SSO fake signed (verified with its current public keys, on its clock)."""

    def verify(token: str) -> Claims:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = next(k for k in sso.keys if k.kid == kid)
            claims: Claims = jwt.decode(
                token,
                key.private_key.public_key(),
                algorithms=[key.alg],
                audience="EVE Online",
                issuer=sso.issuer,
                options={"verify_exp": False},
            )
        except (jwt.InvalidTokenError, StopIteration):
            raise TokenRefused(401, "authorization not valid") from None
        if int(claims.get("exp", 0)) <= sso.clock():
            raise TokenRefused(401, "token is expired")
        return claims

    market = character_market(fake)
    market.verify = verify
    return market


def set_orders(fake: EsiFake, character_id: int, orders: Iterable[Order]) -> None:
    """The character's open orders from now on (served once the cached generation expires)."""
    character_market(fake).open_orders[character_id] = [dict(order) for order in orders]


def set_history(fake: EsiFake, character_id: int, orders: Iterable[Order]) -> None:
    """The character's closed orders (with `state`: cancelled or expired) from now on."""
    character_market(fake).history[character_id] = [dict(order) for order in orders]


def publish_orders(fake: EsiFake, region_id: int, add: Iterable[Order] = (), remove: Iterable[int] = ()) -> Snapshot:
    """A new snapshot of the region's public book with `add` placed and the `remove` order ids gone."""
    old = fake.snapshot(region_id)
    gone = set(remove)
    orders = [o for o in old.orders if o["order_id"] not in gone] + [dict(o) for o in add]
    now = max(int(fake.clock()), old.last_modified + 1)
    snap = Snapshot(region_id, old.version + 1, orders, now, fake.cache_seconds)
    fake._books[region_id] = (fake._books[region_id][0], snap)
    return snap


def token_character(fake: EsiFake, request: web.Request, scope: str) -> int:
    """The bearer token's character id once the token is valid and grants `scope` (401/403 otherwise)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    verify = character_market(fake).verify
    if scheme.lower() != "bearer" or not token or verify is None:
        raise HttpError(401, "authorization not provided")
    try:
        claims = verify(token)
    except TokenRefused as exc:
        raise HttpError(exc.status, str(exc)) from None
    scopes = claims.get("scp", [])
    if scope not in ([scopes] if isinstance(scopes, str) else scopes):
        raise HttpError(403, "token not valid for scope")
    subject = str(claims.get("sub", "")).rpartition(":")[2]
    return int(subject) if subject.isdigit() else 0


def _character(fake: EsiFake, request: web.Request, scope: str = ORDERS_SCOPE) -> int:
    """The path's character id once the bearer token proved access to it with `scope`."""
    raw = request.match_info["character_id"]
    if not raw.isdigit():
        raise HttpError(400, f"Invalid character_id: {raw!r}")
    character_id = int(raw)
    if token_character(fake, request, scope) != character_id:
        raise HttpError(403, "token not valid for this character")
    return character_id


def _answer(fake: EsiFake, request: web.Request, character_id: int, route: str, rows: list[Order], ttl: int) -> Reply:
    """The cached generation of one character route (a new one once the last has expired)."""
    now = fake.clock()
    key = (character_id, route)
    generation = character_market(fake).generations.get(key)
    if generation is None or now >= generation.expires:
        body = Body.of(rows)
        etag = make_etag(fake.seed, route, character_id, body.raw, weak=fake.weak_etags)
        generation = Generation(body, etag, now, now + ttl)
        character_market(fake).generations[key] = generation
    return cached(request, generation.body, generation.etag, generation.last_modified, generation.expires, now)


def orders(fake: EsiFake, request: web.Request) -> Reply:
    """GET /characters/{character_id}/orders/: the open orders (cached 1200 s)."""
    character_id = _character(fake, request)
    rows = character_market(fake).open_orders.get(character_id, [])
    return _answer(fake, request, character_id, "orders", rows, ORDERS_CACHE_S)


def history(fake: EsiFake, request: web.Request) -> Reply:
    """GET /characters/{character_id}/orders/history/?page=N: closed orders, one page (cached 3600 s)."""
    character_id = _character(fake, request)
    if (int_param(request, "page", 1) or 1) > 1:
        raise HttpError(404, "Requested page does not exist!")
    rows = character_market(fake).history.get(character_id, [])
    reply = _answer(fake, request, character_id, "history", rows, HISTORY_CACHE_S)
    reply.headers["X-Pages"] = "1"
    return reply
