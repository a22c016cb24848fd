"""Fees at the character's own skills and standings: /trade uses the trading character's levels and its standings
with the hub station's owner corporation and faction, and the user's command options still override them."""

from __future__ import annotations

import pytest

from core.market.fees import TradeSkills, broker_fee_rate, sales_tax_rate
from core.trading.profile import ACCOUNTING, ADVANCED_BROKER_RELATIONS, BROKER_RELATIONS, FeeProfile
from tests.core.commands.market_helpers import HAND_FEES, JITA, run
from tests.core.commands.test_market_trade import station_market

CALDARI_STATE, CALDARI_NAVY, EMPEROR_FAMILY = 500001, 1000035, 1000086
TRADER = FeeProfile(
    {ACCOUNTING: 5, BROKER_RELATIONS: 5, ADVANCED_BROKER_RELATIONS: 3},
    {CALDARI_STATE: 5.0, CALDARI_NAVY: 8.0, EMPEROR_FAMILY: -3.0},
)


def test_standings_are_those_with_the_stations_owner_and_its_faction() -> None:
    assert TRADER.skills_at(JITA.station_id) == TradeSkills(5, 5, 3, faction_standing=5.0, corp_standing=8.0)
    assert TRADER.skills_at(60008494) == TradeSkills(5, 5, 3, faction_standing=0.0, corp_standing=-3.0)  # Amarr
    assert TRADER.skills_at(None) == TradeSkills(5, 5, 3)
    assert FeeProfile({}, {}).skills_at(JITA.station_id) == TradeSkills(0, 0, 0)  # untrained, no standings


async def test_trade_station_counts_the_characters_own_fees() -> None:
    own = await run("/trade station jita", station_market(), fee_profile=TRADER)
    assumed = await run("/trade station jita", station_market())
    skills = TRADER.skills_at(JITA.station_id)
    bid, ask = own.data["candidates"][0]["buy_price"], own.data["candidates"][0]["sell_price"]
    rate, tax = broker_fee_rate(skills, HAND_FEES), sales_tax_rate(skills, HAND_FEES)
    assert own.data["candidates"][0]["profit_per_unit"] == pytest.approx(ask - bid - rate * (bid + ask) - tax * ask)
    assert own.data["candidates"][0]["profit_per_unit"] > assumed.data["candidates"][0]["profit_per_unit"]
    overridden = await run("/trade station jita accounting=4 broker-relations=4 standing=0", station_market(),
                           fee_profile=TRADER)  # fmt: skip
    corp_only = TradeSkills(4, 4, 3, faction_standing=0.0, corp_standing=8.0)
    rate, tax = broker_fee_rate(corp_only, HAND_FEES), sales_tax_rate(corp_only, HAND_FEES)
    assert overridden.data["candidates"][0]["profit_per_unit"] == pytest.approx(
        ask - bid - rate * (bid + ask) - tax * ask
    )
