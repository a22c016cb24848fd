"""Authorized ESI reads of a character's wallet through the one transport: transactions walked back by from_id,
the journal by X-Pages, with ETags and Expires kept for the caller to persist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from adapters.esi.errors import MalformedResponse
from adapters.esi.paging import fetch_consistent_pages
from adapters.esi.response import EsiResponse
from adapters.esi.transport import EsiTransport
from core.trading.model import JournalEntry, WalletTransaction

Row = TypeVar("Row")
MAX_WALK = 50  # pages of 2,500 transactions: far more than ESI keeps (30 days)


@dataclass(frozen=True)
class WalletAnswer(Generic[Row]):
    """What ESI said: the rows (None on 304 Not Modified) and the caching headers of the first request."""

    rows: list[Row] | None
    etag: str | None
    expires: datetime | None
    last_modified: datetime | None

    @property
    def not_modified(self) -> bool:
        """True for a 304: nothing new since the stored ETag."""
        return self.rows is None


class EsiWallet:
    """GET /characters/{id}/wallet/transactions/ and /wallet/journal/ with a character's access token."""

    def __init__(self, transport: EsiTransport) -> None:
        self._transport = transport

    async def transactions(
        self, character_id: int, access_token: str, *, newest_known: int | None = None, etag: str | None = None
    ) -> WalletAnswer[WalletTransaction]:
        """The newest transactions, then older ones (from_id = the oldest seen) until a request brings none we lack.

        `newest_known` is the highest transaction id already stored: the walk stops once it is reached.
        """
        path = f"/characters/{int(character_id)}/wallet/transactions/"
        first = await self._get(path, {}, access_token, etag)
        if first.status == 304:
            return WalletAnswer(None, first.etag or etag, first.expires, first.last_modified)
        seen: dict[int, WalletTransaction] = {}
        page = _rows(first, lambda row: WalletTransaction.from_esi(character_id, row))
        for _ in range(MAX_WALK):
            fresh = [tx for tx in page if tx.transaction_id not in seen]
            seen.update((tx.transaction_id, tx) for tx in fresh)
            oldest = min((tx.transaction_id for tx in page), default=None)
            if not fresh or oldest is None or (newest_known is not None and oldest <= newest_known):
                break
            answer = await self._get(path, {"from_id": oldest}, access_token, None)
            page = _rows(answer, lambda row: WalletTransaction.from_esi(character_id, row))
        return WalletAnswer(list(seen.values()), first.etag, first.expires, first.last_modified)

    async def journal(
        self, character_id: int, access_token: str, *, etag: str | None = None
    ) -> WalletAnswer[JournalEntry]:
        """Every page of the journal from one cache generation (304 on page 1 -> rows None)."""
        path = f"/characters/{int(character_id)}/wallet/journal/"
        entries: list[JournalEntry] = []

        async def on_page(page_no: int, body: bytes) -> None:
            response = EsiResponse(200, body, None, None, None, None, f"GET {path}?page={page_no}")
            entries.extend(_rows(response, lambda row: JournalEntry.from_esi(character_id, row)))

        result = await fetch_consistent_pages(self._transport, path, {}, on_page, etag=etag, access_token=access_token)
        if result.not_modified:
            return WalletAnswer(None, result.etag or etag, result.expires, result.last_modified)
        return WalletAnswer(entries, result.etag, result.expires, result.last_modified)

    async def _get(self, path: str, params: dict[str, str | int], token: str, etag: str | None) -> EsiResponse:
        """One authorized GET (the caller keeps Expires in Postgres, so the in-memory guard is not used)."""
        return await self._transport.request(
            "GET", path, params, etag=etag, guarded=False, expect_json_array=True, access_token=token
        )


def _rows(response: EsiResponse, parse: Callable[[Any], Row]) -> list[Row]:
    """Parse a JSON array of wallet rows; MalformedResponse when it is not one."""
    payload = response.json()
    if not isinstance(payload, list):
        raise MalformedResponse(response.url, "not a list of wallet rows")
    try:
        return [parse(row) for row in payload]
    except (KeyError, ValueError, TypeError) as exc:
        raise MalformedResponse(response.url, f"a wallet row is malformed ({type(exc).__name__})") from None
