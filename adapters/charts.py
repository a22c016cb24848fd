"""Price-history charts as PNG bytes (matplotlib Agg, rendered off the event loop) and a per-snapshot cache."""

from __future__ import annotations

import asyncio
import io
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from core.market.history_stats import moving_average
from core.market.model import HistoryRow
from core.trading.report import DailyProfit

if TYPE_CHECKING:  # matplotlib itself is imported by the first render (it takes half a second)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_CONCURRENT_RENDERS = 2
BACKGROUND, PANEL, TEXT, GRID = "#1e1f22", "#2b2d31", "#dbdee1", "#3f4147"
PRICE, BAND, AVERAGE, VOLUME, LOSS = "#4ea1ff", "#4ea1ff", "#f0b232", "#5fb98a", "#ed4245"
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def format_isk(value: float, _pos: object = None) -> str:
    """Short ISK figure for an axis: 950, 4.52, 12.3k, 1.5M, 2B."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}" if value else "0"


def _render_slots() -> asyncio.Semaphore:
    """The running loop's render semaphore (one per loop, so tests with fresh loops never share a bound one)."""
    return _slots.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(MAX_CONCURRENT_RENDERS))


def _style(ax: Axes, ylabel: str) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.set_facecolor(PANEL)
    ax.set_ylabel(ylabel, color=TEXT)
    ax.tick_params(colors=TEXT, labelsize=9)
    ax.grid(color=GRID, linewidth=0.6)
    ax.yaxis.set_major_formatter(FuncFormatter(format_isk))
    for spine in ax.spines.values():
        spine.set_color(GRID)


def _png(fig: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(fig)  # attaches itself to the figure: no pyplot, no global backend switch
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _placeholder(title: str) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 1.5), dpi=100, facecolor=BACKGROUND)
    fig.text(0.5, 0.62, title, ha="center", va="center", color=TEXT, fontsize=10)
    fig.text(0.5, 0.35, "no history", ha="center", va="center", color=TEXT, fontsize=14, alpha=0.7)
    return _png(fig)


def _draw(rows: Sequence[HistoryRow], title: str, days: int, ma_days: int) -> bytes:
    """Synchronous rendering; runs in a worker thread."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    series = sorted({row.day: row for row in rows}.values(), key=lambda row: row.day)
    if not series:
        return _placeholder(title)
    ma = moving_average([row.average for row in series], ma_days)  # over the full series, so it starts at the edge
    start = series[-1].day - timedelta(days=days - 1)
    keep = [i for i, row in enumerate(series) if row.day >= start]
    shown = [series[i] for i in keep]
    x = [row.day for row in shown]
    fig = Figure(figsize=(10, 6), dpi=100, facecolor=BACKGROUND)
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1], "hspace": 0.06})
    top.fill_between(x, [r.lowest for r in shown], [r.highest for r in shown], color=BAND, alpha=0.18, lw=0,
                     label="daily high / low")  # fmt: skip
    top.plot(x, [r.average for r in shown], color=PRICE, lw=1.6, label="daily average")
    top.plot(x, [ma[i] if ma[i] is not None else float("nan") for i in keep], color=AVERAGE, lw=1.4,
             label=f"{ma_days}-day average")  # fmt: skip
    top.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=3, fontsize=9, frameon=False, labelcolor=TEXT)
    top.set_title(title, color=TEXT, fontsize=13, loc="left")
    bottom.bar(x, [r.volume for r in shown], width=1.0 if len(shown) > 180 else 0.8, color=VOLUME, alpha=0.85, lw=0)
    bottom.margins(x=0.01)
    _style(top, "price (ISK)")
    _style(bottom, "volume")
    locator = AutoDateLocator(minticks=4, maxticks=9)  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    fig.subplots_adjust(left=0.08, right=0.98, top=0.93, bottom=0.08)
    return _png(fig)


async def render_history_chart(
    rows: Sequence[HistoryRow], *, title: str, days: int = 90, moving_average_days: int = 7
) -> bytes:
    """PNG (about 1000x600) of the last `days` of history: average, high/low band, moving average, volume."""
    async with _render_slots():
        return await asyncio.to_thread(_draw, list(rows), title, days, moving_average_days)


def _draw_profit(days: Sequence[DailyProfit], title: str) -> bytes:
    """Synchronous rendering of daily (bars) and cumulative (line) realised profit; runs in a worker thread."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure

    if not days:
        return _placeholder(title)
    x = date2num([d.day for d in days])  # type: ignore[no-untyped-call]
    fig = Figure(figsize=(10, 5), dpi=100, facecolor=BACKGROUND)
    ax = fig.subplots()
    colours = [VOLUME if d.profit >= 0 else LOSS for d in days]
    ax.bar(x, [d.profit for d in days], width=0.8, color=colours, alpha=0.85, lw=0, label="daily profit")
    ax.plot(x, [d.cumulative for d in days], color=AVERAGE, lw=1.8, marker="o", ms=3, label="cumulative")
    ax.axhline(0, color=TEXT, lw=0.6, alpha=0.6)
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, fontsize=9, frameon=False, labelcolor=TEXT)
    ax.set_title(title, color=TEXT, fontsize=13, loc="left")
    _style(ax, "realised profit (ISK)")
    locator = AutoDateLocator(minticks=3, maxticks=9)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    fig.subplots_adjust(left=0.09, right=0.98, top=0.9, bottom=0.1)
    return _png(fig)


async def render_profit_chart(days: Sequence[DailyProfit], *, title: str) -> bytes:
    """PNG (about 1000x500) of each day's realised profit and the running total, rendered off the event loop."""
    async with _render_slots():
        return await asyncio.to_thread(_draw_profit, list(days), title)


class ChartKey(NamedTuple):
    """What makes a chart unique: one region, one type, one span, one history snapshot."""

    region_id: int
    type_id: int
    days: int
    as_of: date


class ChartCache:
    """Bounded LRU of rendered charts; concurrent requests for the same key share one render."""

    def __init__(self, maxsize: int = 256) -> None:
        self._maxsize = maxsize
        self._items: OrderedDict[ChartKey, bytes] = OrderedDict()
        self._pending: dict[ChartKey, asyncio.Future[bytes]] = {}

    def __len__(self) -> int:
        return len(self._items)

    async def get_or_render(self, key: ChartKey, render: Callable[[], Awaitable[bytes]]) -> bytes:
        """The cached PNG for `key`, or the result of `render()` (stored, evicting the least recently used)."""
        while (pending := self._pending.get(key)) is not None:  # someone is rendering it: share their result
            try:
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # we were cancelled ourselves
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            png = await render()
        except asyncio.CancelledError:
            future.cancel()  # waiters retry on their own
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: nobody else may be waiting
            raise
        finally:
            self._pending.pop(key, None)
        future.set_result(png)
        self._items[key] = png
        while len(self._items) > self._maxsize:
            self._items.popitem(last=False)
        return png


class CachedHistoryCharts:
    """The ChartRenderer the commands use: one render per (region, type, span, latest history day)."""

    def __init__(self, cache: ChartCache | None = None) -> None:
        self.cache = cache or ChartCache()

    async def __call__(
        self, rows: Sequence[HistoryRow], *, title: str, days: int, region_id: int, type_id: int
    ) -> bytes:
        """PNG bytes of the chart, rendered once per history snapshot."""
        key = ChartKey(region_id, type_id, days, max((row.day for row in rows), default=date.min))
        return await self.cache.get_or_render(key, lambda: render_history_chart(rows, title=title, days=days))
