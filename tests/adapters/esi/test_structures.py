"""A structure's book as the snapshot refresher's source: it requests its own market path with the character's token."""

from __future__ import annotations

import pytest
from aiohttp import web

from adapters.esi.structures import EsiStructures
from tests.adapters.esi.conftest import MakeClient, Serve

STRUCTURE = 1_035_466_617_946


async def test_the_book_requests_the_structures_market_with_the_token(serve: Serve, make_client: MakeClient) -> None:
    seen: list[tuple[str, str]] = []

    async def answer(request: web.Request) -> web.Response:
        seen.append((request.path, request.headers.get("Authorization", "")))
        return web.json_response([])

    client = await make_client(await serve(answer))
    book = EsiStructures(client.transport).market_source(STRUCTURE, "token-1")
    path, params = book.book(1_000_000_001)  # whatever the snapshot's market id, the structure's own book
    assert (path, params) == (f"/markets/structures/{STRUCTURE}/", {})
    await book.get(path, params)
    assert seen == [(path, "Bearer token-1")]
    with pytest.raises(ValueError, match="market only"):
        await book.get("/markets/10000002/orders/")
