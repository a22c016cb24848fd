"""What a service process does when one of its tasks ends: all stop, and the process says whether it failed.

Every long-running loop (scheduler, worker, alert delivery, web) rides out Redis and Postgres outages by itself:
it retries with backoff and logs once a minute. So a task that raises, or ends before the process was asked to
stop, has met a bug or lost something it cannot get back (a chat platform). Then the other tasks are asked to stop
(and cancelled after a grace period) and the process exits non-zero, so its orchestrator restarts it whole rather
than leave it half alive: a panel without its scheduler would look healthy and ingest nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)
GRACE_S = 5.0  # inside the 10 s a SIGTERM may take


async def supervise(tasks: Iterable[asyncio.Task[Any]], stop: asyncio.Event, *, grace_s: float = GRACE_S) -> None:
    """Wait for every task; the first that fails or ends early stops the rest; raises SystemExit(1) if one failed."""
    pending: set[asyncio.Task[Any]] = set(tasks)
    stopping: asyncio.Task[Any] = asyncio.create_task(stop.wait())
    failed: list[str] = []
    try:
        while pending and not stop.is_set():
            done, pending = await asyncio.wait(pending | {stopping}, return_when=asyncio.FIRST_COMPLETED)
            pending.discard(stopping)
            for task in done - {stopping}:
                error = None if task.cancelled() else task.exception()
                if error is None and stop.is_set():
                    continue  # it ended because the process is stopping
                failed.append(task.get_name())
                log.critical(
                    "service task ended: stopping the process",
                    extra={"task": task.get_name(), "error": repr(error)},
                    exc_info=error,
                )
                stop.set()
        if pending:
            _, late = await asyncio.wait(pending, timeout=grace_s)
            for task in late:
                log.warning("service task did not stop in time: cancelled", extra={"task": task.get_name()})
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            failed += [t.get_name() for t in pending if not t.cancelled() and t.exception() is not None]
    finally:
        stopping.cancel()
    if failed:
        raise SystemExit(f"error: service task {', '.join(sorted(set(failed)))} failed; see the log")
