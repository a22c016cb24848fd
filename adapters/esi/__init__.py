"""Polite ESI client: one aiohttp request path with caching guard, limits, retries and consistent paging."""

from adapters.esi.client import EsiClient
from adapters.esi.errors import (
    EsiClientError,
    EsiError,
    EsiNotFound,
    EsiUnavailable,
    InconsistentSnapshot,
    MalformedResponse,
    NotExpired,
)
from adapters.esi.response import EsiResponse, PagedResult

__all__ = [
    "EsiClient",
    "EsiClientError",
    "EsiError",
    "EsiNotFound",
    "EsiResponse",
    "EsiUnavailable",
    "InconsistentSnapshot",
    "MalformedResponse",
    "NotExpired",
    "PagedResult",
]
