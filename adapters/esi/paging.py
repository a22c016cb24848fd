"""Consistent paged fetch: every page of one set comes from the same cache generation (Last-Modified).

Expires guard rule: the guard applies to page 1, requested without a `page` parameter, i.e. the same
URL `get(path, params)` would use; it is the resource. Pages 2..N are part of the same fetch: they are
neither checked against nor recorded in the guard (their freshness is tied to page 1's).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any

from adapters.esi.errors import InconsistentSnapshot, MalformedResponse
from adapters.esi.expiry import Params, url_key
from adapters.esi.response import EsiResponse, PagedResult
from adapters.esi.transport import EsiTransport

OnPage = Callable[[int, bytes], Awaitable[None]]

EXPIRY_GRACE_S = 1.0
"""How long after page 1's Expires to refetch it (ESI's dates have one-second resolution)."""
MAX_EXPIRY_WAITS = 2
"""How many times a fetch waits for page 1's refresh before going ahead with what it has."""


async def fetch_consistent_pages(
    transport: EsiTransport,
    path: str,
    params: Params,
    on_page: OnPage,
    *,
    etag: str | None = None,
    access_token: str | None = None,
) -> PagedResult:
    """Fetch every page of `path` from one cache generation, handing each body to `on_page` as it arrives.

    `access_token` authorizes every page (a character's route)."""
    if "page" in params:
        raise ValueError("fetch_pages chooses the page parameter itself; do not pass `page`")
    key = url_key(path, params)
    first = await transport.request("GET", path, params, etag=etag, expect_json_array=True, access_token=access_token)
    for _ in range(MAX_EXPIRY_WAITS):
        seconds_left = transport.expiry.seconds_left(key)
        if first.status == 304 or seconds_left is None or seconds_left >= transport.settings.expiry_margin_s:
            break
        await transport.pause(max(seconds_left, 0.0) + EXPIRY_GRACE_S, "expiry", f"GET {key}", 1)
        first = await transport.request(
            "GET", path, params, etag=etag, expect_json_array=True, access_token=access_token
        )
    if first.status == 304:
        return PagedResult(True, first.pages or 0, first.etag, first.expires, first.last_modified, 0)
    if first.pages is None or first.pages < 1:
        raise MalformedResponse(f"GET {key}", "paged route answered without a valid X-Pages header")
    if first.last_modified is None:
        raise MalformedResponse(f"GET {key}", "paged route answered without Last-Modified")

    received = [len(first.body)]
    remaining_pages = iter(range(2, first.pages + 1))

    async def deliver_first_page() -> None:
        await on_page(1, first.body)

    async def fetch_remaining_pages() -> None:
        for page_no in remaining_pages:
            page = await transport.request(
                "GET",
                path,
                {**params, "page": page_no},
                guarded=False,
                expect_json_array=True,
                access_token=access_token,
            )
            try:
                _check_same_generation(path, first, page, page_no)
            except InconsistentSnapshot as exc:
                if _newer(exc.got_last_modified, exc.expected_last_modified):
                    transport.expiry.forget(key)  # the cache flipped: page 1's answer is stale, refetching is due
                raise
            received.append(len(page.body))
            await on_page(page_no, page.body)

    workers = min(transport.settings.max_concurrency, first.pages - 1)
    await _run_all_or_cancel([deliver_first_page()] + [fetch_remaining_pages() for _ in range(workers)])
    return PagedResult(False, first.pages, first.etag, first.expires, first.last_modified, sum(received))


def _newer(got: datetime | None, expected: datetime | None) -> bool:
    return got is not None and expected is not None and got > expected


def _check_same_generation(path: str, first: EsiResponse, page: EsiResponse, page_no: int) -> None:
    if page.status != 200:
        raise MalformedResponse(page.url, f"page {page_no} answered HTTP {page.status} without If-None-Match")
    if page.last_modified != first.last_modified:
        raise InconsistentSnapshot(path, first.last_modified, page.last_modified, page_no)


async def _run_all_or_cancel(coroutines: list[Coroutine[Any, Any, None]]) -> None:
    """Run all concurrently; on the first exception cancel the rest and raise it."""
    tasks = [asyncio.create_task(coroutine) for coroutine in coroutines]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            if not task.cancelled() and (error := task.exception()) is not None:
                raise error
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
