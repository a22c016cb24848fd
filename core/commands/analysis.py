"""AI commands /analyze (an item at a place) and /ask (a free question): the analysis use case's facts as tables,
its AI text or note, and a footer with every source's age."""

from __future__ import annotations

from datetime import datetime

from core.catalog import CatalogItem, Location
from core.chat.model import Field, Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.market_price import ITEM, WHERE
from core.formatting import isk, percent, units
from core.usecases.analysis import MarketAnalysis, analyse_item, answer_question
from core.usecases.analysis_facts import ItemFacts
from core.usecases.market_data import on_console
from core.usecases.market_services import market_services

QUESTION = Param("question", "Your market question (plain text)", ParamKind.STRING)


async def analyze(ctx: CommandContext, item: CatalogItem, where: Location | None = None) -> Reply:
    """/analyze: our facts table for the item at the place, and the model's short analysis of them."""
    result = await analyse_item(ctx, item, where)
    now = market_services(ctx).clock()
    return _reply(ctx, result, [item_table(facts, now) for facts in result.facts], [])


async def ask(ctx: CommandContext, question: str) -> Reply:
    """/ask: a free market question, answered by the model with read-only tools, grounded on our facts."""
    result = await answer_question(ctx, question)
    facts = result.facts
    fees = f"tax {percent(facts[0].sales_tax_rate)} · broker {percent(facts[0].broker_fee_rate)}" if facts else ""
    return _reply(
        ctx, result, [ask_table(facts)] if facts else [], [Field("Fees (your skills)", fees)] if facts else []
    )


def _reply(ctx: CommandContext, result: MarketAnalysis, tables: list[Table], fields: list[Field]) -> Reply:
    """The reply of either command (only the title, text, footer and data without market data)."""
    text, data = result.text(on_console(ctx)), result.as_data()
    if result.outcome is None:
        return Reply(title=result.title, text=text, footer=result.footer, data=data)
    return Reply(title=result.title, text=text, fields=fields, tables=tables, footer=result.footer, data=data)


def item_table(facts: ItemFacts, now: datetime) -> Table:
    """The /analyze facts table, rendered from our numbers only."""
    spread = f"{isk(facts.spread)} ({percent(facts.spread_pct)})"
    trade = (
        f"{isk(facts.station_trade_profit_per_unit)}/unit ({percent(facts.station_trade_margin)})"
        if facts.station_trade_profit_per_unit is not None
        else "—"
    )
    trend = "—" if facts.trend_7d_pct is None else f"{facts.trend_7d_pct:+.1f}%"
    rows = [
        ["Best sell", f"{isk(facts.best_sell)} ({facts.sell_orders} orders, {units(facts.sell_volume)} units)"],
        ["Best buy", f"{isk(facts.best_buy)} ({facts.buy_orders} orders, {units(facts.buy_volume)} units)"],
        ["Spread", spread],
        ["Station trade after fees", trade],
        ["Fees (your skills)", f"sales tax {percent(facts.sales_tax_rate)} · broker {percent(facts.broker_fee_rate)}"],
        ["Depth within 5%", f"sell {units(facts.sell_depth_5pct)} · buy {units(facts.buy_depth_5pct)}"],
        ["Median 5d / 30d", f"{isk(facts.median_5d)} / {isk(facts.median_30d)}"],
        ["Trend (7d vs prior 7d)", trend],
        ["Volatility (30d, daily)", percent(facts.volatility_30d)],
        ["Avg daily volume (30d)", units(facts.avg_daily_volume_30d)],
        ["Risks", "; ".join(facts.risks) or "none in our numbers"],
        ["Data age", data_age(facts.snapshot_at, now)],
    ]
    return Table(["Fact", "Value"], rows, "ll")


def ask_table(facts: tuple[ItemFacts, ...]) -> Table:
    """The /ask facts table: one row per item the question names."""
    rows = [
        [
            f.item,
            isk(f.best_sell),
            isk(f.best_buy),
            percent(f.spread_pct),
            "—" if f.trend_7d_pct is None else f"{f.trend_7d_pct:+.1f}%",
            units(f.avg_daily_volume_30d),
        ]
        for f in facts
    ]
    return Table(["Item", "Sell", "Buy", "Spread", "Trend 7d", "Vol/day"], rows, "lrrrrr")


def data_age(as_of: datetime | None, now: datetime) -> str:
    """How old the snapshot is, e.g. "4 min (snapshot 11:26 UTC)"."""
    if as_of is None:
        return "no snapshot yet"
    minutes = max(0, int((now - as_of).total_seconds() // 60))
    return f"{minutes} min (snapshot {as_of:%Y-%m-%d %H:%M} UTC)"


def register_analysis_commands(registry: Registry) -> None:
    """Add /analyze and /ask (both slow: adapters defer the answer)."""
    registry.command(
        "analyze",
        "AI analysis of an item: trend, liquidity, fees, risks",
        ITEM,
        WHERE,
        examples=["/analyze plex", "/analyze large skill injector amarr"],
        slow=True,
    )(analyze)
    registry.command(
        "ask",
        "Ask the AI trade analyst a market question",
        QUESTION,
        examples=["/ask what can I haul from Jita to Amarr with 10k m3 and 200M?", "/ask is PLEX cheap right now?"],
        slow=True,
    )(ask)
