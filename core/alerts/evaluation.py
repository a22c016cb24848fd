"""After each snapshot swap: evaluate the region's snapshot rules set-wise against the new quotes (use case)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from core.alerts.fired import FiredAlert
from core.alerts.ports import AlertEvaluator

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SnapshotAlerts:
    """A core.market.ingest.SnapshotListener that evaluates alert rules right after a region's snapshot commit.

    It runs in the process that ingested, after the swap, with the quotes' own `as_of`: the outbox key
    `<rule>@<as_of>` makes a repeat for the same snapshot (a retried refresh, a second process) write nothing.
    A failing evaluation is logged and never fails the ingest: the next snapshot is evaluated as usual.
    """

    def __init__(self, evaluator: AlertEvaluator, clock: Callable[[], datetime] = _utc_now) -> None:
        self._evaluator = evaluator
        self._clock = clock
        self.last_fired: list[FiredAlert] = []  # what the latest evaluation wrote (for logs and tests)

    async def evaluate(self, region_id: int, as_of: datetime) -> list[FiredAlert]:
        """Evaluate the region's rules against the snapshot of `as_of` now; the alerts written by this call."""
        fired = await self._evaluator.evaluate_region(region_id, as_of, self._clock())
        self.last_fired = fired
        if fired:
            log.info("alerts fired", extra={"region_id": region_id, "fired": len(fired), "as_of": as_of.isoformat()})
        return fired

    async def snapshot_committed(self, region_id: int, as_of: datetime) -> None:
        """SnapshotListener: evaluate, logging (not raising) a failure."""
        try:
            await self.evaluate(region_id, as_of)
        except Exception:
            log.exception("alert evaluation failed", extra={"region_id": region_id, "as_of": as_of.isoformat()})
