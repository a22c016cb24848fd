"""The analysis use cases as plain results: facts from our data, the answer or why there is none, every source's age."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import asyncpg
import pytest

from adapters.postgres.history import PgHistoryStore
from core.analysis.analyst import Analyst, Answer, NoAnswer
from core.chat import CommandContext, Invocation, SourceAge
from core.market.history import HistorySummary
from core.market.history_demand import HistoryOnDemand
from core.usecases.analysis import (
    ENABLE_HINT,
    AnalysisServices,
    QuestionTooLong,
    analyse_item,
    answer_question,
)
from core.usecases.market_services import MarketServices
from tests.core.analysis.test_analyst import MemoryCache, ScriptedProvider, reply
from tests.core.commands.fake_market import AS_OF, FakeMarket
from tests.core.commands.market_helpers import (
    AMARR,
    CALLER,
    CATALOG,
    HAND_FEES,
    JITA,
    REGISTRY,
    TRIT,
    plex_market,
    trit_market,
)

TRITANIUM = CATALOG.item("trit")


def context(market: FakeMarket, analyst: Analyst | None = None, **services: object) -> CommandContext:
    analysis = AnalysisServices(analyst) if analyst else None
    wired = MarketServices(reader=market, clock=lambda: AS_OF, fees=HAND_FEES, analysis=analysis, **services)  # type: ignore[arg-type]
    return CommandContext(CATALOG, wired).bind(Invocation("analyze", "", CALLER), REGISTRY)


async def test_an_item_analysis_holds_our_facts_the_answer_its_provider_and_every_source_age():
    provider = ScriptedProvider([reply("Spread is tight.")])
    result = await analyse_item(context(trit_market(), Analyst(provider, clock=lambda: AS_OF)), TRITANIUM)
    [facts] = result.facts
    assert (facts.best_sell, facts.best_buy, facts.median_30d) == (4.90, 4.50, 4.29)  # the fake market's numbers
    assert result.provider == "scripted" and not result.cached and isinstance(result.outcome, Answer)
    assert result.outcome.text == "Spread is tight."
    assert result.footer.as_of == AS_OF
    assert result.footer.sources == (SourceAge("Jita orders", AS_OF), SourceAge("history", None))  # history not wired
    data = result.as_data()
    assert data["sources"] == [
        {"kind": "market_orders", "id": JITA.region_id, "name": "Jita orders", "as_of": AS_OF.isoformat()},
        {"kind": "history", "id": JITA.region_id, "name": "history", "as_of": None},
    ]
    assert data["facts"][0]["best_sell"] == 4.90 and data["ai"]["provider"] == "scripted"
    assert result.text(console=True).endswith("Spread is tight.")


async def test_a_second_analysis_of_the_same_snapshot_is_the_cached_answer():
    provider = ScriptedProvider([reply("Hold.")])
    analyst = Analyst(provider, cache=MemoryCache(), clock=lambda: AS_OF)
    await analyse_item(context(trit_market(), analyst), TRITANIUM)
    again = await analyse_item(context(trit_market(), analyst), TRITANIUM)
    assert again.cached and again.provider == "scripted" and len(provider.requests) == 1


async def test_plex_names_the_global_plex_market_as_its_orders_source():
    result = await analyse_item(context(plex_market(), Analyst(ScriptedProvider([reply()]))), CATALOG.item("plex"))
    assert result.footer.sources[0] == SourceAge("PLEX market orders", AS_OF - timedelta(minutes=2))


class NeverRefreshes:
    """The history refresh port, which reading a region's history age never calls."""

    async def refresh(self, region_id: int, type_ids: Sequence[int]) -> HistorySummary:
        raise AssertionError("the age of stored history needs no refresh")


async def test_the_history_source_carries_its_regions_last_fetch(pg_pool: asyncpg.Pool):
    store = PgHistoryStore(pg_pool)
    await store.upsert(JITA.region_id, TRIT, [], etag='"e"', expires=None)
    fetched = await store.region_fetched(JITA.region_id)
    history = HistoryOnDemand(NeverRefreshes(), store)
    result = await analyse_item(context(trit_market(), history=history), TRITANIUM)
    assert fetched is not None and result.footer.sources[-1] == SourceAge("history", fetched)
    assert result.as_data()["sources"][-1] == {
        "kind": "history",
        "id": JITA.region_id,
        "name": "history",
        "as_of": fetched.isoformat(),
    }


async def test_a_question_lists_each_hub_snapshot_and_the_named_items_sources():
    market = trit_market().set_snapshot(AMARR.region_id, AS_OF - timedelta(minutes=10))
    provider = ScriptedProvider([reply("Tritanium is near its median.")])
    result = await answer_question(context(market, Analyst(provider)), "is tritanium cheap?")
    assert [f.item for f in result.facts] == ["Tritanium"] and result.provider == "scripted"
    assert result.footer.as_of == AS_OF  # the newest hub snapshot, as before
    assert result.footer.sources == (
        SourceAge("Jita orders", AS_OF),
        SourceAge("Amarr orders", AS_OF - timedelta(minutes=10)),
        SourceAge("history", None),
    )
    assert '"Amarr": "' in provider.requests[0]["turns"][0].text  # the model is given the same snapshot times


async def test_without_market_data_the_model_is_not_asked_and_the_result_says_what_is_missing():
    provider = ScriptedProvider([reply("should not be asked")])
    for result in (
        await analyse_item(context(FakeMarket(), Analyst(provider)), TRITANIUM),
        await answer_question(context(FakeMarket(), Analyst(provider)), "is tritanium cheap?"),
    ):
        assert result.outcome is None and result.missing == (JITA.region_id,) and result.footer.sources == ()
        assert result.as_data() == {"missing_regions": [JITA.region_id], "no_market_data": True}
        assert result.text(console=True).startswith("The Forge has no market data yet")
    assert provider.requests == []


async def test_without_an_analyst_the_facts_come_with_the_reason():
    result = await analyse_item(context(trit_market()), TRITANIUM)
    assert result.facts[0].best_sell == 4.90 and result.provider is None and not result.cached
    assert result.outcome == NoAnswer("not_configured", "AI analysis is not enabled")
    assert result.text(console=False) == ENABLE_HINT
    assert result.as_data()["ai"] == {"unavailable": "not_configured", "note": "AI analysis is not enabled"}


async def test_a_question_over_the_limit_is_refused_before_anything_is_read():
    market = trit_market()
    with pytest.raises(QuestionTooLong, match="Your question is 1,001 characters; /ask takes at most 1,000"):
        await answer_question(context(market), "x" * 1001)
    assert market.calls == []
