"""The AI analysis use cases, /analyze (an item at a place) and /ask (a free question), as plain results: our facts,
the model's answer or why there is none, and the age of every source used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.analysis.analyst import AnalysisRequest, Analyst, Answer, NoAnswer
from core.analysis.prompt import analyze_turn, ask_turn, boundary, normalize
from core.catalog import CatalogItem, Location
from core.chat.model import Footer, SourceAge
from core.chat.params import ArgumentError
from core.chat.registry import CommandContext
from core.market.hubs import HUBS
from core.usecases.analysis_facts import ItemFacts, facts_block, history_region_of, item_facts, mentioned_items
from core.usecases.analysis_tools import MarketTools
from core.usecases.market_data import missing_data, missing_regions, missing_text
from core.usecases.market_services import (
    MarketServices,
    history_age,
    market_services,
    orders_source,
    place_or_default,
    sources_data,
)

ENABLE_HINT = (
    "AI analysis is not enabled on this bot. The operator turns it on by setting ANTHROPIC_API_KEY "
    "and/or OPENAI_API_KEY; the facts in the table are computed from live market data either way."
)
DEFAULT_MAX_QUESTION_CHARS = 1000  # without an analyst (its settings say otherwise)


@dataclass(frozen=True)
class AnalysisServices:
    """What the AI use cases need besides MarketServices: the analyst (its provider is None without keys)."""

    analyst: Analyst


def analysis_services(services: MarketServices) -> AnalysisServices | None:
    """The AnalysisServices on the MarketServices (`analysis`), or None when AI is not wired."""
    found = services.analysis
    return found if isinstance(found, AnalysisServices) else None


@dataclass(frozen=True)
class MarketAnalysis:
    """/analyze's or /ask's answer: the facts we computed, the model's answer or why there is none, the footer with
    every source's age. `outcome` None: the market data is missing (`missing`), so the model was not asked."""

    title: str
    facts: tuple[ItemFacts, ...]
    outcome: Answer | NoAnswer | None
    footer: Footer
    missing: tuple[int, ...] = ()

    @property
    def provider(self) -> str | None:
        """Which AI provider answered (None: no answer)."""
        return self.outcome.provider if isinstance(self.outcome, Answer) else None

    @property
    def cached(self) -> bool:
        """Whether the answer came from the answer cache."""
        return isinstance(self.outcome, Answer) and self.outcome.cached

    def text(self, console: bool) -> str:
        """The labelled AI text, the one-line note of why there is none, or what market data is missing."""
        outcome = self.outcome
        if outcome is None:
            return missing_text(self.missing, console)
        if isinstance(outcome, NoAnswer):
            return ENABLE_HINT if outcome.reason == "not_configured" else f"{outcome.message}. Showing our facts only."
        label = f"AI analysis ({outcome.provider} · {outcome.model}"
        label += f", cached, {int(outcome.age_s // 60)} min old)" if outcome.cached else ")"
        cut = "\n(cut at the length limit)" if outcome.truncated else ""
        return f"{label} — the numbers in the table are ours; the text is the model's:\n{outcome.text}{cut}"

    def as_data(self) -> dict[str, Any]:
        """The machine-readable form (README documents these keys): facts, the AI outcome, the sources' ages."""
        outcome = self.outcome
        if outcome is None:
            return missing_data(self.missing)
        ai: dict[str, Any]
        if isinstance(outcome, Answer):
            ai = {"provider": outcome.provider, "model": outcome.model, "cached": outcome.cached}
            ai |= {"age_s": round(outcome.age_s), "tool_calls": outcome.tool_calls, "truncated": outcome.truncated}
        else:
            ai = {"unavailable": outcome.reason, "note": outcome.message}
        return {"facts": [f.as_dict() for f in self.facts], "ai": ai, "sources": sources_data(self.footer)}


class QuestionTooLong(ArgumentError):
    """An /ask question over the analyst's input limit (nothing is read or asked)."""


async def analyse_item(ctx: CommandContext, item: CatalogItem, where: Location | None = None) -> MarketAnalysis:
    """Our facts of the item at the place (else the caller's hub) and the model's short analysis of them."""
    services, place = market_services(ctx), place_or_default(ctx, where)
    facts = await item_facts(services, item, place, services.skills)
    title = f"{item.name} — {facts.place}: analysis"
    if facts.quote_as_of is None and (missing := await missing_regions(services, [facts.region_id])):
        return MarketAnalysis(title, (facts,), None, services.footer(None), missing)  # nothing to analyse: no AI call
    request = AnalysisRequest(
        "analyze",
        str(item.type_id),
        facts.location_id,
        facts.snapshot_version,
        analyze_turn(facts_block([facts], skills=services.skills), item.name, facts.place),
        ctx.caller,
        _settings_key(services),
    )
    outcome = await _answer(ctx, request)
    sources = await _sources(
        services, [(facts.region_id, facts.snapshot_at)], [facts], [history_region_of(item, place)]
    )
    footer = services.footer(facts.snapshot_at, with_tool_reads(sources, outcome))
    return MarketAnalysis(title, (facts,), outcome, footer)


async def answer_question(ctx: CommandContext, question: str) -> MarketAnalysis:
    """A free market question answered by the model with read-only tools, grounded on our facts of the items it
    names (at the caller's hub) and the hubs' snapshot times. QuestionTooLong past the analyst's input limit."""
    services = market_services(ctx)
    analysis = analysis_services(services)
    limit = analysis.analyst.settings.max_question_chars if analysis else DEFAULT_MAX_QUESTION_CHARS
    if len(question) > limit:
        raise QuestionTooLong(
            f"Your question is {len(question):,} characters; /ask takes at most {limit:,}. Shorten it."
        )
    place = place_or_default(ctx, None)
    items = mentioned_items(ctx.catalog, question)
    facts = [await item_facts(services, item, place, services.skills) for item in items]
    snapshots = {hub: await services.reader.snapshot(hub.region_id) for hub in HUBS}
    times = {hub: meta.last_modified for hub, meta in snapshots.items() if meta and meta.last_modified}
    stamps = {hub.name: stamp.isoformat() for hub, stamp in times.items()}
    title = "Market question"
    grounded = stamps or any(f.quote_as_of for f in facts)
    if not grounded and (missing := await missing_regions(services, [place.region_id])):
        return MarketAnalysis(title, tuple(facts), None, services.footer(None), missing)  # nothing to ground on
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
    regions = [*((f.region_id, f.snapshot_at) for f in facts), *((hub.region_id, at) for hub, at in times.items())]
    sources = await _sources(services, regions, facts, [history_region_of(item, place) for item in items])
    footer = services.footer(max(times.values(), default=None), with_tool_reads(sources, outcome))
    return MarketAnalysis(title, tuple(facts), outcome, footer)


async def _answer(ctx: CommandContext, request: AnalysisRequest) -> Answer | NoAnswer:
    """The analyst's answer, or why there is none (AI not wired, or turned off in this server)."""
    analysis = analysis_services(market_services(ctx))
    if analysis is None:
        return NoAnswer("not_configured", "AI analysis is not enabled")
    caller = ctx.caller
    in_guild = caller.guild_id and not caller.is_dm and ctx.preferences is not None
    if in_guild and not (await ctx.preferences.guild(caller.platform, caller.guild_id)).ai_enabled:
        return NoAnswer("disabled", "A server manager turned AI analysis off here (/settings ai on)")
    return await analysis.analyst.answer(request, MarketTools(ctx))


def with_tool_reads(sources: Sequence[SourceAge], outcome: Answer | NoAnswer) -> list[SourceAge]:
    """The reply's sources and, after them, those the model's tool calls read that they do not already name (a
    source is the same when its kind, id and name are)."""
    named = {(source.kind, source.id, source.name) for source in sources}
    read = outcome.sources if isinstance(outcome, Answer) else ()
    return [*sources, *(source for source in read if (source.kind, source.id, source.name) not in named)]


def _settings_key(services: MarketServices) -> str:
    return repr((services.skills, services.fees))


async def _sources(
    services: MarketServices,
    regions: Sequence[tuple[int, datetime | None]],
    facts: Sequence[ItemFacts],
    history_regions: Sequence[int],
) -> list[SourceAge]:
    """Each region's orders once (the first age given), and the history's when the facts used it (the oldest of
    its regions' ages: unknown when any is)."""
    ages: dict[int, datetime | None] = {}
    for region_id, as_of in regions:
        ages.setdefault(region_id, as_of)
    sources = [orders_source(region_id, as_of) for region_id, as_of in ages.items()]
    if history_regions and (services.history is not None or any(f.history_days for f in facts)):
        asked = list(dict.fromkeys(history_regions))
        fetched = [await services.history_age(region_id) for region_id in asked]
        known = [age for age in fetched if age is not None]
        oldest = min(known) if len(known) == len(fetched) else None
        sources.append(history_age(oldest, asked[0] if len(asked) == 1 else None))
    return sources
