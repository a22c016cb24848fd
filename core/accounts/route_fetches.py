"""When a linked character's ESI route may be asked again: its caching headers as last answered (FetchMeta)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class CachingHeaders(Protocol):
    """What an ESI answer says about caching (the wallet, order and profile answers all carry it)."""

    @property
    def etag(self) -> str | None:
        """The ETag to send next time (None: ESI sent none)."""
        ...

    @property
    def expires(self) -> datetime | None:
        """When ESI's cache for the route expires (None: ESI sent no Expires)."""
        ...

    @property
    def last_modified(self) -> datetime | None:
        """When ESI last changed the data (None: not sent)."""
        ...


@dataclass(frozen=True)
class FetchMeta:
    """The caching headers of a character's ESI route, as last answered."""

    etag: str | None
    expires: datetime | None
    last_modified: datetime | None

    @classmethod
    def answered(cls, answer: CachingHeaders, now: datetime, default_ttl: timedelta) -> FetchMeta:
        """The headers to persist after `answer` (Expires defaults to the route's documented cache time)."""
        return cls(answer.etag, answer.expires or now + default_ttl, answer.last_modified)


def is_due(stored: FetchMeta | None, now: datetime) -> bool:
    """Whether the route may be asked now: never asked, no Expires kept, or its Expires has passed."""
    return stored is None or stored.expires is None or stored.expires <= now
