"""A service process's tasks: one that fails stops the others and the process exits non-zero; a stop is clean."""

from __future__ import annotations

import asyncio

import pytest

from evetrader.supervise import supervise


async def until(stop: asyncio.Event, ended: list[str], name: str) -> None:
    await stop.wait()
    ended.append(name)


async def test_a_failed_task_stops_the_others_and_the_process_exits_non_zero() -> None:
    stop, ended = asyncio.Event(), list[str]()

    async def broken() -> None:
        await asyncio.sleep(0.01)
        raise RuntimeError("a bug")

    tasks = [asyncio.create_task(until(stop, ended, "web"), name="web"), asyncio.create_task(broken(), name="worker")]
    with pytest.raises(SystemExit) as exited:
        await supervise(tasks, stop, grace_s=5)
    assert "worker" in str(exited.value.code) and exited.value.code != 0
    assert ended == ["web"]  # asked to stop, not left running beside a dead worker


async def test_a_task_that_ignores_stop_is_cancelled_after_the_grace_period() -> None:
    stop = asyncio.Event()
    stuck = asyncio.create_task(asyncio.Event().wait(), name="stuck")
    stop.set()
    await supervise([stuck], stop, grace_s=0.05)
    assert stuck.cancelled()


async def test_a_stop_ends_every_task_cleanly() -> None:
    stop, ended = asyncio.Event(), list[str]()
    tasks = [asyncio.create_task(until(stop, ended, n), name=n) for n in ("web", "scheduler")]
    asyncio.get_running_loop().call_later(0.05, stop.set)
    await supervise(tasks, stop)
    assert sorted(ended) == ["scheduler", "web"]
