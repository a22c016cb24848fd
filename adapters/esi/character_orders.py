"""Authorized ESI reads of a character's orders through the one transport, with ETags and Expires kept for the
caller to persist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adapters.esi.errors import MalformedResponse
from adapters.esi.response import EsiResponse
from adapters.esi.transport import EsiTransport
from core.alerts.orders import CharacterOrder


@dataclass(frozen=True)
class OrdersAnswer:
    """What ESI said: the orders (None on 304 Not Modified) and the caching headers to persist with them."""

    orders: list[CharacterOrder] | None
    etag: str | None
    expires: datetime | None
    last_modified: datetime | None

    @property
    def not_modified(self) -> bool:
        """True for a 304: the stored orders are still current."""
        return self.orders is None


class EsiCharacterOrders:
    """GET /characters/{id}/orders/ and /orders/history/ with a character's access token.

    The transport's errors pass through: EsiClientError (EsiNotFound) for 401/403/404, EsiUnavailable once its
    retries of 420/429/5xx and connection failures are used up, MalformedResponse for a body that is not orders.
    """

    def __init__(self, transport: EsiTransport) -> None:
        self._transport = transport

    async def open_orders(self, character_id: int, access_token: str, etag: str | None = None) -> OrdersAnswer:
        """The character's open orders (304 -> orders None when `etag` still matches)."""
        return await self._get(f"/characters/{int(character_id)}/orders/", access_token, etag)

    async def order_history(self, character_id: int, access_token: str, etag: str | None = None) -> OrdersAnswer:
        """The first page of the character's closed orders (the newest; enough to classify recent departures)."""
        return await self._get(f"/characters/{int(character_id)}/orders/history/", access_token, etag)

    async def _get(self, path: str, access_token: str, etag: str | None) -> OrdersAnswer:
        """One authorized GET (the caller keeps Expires in Postgres, so the in-memory guard is not used)."""
        response = await self._transport.request(
            "GET", path, {}, etag=etag, guarded=False, expect_json_array=True, access_token=access_token
        )
        if response.status == 304:
            return OrdersAnswer(None, response.etag or etag, response.expires, response.last_modified)
        return OrdersAnswer(_orders(response), response.etag, response.expires, response.last_modified)


def _orders(response: EsiResponse) -> list[CharacterOrder]:
    """Parse a JSON list of ESI order rows; MalformedResponse when it is not one or a row is malformed."""
    rows = response.json()
    if not isinstance(rows, list):
        raise MalformedResponse(response.url, "not a list of orders")
    try:
        return [CharacterOrder.from_esi(row) for row in rows]
    except (KeyError, ValueError, TypeError) as exc:
        raise MalformedResponse(response.url, f"not a list of orders ({type(exc).__name__})") from None
