"""Empty states before any ingest: every market command names the region without data and the next step."""

from __future__ import annotations

import pytest

from core.analysis.analyst import Analyst
from core.appraisal.parsers import default_parsers
from core.chat import Caller, CommandContext, Invocation, Reply, dispatch
from core.market.model import SnapshotMeta, SnapshotStatus
from core.ports import StoreUnavailable
from core.usecases.analysis import AnalysisServices
from core.usecases.market_data import CHAT_STEP, has_market_data
from core.usecases.market_services import MarketServices
from tests.core.analysis.test_analyst import ScriptedProvider, reply
from tests.core.commands.fake_market import AS_OF, FakeMarket
from tests.core.commands.market_helpers import AMARR, CALLER, CATALOG, JITA, REGISTRY, TRIT, assert_clean, trit_market
from tests.core.commands.test_appraise import Averages

FORGE_EMPTY = "The Forge has no market data yet: run `evetrader seed` for demo data or keep `evetrader run` going."
DISCORD = Caller("discord", "42", "Pilot", guild_id="7")


async def run(text: str, market: FakeMarket, caller: Caller = CALLER, **services: object) -> Reply:
    """Dispatch `text` as `caller` over `market` (services: extra MarketServices fields)."""
    context = CommandContext(CATALOG, MarketServices(reader=market, clock=lambda: AS_OF, **services))  # type: ignore[arg-type]
    answer = await dispatch(REGISTRY, Invocation.from_text(text, caller), context)
    assert_clean(answer)
    return answer


async def test_price_before_any_ingest_says_what_is_missing_and_what_to_run():
    answer = await run("/price tritanium jita", FakeMarket())
    assert not answer.is_error and answer.text == FORGE_EMPTY
    assert answer.title == f"Tritanium — {JITA.station_name}"
    assert answer.data == {"type_id": TRIT, "location_id": JITA.station_id, "missing_regions": [JITA.region_id],
                           "no_market_data": True}  # fmt: skip


async def test_a_chat_platform_gets_the_next_step_its_users_can_take():
    answer = await run("/price tritanium jita", FakeMarket(), caller=DISCORD)
    assert answer.text == f"The Forge has no market data yet: {CHAT_STEP}."
    assert "evetrader seed" not in answer.text


async def test_an_ingested_region_that_does_not_trade_the_item_keeps_its_own_answer():
    market = trit_market()
    answer = await run("/price pyerite jita", market)
    assert answer.text == "Nobody buys or sells it there right now."
    reads = [call for call in market.calls if call[0] == "snapshot"]
    assert reads == [("snapshot", JITA.region_id)]  # read on the empty path only
    market.calls.clear()
    await run("/price tritanium jita", market)
    assert not [call for call in market.calls if call[0] == "snapshot"]  # an answer with data reads no meta


async def test_a_failed_first_refresh_is_still_no_market_data():
    failed = SnapshotMeta(JITA.region_id, SnapshotStatus.FAILED, None, None, None, 0, 0, 0, 0.0, AS_OF, "HTTP 503")
    assert not has_market_data(failed) and not has_market_data(None)
    assert has_market_data(SnapshotMeta(JITA.region_id, SnapshotStatus.OK, AS_OF, None, None, 3, 10, 5, 1.0, AS_OF))
    market = FakeMarket()
    market._snapshots[JITA.region_id] = failed
    assert (await run("/price tritanium jita", market)).text == FORGE_EMPTY


async def test_compare_names_every_hub_region_without_data():
    answer = await run("/compare tritanium", FakeMarket())
    assert answer.text.startswith("The Forge, Domain, Sinq Laison, Heimatar and Metropolis have no market data yet")
    partial = await run("/compare pyerite", trit_market())
    assert partial.text.startswith("No hub with market data trades it right now. Domain, Sinq Laison, Heimatar and")


async def test_history_and_the_trade_finders_before_any_ingest():
    history = await run("/history tritanium jita", FakeMarket())
    assert history.text == FORGE_EMPTY and history.images == []
    station = await run("/trade station jita", FakeMarket())
    assert station.text == FORGE_EMPTY
    haul = await run("/trade haul jita amarr", trit_market())
    assert haul.text.startswith("Domain has no market data yet") and haul.data["missing_regions"] == [AMARR.region_id]


async def test_appraise_before_any_ingest_explains_instead_of_pricing_nothing():
    answer = await run("/appraise 100 Tritanium", FakeMarket(), parsers=default_parsers(), averages=Averages({}))
    assert answer.text == FORGE_EMPTY and answer.data["items"][0]["name"] == "Tritanium"
    averaged = await run(
        "/appraise 100 Tritanium", FakeMarket(), parsers=default_parsers(), averages=Averages({TRIT: 4.0})
    )
    assert averaged.text.startswith(FORGE_EMPTY) and averaged.tables  # CCP's averages still price it, with the note


@pytest.mark.parametrize("text", ["/analyze tritanium jita", "/ask is tritanium cheap?"])
async def test_the_analyst_is_not_asked_about_a_region_without_data(text: str):
    provider = ScriptedProvider([reply("should not be asked")])
    analysis = AnalysisServices(Analyst(provider, clock=lambda: AS_OF))
    answer = await run(text, FakeMarket(), analysis=analysis)
    assert answer.text == FORGE_EMPTY and provider.requests == []


class UnreachableSnapshots(FakeMarket):
    """A market whose snapshot store is down (the quote cache still answers)."""

    async def snapshot(self, region_id: int) -> SnapshotMeta | None:
        raise StoreUnavailable("postgres is down")


async def test_an_unreachable_snapshot_store_keeps_the_plain_empty_answer():
    answer = await run("/price tritanium jita", UnreachableSnapshots())
    assert answer.text == "Nobody buys or sells it there right now."
