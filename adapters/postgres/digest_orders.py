"""The digest's orders section from Postgres: the account's characters' orders as the order job saved them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import asyncpg

from core.alerts.digest_orders import DigestOrder, order_lines

_ORDERS = """
SELECT c.name AS character, o.type_id, o.location_id, o.is_buy_order, o.price, o.volume_remain, o.volume_total,
       o.status, o.on_top, o.best_competitor, o.updated_at, o.issued, o.duration
FROM character_orders o JOIN characters c USING (character_id)
WHERE c.account_id = $1 AND (o.status IN ('open', 'gone') OR o.updated_at >= $2)
ORDER BY c.name, o.order_id
"""


class PgOrdersDigest:
    """OrdersSection over character_orders: open orders and what closed since the previous digest day."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        names: Callable[[int], str | None],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._pool = pool
        self._names = names
        self._clock = clock

    async def lines(self, account_id: int, day: date) -> list[str]:
        """The section's lines for the digest of `day` (empty when the account has no orders to speak of)."""
        since = datetime.combine(day - timedelta(days=1), time(), tzinfo=UTC)
        rows = await self._pool.fetch(_ORDERS, account_id, since)
        return order_lines([DigestOrder(**dict(row)) for row in rows], self._names, since, self._clock())
