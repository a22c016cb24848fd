"""Leader election that survives outages: campaign with backoff, renew, and stop acting before the lease can expire.

A leader runs its leader-only work as one task. It renews the lease every ttl/3; when it cannot (Redis unreachable,
slow, or the lock taken over) it cancels that work at last-successful-renewal + ttl - margin, i.e. before any other
process can take the lock, then campaigns again. Writes the work makes through its Fence are also checked in Redis,
so even a late write of a deposed leader (a stalled loop, a Redis restarted without its data) is rejected.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import asyncpg

from adapters.redis.locks import LeadershipLost
from adapters.redis.unreachable import UNREACHABLE
from core.outage import Backoff, UnreachableWarning, pause

if TYPE_CHECKING:
    from adapters.redis.locks import Fence, Lease

log = logging.getLogger(__name__)
# A server we depend on is unreachable (Redis or Postgres down, restarting, or slow): wait it out, never exit.
OUTAGE: tuple[type[BaseException], ...] = (
    *UNREACHABLE, asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.CannotConnectNowError, TimeoutError,
)  # fmt: skip
RETRY_RENEW_S = 1.0
Work = Callable[["Fence"], Awaitable[object]]


class Leadership:
    """Campaigns for `lease` until stopped; while leading runs `work(fence)`, cancelled when leadership ends."""

    def __init__(self, lease: Lease, role: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.lease, self.role, self._clock = lease, role, clock
        self.margin_s = lease.ttl_s / 5
        self.fence: Fence | None = None
        self.acting_until = 0.0
        self._warn = UnreachableWarning(log, f"{role} leader lock unreachable: retrying with backoff")

    @property
    def is_leader(self) -> bool:
        """True while we hold the lease and its last renewal is recent enough to act on."""
        return self.fence is not None and self._clock() < self.acting_until

    async def run(self, work: Work, stop: asyncio.Event) -> None:
        """Campaign and lead until `stop`; an outage is retried; a bug in `work` is raised."""
        backoff = Backoff()
        while not stop.is_set():
            sent = self._clock()
            try:
                fence = await asyncio.wait_for(self.lease.acquire(), timeout=self.lease.ttl_s / 3)
            except OUTAGE as exc:
                self._warn(exc)
                await pause(stop, backoff.next())
                continue
            backoff.reset()
            if fence is not None:
                await self._lead(fence, sent, work, stop)
            await pause(stop, self.lease.ttl_s / 3)

    def _extend(self, sent: float) -> None:
        self.acting_until = sent + self.lease.ttl_s - self.margin_s

    async def _lead(self, fence: Fence, sent: float, work: Work, stop: asyncio.Event) -> None:
        self.fence = fence
        self._extend(sent)
        log.info(f"{self.role} leadership acquired", extra={"epoch": fence.epoch})
        task = asyncio.ensure_future(work(fence))
        try:
            await self._keep(task, stop)
        finally:
            self.fence = None
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            with contextlib.suppress(*OUTAGE):
                await asyncio.wait_for(self.lease.release(), timeout=2)
        error = None if task.cancelled() else task.exception()
        if error is not None and not isinstance(error, (LeadershipLost, *OUTAGE)):
            raise error  # a bug in the leader's work: the process ends non-zero and is restarted

    async def _keep(self, task: asyncio.Future[Any], stop: asyncio.Event) -> None:
        """Renew until stop, loss, or the acting deadline; returns when leadership ends."""
        stopped: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
        wait_s = self.lease.ttl_s / 3
        try:
            while True:
                remaining = self.acting_until - self._clock()
                if remaining <= 0:
                    log.warning(f"{self.role} lease not renewed in time: stepping down before it can expire")
                    return
                await asyncio.wait([stopped, task], timeout=min(wait_s, remaining), return_when="FIRST_COMPLETED")
                if stop.is_set():
                    return
                if task.done():  # fenced out, an outage its work let through, a bug, or simply finished
                    log.warning(
                        f"{self.role} leader work ended: stepping down", extra={"error": repr(task.exception())}
                    )
                    return
                sent = self._clock()
                try:
                    timeout = max(0.05, self.acting_until - sent)
                    renewed = await asyncio.wait_for(self.lease.renew(), timeout=timeout)
                except OUTAGE as exc:
                    self._warn(exc)
                    wait_s = RETRY_RENEW_S
                    continue
                if not renewed:
                    log.warning(f"{self.role} leadership lost")
                    return
                self._extend(sent)
                wait_s = self.lease.ttl_s / 3
        finally:
            stopped.cancel()
