"""GET /characters/{id}/wallet/transactions/ and /wallet/journal/: a character's wallet behind an SSO token.

Tokens are checked as for the orders routes (401 bad or expired, 403 another character or no
esi-wallet.read_character_wallet.v1). Like ESI: transactions come newest first, at most 2,500 per answer, and
`from_id` returns only those with a lower transaction id (the ones that happened before it); the journal is paged
(2,500 per page, newest first, X-Pages; a page past the last is a 404). Each answer is cached 3600 s per character,
route and from_id/page (ETag, Last-Modified, Expires; If-None-Match gives 304), and every page of one journal
generation carries the same Last-Modified. Tests set the rows with set_wallet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .characters import _answer, _character
from .routes import HttpError, PerFake, Reply, int_param

if TYPE_CHECKING:
    from .server import EsiFake

WALLET_SCOPE = "esi-wallet.read_character_wallet.v1"
WALLET_CACHE_S = 3600
PAGE_ROWS = 2500
Row = dict[str, Any]


@dataclass
class Wallet:
    """The characters' wallet rows, by character id."""

    transactions: dict[int, list[Row]] = field(default_factory=dict)
    journal: dict[int, list[Row]] = field(default_factory=dict)


wallet = PerFake(Wallet)  # the fake's wallet data, created empty on first use


def set_wallet(fake: EsiFake, character_id: int, transactions: Iterable[Row] = (), journal: Iterable[Row] = ()) -> None:
    """The character's wallet from now on (ESI rows; served once the cached generations expire)."""
    w = wallet(fake)
    w.transactions[character_id] = sorted((dict(r) for r in transactions), key=lambda r: -int(r["transaction_id"]))
    w.journal[character_id] = sorted((dict(r) for r in journal), key=lambda r: (r["date"], r["id"]), reverse=True)


def transactions(fake: EsiFake, request: web.Request) -> Reply:
    """GET /characters/{character_id}/wallet/transactions/?from_id=N (cached 3600 s)."""
    character_id = _character(fake, request, WALLET_SCOPE)
    from_id = int_param(request, "from_id")
    rows = wallet(fake).transactions.get(character_id, [])
    if from_id is not None:
        rows = [r for r in rows if int(r["transaction_id"]) < from_id]
    route = f"wallet/transactions?from_id={from_id}"
    return _answer(fake, request, character_id, route, rows[:PAGE_ROWS], WALLET_CACHE_S)


def journal(fake: EsiFake, request: web.Request) -> Reply:
    """GET /characters/{character_id}/wallet/journal/?page=N (cached 3600 s, X-Pages)."""
    character_id = _character(fake, request, WALLET_SCOPE)
    rows = wallet(fake).journal.get(character_id, [])
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    page = int_param(request, "page", 1) or 1
    if page > pages:
        raise HttpError(404, "Requested page does not exist!")
    first = _answer(fake, request, character_id, "wallet/journal", rows[:PAGE_ROWS], WALLET_CACHE_S)
    if page == 1:
        reply = first
    else:  # the same generation as page 1: its Last-Modified and Expires
        reply = _answer(
            fake,
            request,
            character_id,
            f"wallet/journal?page={page}",
            rows[(page - 1) * PAGE_ROWS : page * PAGE_ROWS],
            WALLET_CACHE_S,
        )
        for header in ("Last-Modified", "Expires", "Cache-Control"):
            reply.headers[header] = first.headers[header]
    reply.headers["X-Pages"] = str(pages)
    return reply
