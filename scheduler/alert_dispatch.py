"""Moves due alert outbox rows onto their platform's Redis stream (idempotent: safe to run twice or after a crash).

Rows are locked (FOR UPDATE SKIP LOCKED, so several dispatchers share the work), each is added to its stream as
entry (id, seq) at most once, then all become `queued` in the same transaction. A crash before the commit leaves
them due with the same seq: the next run skips the entries already added and commits. Rows stuck in flight
(queued or leased for `stuck_after` without being sent: a lost stream, a dead bot) are queued again with seq + 1.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from adapters.metrics import OUTBOX_LAG
from core.market.ingest import utc_now

if TYPE_CHECKING:  # built by the bootstrap and handed in
    from adapters.postgres.outbox import PgOutbox
    from adapters.redis.alert_stream import AlertStream

log = logging.getLogger(__name__)
STUCK_AFTER = timedelta(minutes=10)
BATCH = 500


class AlertDispatcher:
    """The scheduler's job that feeds the delivery streams (run it every few seconds)."""

    def __init__(
        self,
        outbox: PgOutbox,
        stream_of: Callable[[str], AlertStream],
        *,
        stuck_after: timedelta = STUCK_AFTER,
        batch: int = BATCH,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._outbox = outbox
        self._stream_of = stream_of  # platform -> its delivery stream
        self._streams: dict[str, AlertStream] = {}
        self.stuck_after = stuck_after
        self.batch = batch
        self._clock = clock

    def stream(self, platform: str) -> AlertStream:
        """The stream of one platform."""
        if platform not in self._streams:
            self._streams[platform] = self._stream_of(platform)
        return self._streams[platform]

    async def dispatch_once(self, now: datetime | None = None) -> int:
        """Queue one batch of due rows; how many rows became queued."""
        async with self._outbox.dispatch_batch(now or self._clock(), self.stuck_after, self.batch) as due:
            for row in due:
                await self.stream(row.platform).add_once(row.outbox_id, row.seq)
        if due:
            log.info("alerts queued for delivery", extra={"count": len(due)})
        return len(due)

    async def dispatch_due(self, now: datetime | None = None) -> int:
        """Queue every due row, batch after batch; how many became queued (and the outbox lag, for /metrics)."""
        total = 0
        while True:
            count = await self.dispatch_once(now)
            total += count
            if count < self.batch:
                OUTBOX_LAG.set(await self._outbox.oldest_due_age())
                return total
