"""CCP's average prices (/markets/prices): refreshed hourly, politely, replaced whole; appraisals fall back on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson

from core.market.ingest import utc_now
from core.market.ports import MarketSource


@dataclass(frozen=True)
class AveragePrice:
    """One type's CCP prices; either may be missing (ESI marks both optional)."""

    type_id: int
    average: float | None
    adjusted: float | None


class PriceStore(Protocol):
    """Where CCP's prices live."""

    async def validators(self) -> tuple[str | None, datetime | None]:
        """ETag and Expires of the stored prices."""
        ...

    async def replace(self, prices: Sequence[AveragePrice], *, etag: str | None, expires: datetime | None) -> int:
        """Replace every price at once (with the validators); return how many were stored."""
        ...

    async def touch(self, *, etag: str | None, expires: datetime | None) -> None:
        """Record a 304: the stored prices are current until `expires`."""
        ...


def parse_prices(body: bytes) -> list[AveragePrice]:
    """Parse /markets/prices; raise ValueError on a malformed body."""
    try:
        rows: list[dict[str, Any]] = orjson.loads(body)
        return [
            AveragePrice(int(r["type_id"]), _number(r.get("average_price")), _number(r.get("adjusted_price")))
            for r in rows
        ]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed /markets/prices: {exc}") from None


def _number(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"not a number: {value!r}")
    return float(value)


class PricesRefresher:
    """Refreshes CCP's prices unless they have not expired; a 304 only extends the validators."""

    def __init__(self, source: MarketSource, store: PriceStore, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._source = source
        self._store = store
        self._clock = clock

    async def refresh(self) -> int | None:
        """Prices stored now, 0 when unchanged, None when still fresh."""
        etag, expires = await self._store.validators()
        if expires and self._clock() < expires:
            return None
        response = await self._source.get("/markets/prices", etag=etag)
        if response.status == 304:
            await self._store.touch(etag=response.etag, expires=response.expires)
            return 0
        return await self._store.replace(parse_prices(response.body), etag=response.etag, expires=response.expires)
