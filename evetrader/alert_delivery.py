"""The alert delivery a process runs: one DeliveryWorker task per sender, stopped together within a grace period.

The worker service runs the senders that need no chat platform (e-mail, web push); the bot service runs its chat
platforms' own. Several processes may deliver the same platform at once: the stream's consumer group hands each
entry to one of them and the outbox lease lets only one send a row.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.delivery import DeliveryWorker

log = logging.getLogger(__name__)
DELIVERY_GRACE_S = 2.5  # a send in flight may finish; one cut short keeps its outbox lease and is retried after


class DeliveryEnded(RuntimeError):
    """A delivery worker stopped before the process was asked to (a bug: its loop rides out outages itself)."""


class AlertDelivery:
    """Runs delivery workers as tasks of this process's event loop."""

    def __init__(self, workers: Sequence[DeliveryWorker]) -> None:
        self.workers = tuple(workers)
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def platforms(self) -> list[str]:
        """The platforms delivered, one per worker."""
        return [worker.sender.platform for worker in self.workers]

    def group_joined(self, platform: str) -> bool:
        """Whether the worker for `platform` has joined its stream's consumer group."""
        return any(w.group_joined for w in self.workers if w.sender.platform == platform)

    def start(self) -> None:
        """Start one task per worker."""
        self._stop.clear()
        for worker in self.workers:
            task = asyncio.create_task(worker.run(self._stop), name=f"alerts-{worker.sender.platform}")
            self._tasks.append(task)

    async def stop(self, grace_s: float = DELIVERY_GRACE_S) -> None:
        """Ask every worker to stop; cancel those still sending after `grace_s` (their rows keep the lease)."""
        self._stop.set()
        if not self._tasks:
            return
        _, pending = await asyncio.wait(self._tasks, timeout=grace_s)
        for task in pending:
            task.cancel()  # an unfinished delivery keeps its outbox lease: it is retried after
        if pending:
            log.warning("alert delivery cut short at shutdown: retried later", extra={"tasks": len(pending)})
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set, then stop within the grace; raises DeliveryEnded if a worker ends first."""
        self.start()
        waiter = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({waiter, *self._tasks}, return_when=asyncio.FIRST_COMPLETED)
            ended = [task for task in self._tasks if task.done()]
            if ended and not stop.is_set():
                raise DeliveryEnded(", ".join(f"{task.get_name()} ended ({_why(task)})" for task in ended))
        finally:
            waiter.cancel()
            await self.stop()


def _why(task: asyncio.Task[None]) -> str:
    if task.cancelled():
        return "cancelled"
    error = task.exception()
    return type(error).__name__ if error is not None else "returned"
