"""Authorized ESI reads of a character's skills, standings and assets through the one transport, with ETags and
Expires kept for the caller to persist (assets paged by X-Pages from one cache generation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from adapters.esi.errors import MalformedResponse
from adapters.esi.paging import fetch_consistent_pages
from adapters.esi.response import EsiResponse
from adapters.esi.transport import EsiTransport
from adapters.esi.wallet import WalletAnswer
from core.trading.profile import Asset, SkillLevel, Standing

Row = TypeVar("Row")


class EsiCharacterProfile:
    """GET /characters/{id}/skills/, /standings/ and /assets/ with a character's access token."""

    def __init__(self, transport: EsiTransport) -> None:
        self._transport = transport

    async def skills(
        self, character_id: int, access_token: str, *, etag: str | None = None
    ) -> WalletAnswer[SkillLevel]:
        """Every trained skill with its active and trained level."""
        response = await self._get(f"/characters/{int(character_id)}/skills/", access_token, etag, array=False)
        if response.status == 304:
            return WalletAnswer(None, response.etag or etag, response.expires, response.last_modified)
        payload = response.json()
        if not isinstance(payload, dict) or not isinstance(payload.get("skills"), list):
            raise MalformedResponse(response.url, "not a skills object")
        rows = _parse(response, payload["skills"], SkillLevel.from_esi)
        return WalletAnswer(rows, response.etag, response.expires, response.last_modified)

    async def standings(
        self, character_id: int, access_token: str, *, etag: str | None = None
    ) -> WalletAnswer[Standing]:
        """The character's standings from agents, NPC corporations and factions (unmodified, as ESI gives them)."""
        response = await self._get(f"/characters/{int(character_id)}/standings/", access_token, etag, array=True)
        if response.status == 304:
            return WalletAnswer(None, response.etag or etag, response.expires, response.last_modified)
        rows = _parse(response, response.json(), Standing.from_esi)
        return WalletAnswer(rows, response.etag, response.expires, response.last_modified)

    async def assets(self, character_id: int, access_token: str, *, etag: str | None = None) -> WalletAnswer[Asset]:
        """Every page of the assets from one cache generation (304 on page 1 -> rows None)."""
        path = f"/characters/{int(character_id)}/assets/"
        rows: list[Asset] = []

        async def on_page(page_no: int, body: bytes) -> None:
            response = EsiResponse(200, body, None, None, None, None, f"GET {path}?page={page_no}")
            rows.extend(_parse(response, response.json(), Asset.from_esi))

        result = await fetch_consistent_pages(self._transport, path, {}, on_page, etag=etag, access_token=access_token)
        if result.not_modified:
            return WalletAnswer(None, result.etag or etag, result.expires, result.last_modified)
        return WalletAnswer(rows, result.etag, result.expires, result.last_modified)

    async def _get(self, path: str, token: str, etag: str | None, *, array: bool) -> EsiResponse:
        """One authorized GET (the caller keeps Expires in Postgres, so the in-memory guard is not used)."""
        return await self._transport.request(
            "GET", path, {}, etag=etag, guarded=False, expect_json_array=array, access_token=token
        )


def _parse(response: EsiResponse, payload: Any, parse: Callable[[Any], Row]) -> list[Row]:
    """Parse a JSON array of rows; MalformedResponse when it is not one or a row is malformed."""
    if not isinstance(payload, list):
        raise MalformedResponse(response.url, "not a list of rows")
    try:
        return [parse(row) for row in payload]
    except (KeyError, ValueError, TypeError) as exc:
        raise MalformedResponse(response.url, f"a row is malformed ({type(exc).__name__})") from None
