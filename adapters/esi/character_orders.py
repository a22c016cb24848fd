"""Authorized ESI reads of a character's orders: Bearer token, If-None-Match, Expires and Last-Modified kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
import orjson

from adapters.esi.errors import EsiUnavailable, MalformedResponse, client_error_for
from adapters.esi.expiry import utc_now
from adapters.esi.headers import parse_response_headers
from adapters.esi.settings import EsiSettings, open_session
from adapters.lifecycle import AsyncLifecycle
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


class EsiCharacterOrders(AsyncLifecycle):
    """GET /characters/{id}/orders/ and /orders/history/ with a character's access token.

    One attempt per call (the job runs again at the next Expires): 401/403/404 raise EsiClientError (EsiNotFound),
    420/429/5xx and connection failures EsiUnavailable, a body that is not a list of orders MalformedResponse.
    """

    def __init__(self, base_url: str, *, user_agent: str, compatibility_date: str, timeout_s: float = 30.0) -> None:
        self._settings = EsiSettings(
            base_url=base_url, user_agent=user_agent, compatibility_date=compatibility_date, timeout_s=timeout_s
        )
        self._base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        """Open the HTTP session (idempotent)."""
        if self._session is None:
            self._session = open_session(self._settings)

    async def close(self) -> None:
        """Close the HTTP session (idempotent)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def open_orders(self, character_id: int, access_token: str, etag: str | None = None) -> OrdersAnswer:
        """The character's open orders (304 -> orders None when `etag` still matches)."""
        return await self._get(f"/characters/{int(character_id)}/orders/", access_token, etag)

    async def order_history(self, character_id: int, access_token: str, etag: str | None = None) -> OrdersAnswer:
        """The first page of the character's closed orders (the newest; enough to classify recent departures)."""
        return await self._get(f"/characters/{int(character_id)}/orders/history/", access_token, etag)

    async def _get(self, path: str, access_token: str, etag: str | None) -> OrdersAnswer:
        if self._session is None:
            raise RuntimeError("EsiCharacterOrders.start() must be called (or use `async with`) before requests")
        headers = {"Authorization": f"Bearer {access_token}"}
        if etag:
            headers["If-None-Match"] = etag
        label = f"GET {path}"
        try:
            async with self._session.get(self._base_url + path, headers=headers) as raw:
                status, payload = raw.status, await raw.read()
                meta = parse_response_headers(raw.headers, utc_now())
        except TimeoutError:
            raise EsiUnavailable(label, 1, f"timed out after {self._settings.timeout_s:g}s") from None
        except aiohttp.ClientError as exc:
            raise EsiUnavailable(label, 1, f"connection failed ({type(exc).__name__})") from None
        if status in (420, 429) or status >= 500:
            raise EsiUnavailable(label, 1, f"HTTP {status}")
        if status >= 400:
            raise client_error_for(status, payload, label)
        if status == 304:
            return OrdersAnswer(None, meta.etag or etag, meta.expires, meta.last_modified)
        return OrdersAnswer(_orders(payload, label), meta.etag, meta.expires, meta.last_modified)


def _orders(payload: bytes, label: str) -> list[CharacterOrder]:
    """Parse a JSON list of ESI order rows."""
    try:
        rows: Any = orjson.loads(payload)
        if not isinstance(rows, list):
            raise TypeError("not a list")
        return [CharacterOrder.from_esi(row) for row in rows]
    except (orjson.JSONDecodeError, TypeError, KeyError, ValueError) as exc:
        raise MalformedResponse(label, f"not a list of orders ({type(exc).__name__})") from None
