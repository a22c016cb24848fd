"""Tests of history charts: real PNGs of the right size, a placeholder, the cache, and rendering off the loop."""

from __future__ import annotations

import asyncio
import math
import random
import struct
import threading
import time
from datetime import date, timedelta

import pytest

from adapters import charts
from adapters.charts import ChartCache, ChartKey, format_isk, render_history_chart
from core.market.model import HistoryRow

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def tritanium(days: int = 400, seed: int = 7) -> list[HistoryRow]:
    """Synthetic but plausible Tritanium history: 4-6 ISK, a few billion units a day."""
    rng, price, start = random.Random(seed), 5.0, date(2025, 1, 1)
    rows = []
    for i in range(days):
        price = min(6.2, max(3.8, price * math.exp(rng.gauss(0, 0.02)) + 0.02 * (5 - price)))
        spread = price * rng.uniform(0.02, 0.08)
        volume = int(rng.uniform(0.6, 1.4) * 3e9)
        rows.append(HistoryRow(start + timedelta(days=i), price, price + spread, price - spread, volume, 5000))
    return rows


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert png[:8] == PNG_SIGNATURE
    length, kind, width, height = struct.unpack(">I4sII", png[8:24])
    assert kind == b"IHDR" and length == 13
    return width, height


async def test_chart_is_a_png_of_about_1000_by_600():
    png = await render_history_chart(tritanium(), title="Tritanium - The Forge")
    assert png_size(png) == (1000, 600)
    assert 20_000 < len(png) < 150_000


async def test_year_chart_stays_under_150_kb():
    png = await render_history_chart(tritanium(), title="Tritanium - The Forge", days=365, moving_average_days=30)
    assert png_size(png) == (1000, 600)
    assert len(png) < 150_000


async def test_same_data_same_bytes_different_data_different_bytes():
    a = await render_history_chart(tritanium(120), title="t")
    b = await render_history_chart(tritanium(120), title="t")
    c = await render_history_chart(tritanium(120, seed=8), title="t")
    assert a == b
    assert a != c


async def test_empty_history_gives_a_small_placeholder():
    png = await render_history_chart([], title="Tritanium - The Forge")
    width, height = png_size(png)
    assert (width, height) == (400, 150)
    assert len(png) < 20_000


def test_isk_format():
    assert [format_isk(v) for v in (0, 4.52, 950, 12_300, 1_500_000, 2e9)] == [
        "0",
        "4.52",
        "950",
        "12.3k",
        "1.5M",
        "2B",
    ]


async def test_rendering_leaves_the_loop_responsive(monkeypatch: pytest.MonkeyPatch):
    # The draw waits until the loop itself has run a step; drawn on the loop it would wait in vain (and fail after 5 s),
    # drawn in a worker thread the loop runs on. No timing is measured, so load cannot make this flaky.
    loop_ran, draw_threads = threading.Event(), []

    def draw_needing_the_loop(*_args: object) -> bytes:
        draw_threads.append(threading.get_ident())
        return b"png" if loop_ran.wait(5) else b"loop blocked"

    async def loop_step() -> None:
        await asyncio.sleep(0.01)
        loop_ran.set()

    monkeypatch.setattr(charts, "_draw", draw_needing_the_loop)
    step = asyncio.create_task(loop_step())
    assert await render_history_chart(tritanium(), title="t", days=365) == b"png"
    await step
    assert draw_threads and draw_threads[0] != threading.get_ident()


async def test_at_most_two_renders_at_once(monkeypatch: pytest.MonkeyPatch):
    lock, running, peak = threading.Lock(), [0], [0]

    def slow_draw(*_args: object) -> bytes:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return b"png"

    monkeypatch.setattr(charts, "_draw", slow_draw)
    results = await asyncio.gather(*(render_history_chart([], title=str(i)) for i in range(6)))
    assert results == [b"png"] * 6
    assert peak[0] == charts.MAX_CONCURRENT_RENDERS


async def test_cache_renders_each_snapshot_once_and_evicts_least_recent():
    cache, calls = ChartCache(maxsize=2), []

    def renderer(key: ChartKey):
        async def render() -> bytes:
            calls.append(key)
            await asyncio.sleep(0.01)
            return f"png-{key.type_id}-{key.as_of}".encode()

        return render

    k1, k2, k3 = (ChartKey(10000002, type_id, 90, date(2025, 3, 1)) for type_id in (34, 35, 36))
    first = await asyncio.gather(*(cache.get_or_render(k1, renderer(k1)) for _ in range(3)))
    assert first == [b"png-34-2025-03-01"] * 3 and calls == [k1]  # concurrent callers share one render
    assert await cache.get_or_render(k1, renderer(k1)) == first[0] and calls == [k1]
    await cache.get_or_render(k2, renderer(k2))
    await cache.get_or_render(k1, renderer(k1))  # k1 is now the most recent
    await cache.get_or_render(k3, renderer(k3))  # evicts k2
    assert len(cache) == 2
    await cache.get_or_render(k1, renderer(k1))
    await cache.get_or_render(k2, renderer(k2))
    assert calls == [k1, k2, k3, k2]
    newer = k1._replace(as_of=date(2025, 3, 2))
    assert await cache.get_or_render(newer, renderer(newer)) == b"png-34-2025-03-02"


async def test_cache_does_not_keep_failures():
    cache, key = ChartCache(), ChartKey(1, 34, 90, date(2025, 3, 1))

    async def broken() -> bytes:
        raise RuntimeError("boom")

    async def working() -> bytes:
        return b"png"

    with pytest.raises(RuntimeError):
        await cache.get_or_render(key, broken)
    assert await cache.get_or_render(key, working) == b"png"
    assert len(cache) == 1


async def test_cache_with_real_renders_returns_identical_bytes():
    cache, rows, calls = ChartCache(), tritanium(), [0]
    key = ChartKey(10000002, 34, 90, rows[-1].day)

    async def render() -> bytes:
        calls[0] += 1
        return await render_history_chart(rows, title="Tritanium - The Forge")

    first = await cache.get_or_render(key, render)
    assert await cache.get_or_render(key, render) is first
    assert calls[0] == 1


async def test_cancelled_render_lets_waiters_render_themselves():
    cache, key, started = ChartCache(), ChartKey(1, 34, 90, date(2025, 3, 1)), asyncio.Event()

    async def hanging() -> bytes:
        started.set()
        await asyncio.sleep(10)
        return b"never"

    async def working() -> bytes:
        return b"png"

    owner = asyncio.create_task(cache.get_or_render(key, hanging))
    await started.wait()
    waiter = asyncio.create_task(cache.get_or_render(key, working))
    await asyncio.sleep(0)
    owner.cancel()
    assert await waiter == b"png"
    with pytest.raises(asyncio.CancelledError):
        await owner


async def test_cached_history_charts_render_once_per_history_day(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    async def fake_render(rows, *, title, days, moving_average_days=7):
        calls.append(title)
        return b"\x89PNG" + title.encode()

    monkeypatch.setattr(charts, "render_history_chart", fake_render)
    renderer = charts.CachedHistoryCharts()
    rows = [HistoryRow(date(2026, 11, 1), 5.0, 5.5, 4.5, 100, 3)]
    first = await renderer(rows, title="Tritanium", days=90, region_id=10000002, type_id=34)
    again = await renderer(rows, title="Tritanium", days=90, region_id=10000002, type_id=34)
    newer = await renderer(
        [*rows, HistoryRow(date(2026, 11, 2), 5.1, 5.6, 4.6, 90, 2)],
        title="Tritanium",
        days=90,
        region_id=10000002,
        type_id=34,
    )
    assert first == again == newer  # the fake renders from the title only
    assert calls == ["Tritanium", "Tritanium"]  # once for Nov 1, once more when Nov 2 arrived
