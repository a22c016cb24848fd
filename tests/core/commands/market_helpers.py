"""Shared set-up of the market command tests: hand-computed books, the registry, a context, a checked run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.catalog import Catalog
from core.chat import Caller, CommandContext, Invocation, Reply, dispatch
from core.commands.default import build_registry
from core.market.fees import FeeSchedule
from core.market.hubs import HUBS, PLEX_REGION_ID, PLEX_TYPE_ID
from core.usecases.market_services import MarketServices
from tests.core.commands.fake_market import AS_OF, TODAY, FakeMarket, daily_rows
from tests.core.commands.sample_catalog import sample_catalog

CALLER = Caller("console", "u1", "Tester")
REGISTRY = build_registry()
CATALOG = sample_catalog()
JITA, AMARR, DODIXIE, RENS, HEK = HUBS
TRIT, PYERITE = 34, 35
JITA_STATION = "Jita IV - Moon 4 - Caldari Navy Assembly Plant"

# The Tritanium book at Jita, and its statistics worked out by hand (core.market.quotes definitions):
# sells 200,000 units in 5 orders; best 4.90; within 5% (<= 5.145): 1,000 + 9,000 + 40,000 = 50,000;
#   1st percentile: 1% of 200,000 = 2,000 units is first reached at 5.00;
#   top 5% (10,000 units): (1,000 x 4.90 + 9,000 x 5.00) / 10,000 = 4.99.
# buys 100,000 units in 4 orders; best 4.50; within 5% (>= 4.275): 500 + 9,500 + 30,000 = 40,000;
#   99th percentile: 1,000 units first reached at 4.40; top 5% (5,000): (500 x 4.50 + 4,500 x 4.40) / 5,000 = 4.41.
# spread 0.40 = 8.2% of the best sell.
TRIT_SELLS = [(5.20, 50_000), (4.90, 1_000), (6.00, 100_000), (5.00, 9_000), (5.10, 40_000)]
TRIT_BUYS = [(4.30, 30_000), (4.50, 500), (4.00, 60_000), (4.40, 9_500)]
# History: 30 days ending yesterday. The 25 oldest averages are 4.00, 4.02, ..., 4.48; the last five 5.0, 5.2, 4.8,
# 5.1, 4.9. Median 5d = 5.00; median 30d = mean of the 15th and 16th smallest (4.28, 4.30) = 4.29.
OLD_AVERAGES = [round(4.00 + 0.02 * i, 2) for i in range(25)]
LAST_FIVE = [5.0, 5.2, 4.8, 5.1, 4.9]
AVERAGES = OLD_AVERAGES + LAST_FIVE


def trit_market(**book: Any) -> FakeMarket:
    market = FakeMarket()
    market.add_book(JITA.region_id, JITA.station_id, TRIT, buys=TRIT_BUYS, sells=TRIT_SELLS, **book)
    market.add_history(JITA.region_id, TRIT, daily_rows(TODAY, AVERAGES))
    return market


def context(market: FakeMarket, catalog: Catalog = CATALOG, **services: Any) -> CommandContext:
    services.setdefault("fees", HAND_FEES)
    return CommandContext(catalog=catalog, services=MarketServices(reader=market, clock=lambda: AS_OF, **services))


async def run(text: str, market: FakeMarket, catalog: Catalog = CATALOG, **services: Any) -> Reply:
    reply = await dispatch(REGISTRY, Invocation.from_text(text, CALLER), context(market, catalog, **services))
    assert_clean(reply)
    return reply


def assert_clean(reply: Reply) -> None:
    """No traceback or exception class names leak into what the user reads."""
    shown = [reply.text, reply.title or "", *(f.name + f.value for f in reply.fields)]
    shown += [cell for table in reply.tables for row in table.rows for cell in row]
    for text in shown:
        assert "Traceback" not in text and 'File "' not in text and "Error:" not in text, text


def fields(reply: Reply) -> dict[str, str]:
    return {f.name: f.value for f in reply.fields}


def plex_market() -> FakeMarket:
    """PLEX orders at two places of the global PLEX market: one book over the whole region."""
    market = FakeMarket()
    market.add_book(PLEX_REGION_ID, 1, PLEX_TYPE_ID, buys=[(4_000_000, 100)], sells=[(4_200_000, 50)])
    market.add_book(PLEX_REGION_ID, 2, PLEX_TYPE_ID, buys=[(4_050_000, 10)], sells=[(4_150_000, 5)])
    market.set_snapshot(PLEX_REGION_ID, AS_OF - timedelta(minutes=2))
    return market


# Trade finders: stations, snapshot times and the default fee maths (Accounting IV, Broker Relations IV).
JITA, AMARR = HUBS[0], HUBS[1]
AMARR_STATION = "Amarr VIII (Oris) - Emperor Family Academy"
JITA_SNAPSHOT = AS_OF - timedelta(minutes=3)
AMARR_SNAPSHOT = AS_OF - timedelta(minutes=7)

# The hand-computed figures of these tests take a 7.5% sales tax base (CCP publishes 8%, the default: see
# tests/core/market/test_fees.py); commands read the schedule from their services, so these pin it.
HAND_FEES = FeeSchedule(sales_tax_base=0.075)
TAX = 0.075 * (1 - 0.11 * 4)  # 4.2% sales tax
BROKER = 0.03 - 0.003 * 4  # 1.8% broker fee

TRIT, PASTE, WEB, DC2, LSE2 = 34, 28668, 527, 2048, 3841
MPL2, MPL1, CARACAL, RAVEN = 3057, 3041, 621, 638
UNKNOWN_TYPE = 999_999
