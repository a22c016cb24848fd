"""Price a parsed paste at a hub: buy, sell and split per item and in total; thin markets use CCP's average."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.appraisal.model import ParsedItem, ParseResult
from core.market.model import Quote

THIN_SELL_VOLUME = 10  # evepraisal's rule: fewer units than this on sale and the book says little


@dataclass(frozen=True)
class AppraisedItem:
    """One type of the paste (duplicates summed): quantity, unit and total prices, volume, where prices came from."""

    type_id: int
    name: str
    quantity: int
    buy: float | None
    sell: float | None
    split: float | None
    total_buy: float
    total_sell: float
    total_split: float
    volume_m3: float
    price_source: str  # "hub", "ccp_average", "none" or "blueprint_copy"
    blueprint_copy: bool = False


@dataclass(frozen=True)
class Totals:
    """The lot's value at the hub's best buy and best sell, their middle, its volume and item count."""

    buy: float
    sell: float
    split: float
    volume_m3: float
    quantity: int


def _summed(items: list[ParsedItem]) -> dict[tuple[int, bool], tuple[ParsedItem, int]]:
    summed: dict[tuple[int, bool], tuple[ParsedItem, int]] = {}
    for item in items:
        key = (item.item.type_id, item.blueprint_copy)
        first, quantity = summed.get(key, (item, 0))
        summed[key] = (first, quantity + item.quantity)
    return summed


def _unit_prices(quote: Quote | None, average: float | None) -> tuple[float | None, float | None, str]:
    if quote is not None and quote.sell_volume >= THIN_SELL_VOLUME and (quote.best_buy or quote.best_sell):
        return quote.best_buy, quote.best_sell, "hub"
    if average is not None:
        return average, average, "ccp_average"
    if quote is not None and (quote.best_buy or quote.best_sell):
        return quote.best_buy, quote.best_sell, "hub"
    return None, None, "none"


def appraise(
    parsed: ParseResult, quotes: Mapping[int, Quote], averages: Mapping[int, float]
) -> tuple[list[AppraisedItem], Totals]:
    """Every type's value at the hub (max buy / min sell as evepraisal totals do); blueprint copies unpriced."""
    items: list[AppraisedItem] = []
    for (type_id, is_copy), (first, quantity) in _summed(parsed.items).items():
        if is_copy:
            buy, sell, source = None, None, "blueprint_copy"  # never priced from the original's orders
        else:
            buy, sell, source = _unit_prices(quotes.get(type_id), averages.get(type_id))
        split = (buy + sell) / 2 if buy is not None and sell is not None else (buy if sell is None else sell)
        items.append(
            AppraisedItem(
                type_id,
                first.item.name,
                quantity,
                buy,
                sell,
                split,
                (buy or 0.0) * quantity,
                (sell or 0.0) * quantity,
                (split or 0.0) * quantity,
                first.item.volume * quantity,
                source,
                is_copy,
            )
        )
    items.sort(key=lambda item: item.total_sell, reverse=True)
    totals = Totals(
        sum(i.total_buy for i in items),
        sum(i.total_sell for i in items),
        sum(i.total_split for i in items),
        sum(i.volume_m3 for i in items),
        sum(i.quantity for i in items),
    )
    return items, totals
