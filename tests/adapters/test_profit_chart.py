"""/profit's chart: daily and cumulative realised profit as a PNG, rendered by matplotlib off the event loop."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from adapters import charts
from adapters.charts import render_profit_chart
from core.chat import Caller, CommandContext, Invocation, dispatch
from core.commands.default import build_registry
from core.trading.book import FetchingBook, FirstFetch
from core.trading.model import WalletTransaction
from core.trading.report import DailyProfit
from core.usecases.accounts import AccountServices
from tests.core.trading.test_first_fetch import Esi

PNG = b"\x89PNG\r\n\x1a\n"


async def test_the_chart_is_a_png_drawn_outside_the_event_loop(monkeypatch) -> None:
    threads: list[int] = []
    draw = charts._draw_profit

    def spy(*args, **kwargs) -> bytes:
        threads.append(threading.get_ident())
        return draw(*args, **kwargs)

    monkeypatch.setattr(charts, "_draw_profit", spy)
    day = datetime(2024, 5, 1).date()
    days = [DailyProfit(day, 5e6, 5e6), DailyProfit(day + timedelta(days=2), -2e6, 3e6)]
    png = await render_profit_chart(days, title="Realised profit")
    assert png.startswith(PNG) and len(png) > 5000
    assert threads and threads[0] != threading.get_ident()
    assert (await render_profit_chart([], title="none")).startswith(PNG)  # no sales: a placeholder image


async def test_profit_replies_with_the_chart() -> None:
    esi = Esi()
    esi.gate.set()
    now = datetime.now(UTC)
    esi.stored = [
        WalletTransaction(1, now - timedelta(days=2), 34, 100, 5.0, True, 60003760, 0, 7),
        WalletTransaction(2, now - timedelta(hours=1), 34, 100, 6.0, False, 60003760, 0, 7),
    ]
    esi.fetched.add(7)
    book = FetchingBook(esi, FirstFetch(esi.fetch), render_profit_chart)
    services = AccountServices(None, None, "http://panel", wallet=book)  # type: ignore[arg-type]
    caller = Caller("telegram", "1", "Trader", account_id=1)
    reply = await dispatch(
        build_registry(), Invocation.from_text("/profit 7d", caller), CommandContext(accounts=services)
    )
    assert not reply.is_error and len(reply.images) == 1
    assert reply.images[0].png.startswith(PNG) and "cumulative realised profit" in reply.images[0].alt
    command = build_registry().get("profit")
    assert command is not None and command.chart  # Telegram shows "sending a photo" while it renders
