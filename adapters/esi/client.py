"""EsiClient: the public face of the polite ESI client (lifecycle, get, post, paged fetch)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

import orjson

from adapters.esi.expiry import url_key
from adapters.esi.paging import fetch_consistent_pages
from adapters.esi.response import EsiResponse, PagedResult
from adapters.esi.settings import EsiSettings
from adapters.esi.transport import EsiTransport
from adapters.lifecycle import AsyncLifecycle


class EsiClient(AsyncLifecycle):
    """Polite aiohttp ESI client: caching guard, ETags, error/rate limits, retries, consistent paging."""

    def __init__(
        self,
        base_url: str,
        *,
        user_agent: str,
        compatibility_date: str,
        max_concurrency: int = 20,
        timeout_s: float = 30.0,
        max_attempts: int = 5,
        error_limit_floor: int = 10,
        backoff_base_s: float = 0.5,
        backoff_cap_s: float = 30.0,
        expiry_margin_s: float = 5.0,
        default_retry_after_s: float = 5.0,
        max_wait_s: float = 120.0,
    ) -> None:
        self._transport = EsiTransport(
            EsiSettings(
                base_url=base_url,
                user_agent=user_agent,
                compatibility_date=compatibility_date,
                max_concurrency=max_concurrency,
                timeout_s=timeout_s,
                max_attempts=max_attempts,
                error_limit_floor=error_limit_floor,
                backoff_base_s=backoff_base_s,
                backoff_cap_s=backoff_cap_s,
                expiry_margin_s=expiry_margin_s,
                default_retry_after_s=default_retry_after_s,
                max_wait_s=max_wait_s,
            )
        )

    @property
    def transport(self) -> EsiTransport:
        """The one request path (limits, retries, Expires guard), for adapters of other ESI routes."""
        return self._transport

    def open(self) -> None:
        """Open the pooled HTTP session (inside a running event loop)."""
        self._transport.open()

    async def start(self) -> None:
        """Open the pooled HTTP session."""
        self.open()

    async def close(self) -> None:
        """Close the HTTP session."""
        await self._transport.close()

    async def get(
        self, path: str, params: Mapping[str, str | int] | None = None, *, etag: str | None = None
    ) -> EsiResponse:
        """GET `path` (NotExpired before its last Expires); with `etag`, an unchanged resource gives 304."""
        return await self._transport.request("GET", path, params, etag=etag)

    async def post(self, path: str, json_body: Any) -> EsiResponse:
        """POST `json_body` as JSON to `path` (not cached, no Expires guard)."""
        return await self._transport.request("POST", path, body=orjson.dumps(json_body), guarded=False)

    async def fetch_pages(
        self,
        path: str,
        params: Mapping[str, str | int],
        on_page: Callable[[int, bytes], Awaitable[None]],
        *,
        etag: str | None = None,
    ) -> PagedResult:
        """Fetch all pages of `path` from one cache generation, calling `on_page(page_no, body)` for each."""
        return await fetch_consistent_pages(self._transport, path, params, on_page, etag=etag)

    def expires_at(self, path: str, params: Mapping[str, str | int] | None = None) -> datetime | None:
        """Until when (by our clock, skew-corrected) the URL must not be requested, or None if unknown."""
        return self._transport.expiry.expires_at(url_key(path, params))
