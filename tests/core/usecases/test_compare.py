"""/compare's use case with the caller's structure markets: rows after the hubs, each with its own data age."""

from __future__ import annotations

from datetime import timedelta

from core.chat.model import SourceAge
from core.market.hubs import HUBS
from core.market.structures import StructureMarket
from core.usecases.compare import compare_hubs
from core.usecases.market_services import MarketServices
from tests.core.commands.fake_market import AS_OF
from tests.core.commands.market_helpers import CATALOG, TRIT, trit_market

TOWER = StructureMarket(1_035_466_617_946, 90_000_001, "Perimeter - Tower", 30000144, 10000002, 1, 9)
KEEPSTAR = StructureMarket(1_035_000_000_001, 90_000_002, "1DQ - Keepstar", 30004759, 10000060, 1, 9)
TRITANIUM = CATALOG.by_id(TRIT)


async def test_structures_follow_the_hubs_with_their_own_ages() -> None:
    market = trit_market()  # Jita only: 4.90 / 4.50
    tower_at = AS_OF - timedelta(minutes=7)
    market.add_book(TOWER.market_id, TOWER.structure_id, TRIT, sells=[(4.80, 1_000)], buys=[(4.60, 10)], as_of=tower_at)
    market.set_snapshot(KEEPSTAR.market_id, AS_OF - timedelta(hours=1))  # ingested, no Tritanium
    assert TRITANIUM is not None
    result = await compare_hubs(MarketServices(reader=market, clock=lambda: AS_OF), TRITANIUM, [TOWER, KEEPSTAR])
    assert result.title == "Tritanium at the hubs and your structures"
    assert [name for name, _ in result.rows] == ["Jita", "Perimeter - Tower"]
    assert result.text(False) == "buy in Perimeter - Tower at 4.80 · sell in Perimeter - Tower at 4.60"
    sources = result.footer.sources
    assert sources[: len(HUBS)] == tuple(SourceAge(f"{h.name} orders", AS_OF if h is HUBS[0] else None) for h in HUBS)
    assert sources[len(HUBS) :] == (
        SourceAge("Perimeter - Tower orders", tower_at),
        SourceAge("1DQ - Keepstar orders", AS_OF - timedelta(hours=1)),  # read, nothing found: the snapshot's age
    )
    assert result.footer.as_of == tower_at  # the oldest quote shown
    data = result.as_data()
    assert list(data["hubs"]) == ["Jita"] and list(data["structures"]) == ["Perimeter - Tower"]
    assert data["structures"]["Perimeter - Tower"]["location_id"] == TOWER.structure_id
    assert data["buy_at"] == data["sell_at"] == "Perimeter - Tower"
    assert data["sources"][-1] == {
        "kind": "market_orders",
        "id": KEEPSTAR.market_id,
        "name": "1DQ - Keepstar orders",
        "as_of": (AS_OF - timedelta(hours=1)).isoformat(),
    }
    asked = [call[1:3] for call in market.calls if call[0] == "quote"]
    assert asked[len(HUBS) :] == [(TOWER.market_id, TOWER.structure_id), (KEEPSTAR.market_id, KEEPSTAR.structure_id)]


async def test_only_a_structure_trades_it() -> None:
    market = trit_market()
    market.add_book(TOWER.market_id, TOWER.structure_id, 35, sells=[(9.0, 5)])  # Pyerite: no hub has it
    pyerite = CATALOG.by_id(35)
    assert pyerite is not None
    result = await compare_hubs(MarketServices(reader=market, clock=lambda: AS_OF), pyerite, [TOWER])
    assert result.quotes == () and [name for name, _ in result.structures] == ["Perimeter - Tower"]
    assert result.text(False) == "buy in Perimeter - Tower at 9.00"
    assert result.as_data()["hubs"] == {} and "Perimeter - Tower" in result.as_data()["structures"]


async def test_without_structures_the_data_keeps_its_keys() -> None:
    assert TRITANIUM is not None
    result = await compare_hubs(MarketServices(reader=trit_market(), clock=lambda: AS_OF), TRITANIUM)
    assert result.title == "Tritanium at the hubs"
    assert set(result.as_data()) == {"type_id", "name", "hubs", "buy_at", "sell_at", "sources"}
