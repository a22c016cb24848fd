"""AI commands: /analyze (an item at a place) and /ask (a free question): our facts table, AI text when we can."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.analysis.analyst import AnalysisRequest, Analyst, Answer, NoAnswer
from core.analysis.facts import ItemFacts, facts_block, item_facts, mentioned_items
from core.analysis.prompt import analyze_turn, ask_turn, boundary, normalize
from core.analysis.tools import MarketTools
from core.catalog import CatalogItem, Location
from core.chat.model import Field, Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.market_price import ITEM, WHERE
from core.commands.no_data import missing_market_data
from core.formatting import isk, percent, units
from core.market.hubs import HUBS
from core.usecases.market_services import MarketServices, market_services, place_or_default

ENABLE_HINT = (
    "AI analysis is not enabled on this bot. The operator turns it on by setting ANTHROPIC_API_KEY "
    "and/or OPENAI_API_KEY; the facts in the table are computed from live market data either way."
)
QUESTION = Param("question", "Your market question (plain text)", ParamKind.STRING)


@dataclass(frozen=True)
class AnalysisServices:
    """What the AI commands need besides MarketServices: the analyst (its provider is None without keys)."""

    analyst: Analyst


def analysis_services(ctx: CommandContext) -> AnalysisServices | None:
    """The AnalysisServices on the context's services (`MarketServices.analysis`), or None when AI is not wired."""
    found = getattr(ctx.services, "analysis", None)
    return found if isinstance(found, AnalysisServices) else None


async def analyze(ctx: CommandContext, item: CatalogItem, where: Location | None = None) -> Reply:
    """/analyze: our facts table for the item at the place, and the model's short analysis of them."""
    services, place = market_services(ctx), place_or_default(ctx, where)
    facts = await item_facts(services, item, place, services.skills)
    title = f"{item.name} — {facts.place}: analysis"
    if facts.quote_as_of is None and (empty := await missing_market_data(ctx, [facts.region_id], title=title)):
        return empty  # no facts to analyse: no AI call
    block = facts_block([facts], skills=services.skills)
    request = AnalysisRequest(
        "analyze",
        str(item.type_id),
        facts.location_id,
        facts.snapshot_version,
        analyze_turn(block, item.name, facts.place),
        ctx.caller,
        _settings_key(services),
    )
    outcome = await _answer(ctx, request)
    return _reply(services, title, [item_table(facts, services.clock())], facts.snapshot_at, [facts], outcome)


async def ask(ctx: CommandContext, question: str) -> Reply:
    """/ask: a free market question, answered by the model with read-only tools, grounded on our facts."""
    services = market_services(ctx)
    analysis = analysis_services(ctx)
    limit = analysis.analyst.settings.max_question_chars if analysis else 1000
    if len(question) > limit:
        return Reply.error(
            f"Your question is {len(question):,} characters; /ask takes at most {limit:,}. Shorten it.",
            "/ask <question>",
        )
    place = place_or_default(ctx, None)
    facts = [
        await item_facts(services, item, place, services.skills) for item in mentioned_items(ctx.catalog, question)
    ]
    snapshots = {hub.name: await services.reader.snapshot(hub.region_id) for hub in HUBS}
    stamps = {name: meta.last_modified.isoformat() for name, meta in snapshots.items() if meta and meta.last_modified}
    grounded = stamps or any(f.quote_as_of for f in facts)
    if not grounded and (empty := await missing_market_data(ctx, [place.region_id], title="Market question")):
        return empty  # no market data to ground an answer on: no AI call
    block = facts_block(facts, skills=services.skills, extra={"default_hub": place.name, "hub_snapshots": stamps})
    version = "|".join([*(f.snapshot_version for f in facts), *(f"{n}@{s}" for n, s in sorted(stamps.items()))])
    request = AnalysisRequest(
        "ask",
        normalize(question),
        facts[0].location_id if facts else 0,
        version,
        ask_turn(block, question, boundary()),
        ctx.caller,
        _settings_key(services),
    )
    outcome = await _answer(ctx, request)
    newest = max((meta.last_modified for meta in snapshots.values() if meta and meta.last_modified), default=None)
    tables = [ask_table(facts)] if facts else []
    return _reply(services, "Market question", tables, newest, facts, outcome)


async def _answer(ctx: CommandContext, request: AnalysisRequest) -> Answer | NoAnswer:
    analysis = analysis_services(ctx)
    if analysis is None:
        return NoAnswer("not_configured", "AI analysis is not enabled")
    caller = ctx.caller
    in_guild = caller.guild_id and not caller.is_dm and ctx.preferences is not None
    if in_guild and not (await ctx.preferences.guild(caller.platform, caller.guild_id)).ai_enabled:
        return NoAnswer("disabled", "A server manager turned AI analysis off here (/settings ai on)")
    return await analysis.analyst.answer(request, MarketTools(ctx))


def _settings_key(services: MarketServices) -> str:
    return repr((services.skills, services.fees))


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


def ask_table(facts: list[ItemFacts]) -> Table:
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


def ai_text(outcome: Answer | NoAnswer) -> str:
    """The labelled AI part of the reply, or the one-line note of why there is none."""
    if isinstance(outcome, NoAnswer):
        if outcome.reason == "not_configured":
            return ENABLE_HINT
        return f"{outcome.message}. Showing our facts only."
    label = f"AI analysis ({outcome.provider} · {outcome.model}"
    label += f", cached, {int(outcome.age_s // 60)} min old)" if outcome.cached else ")"
    cut = "\n(cut at the length limit)" if outcome.truncated else ""
    return f"{label} — the numbers in the table are ours; the text is the model's:\n{outcome.text}{cut}"


def _reply(
    services: MarketServices,
    title: str,
    tables: list[Table],
    as_of: datetime | None,
    facts: list[ItemFacts],
    outcome: Answer | NoAnswer,
) -> Reply:
    ai: dict[str, Any]
    if isinstance(outcome, Answer):
        ai = {"provider": outcome.provider, "model": outcome.model, "cached": outcome.cached}
        ai |= {"age_s": round(outcome.age_s), "tool_calls": outcome.tool_calls, "truncated": outcome.truncated}
    else:
        ai = {"unavailable": outcome.reason, "note": outcome.message}
    fields = []
    if facts and len(tables) and tables[0].headers[0] == "Item":
        fields.append(
            Field(
                "Fees (your skills)",
                f"tax {percent(facts[0].sales_tax_rate)} · broker {percent(facts[0].broker_fee_rate)}",
            )
        )
    data = {"facts": [f.as_dict() for f in facts], "ai": ai}
    return Reply(
        title=title, text=ai_text(outcome), fields=fields, tables=tables, footer=services.footer(as_of), data=data
    )


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
