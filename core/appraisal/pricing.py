"""Price a parsed paste at a hub: buy, sell and split per item and in total; thin markets use CCP's average.

With the books a player can fill at the hub (station sells; station and region-range buy orders that reach it),
`buy` is the best buy order that accepts the item's whole quantity (its min_volume honoured) and `sell` the best
sell; `buy_fill` / `sell_fill` are the average unit prices of filling the whole quantity now (None when the book
cannot fill it). Without a book (PLEX's quote, or none read) the quote's top of book is used as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.appraisal.model import ParsedItem, ParseResult
from core.market.finders import BookLevel, best_fillable, walk_fill
from core.market.model import Quote
from core.market.reads import Book

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
    price_source: str  # "hub", "ccp_average" (either side), "none" or "blueprint_copy"
    blueprint_copy: bool = False
    buy_fill: float | None = None
    sell_fill: float | None = None
    buy_price_source: str = "hub"  # per side: "hub", "ccp_average", "none" or "blueprint_copy"
    sell_price_source: str = "hub"


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


def _fill(levels: Sequence[BookLevel], quantity: int, *, ascending: bool) -> float | None:
    """The average unit price of filling all `quantity` units against one side now, or None if it cannot."""
    fill = walk_fill(levels, quantity, ascending=ascending)
    return fill.avg_price if fill.filled_qty == quantity and quantity > 0 else None


def _top(quote: Quote | None, book: Book | None, quantity: int) -> tuple[float | None, float | None, int]:
    """Best buy and sell a player can fill for `quantity` and the units on sale: from the book, else the quote."""
    if book is not None:
        buy = best_fillable(book.buys, quantity, ascending=False)
        sell = best_fillable(book.sells, quantity, ascending=True)
        return buy, sell, sum(level.volume for level in book.sells)
    if quote is not None:
        return quote.best_buy, quote.best_sell, quote.sell_volume
    return None, None, 0


def _unit_prices(
    quote: Quote | None, book: Book | None, average: float | None, quantity: int
) -> tuple[float | None, float | None, str, str]:
    """Unit buy and sell with each side's source: only a thin side is replaced by CCP's average.

    The sell side is thin below THIN_SELL_VOLUME units on sale; the buy side takes the average only when it has no
    order the quantity can fill and the sell side is thin too (the whole book says nothing). A real best buy is
    never overwritten.
    """
    best_buy, best_sell, on_sale = _top(quote, book, quantity)
    thin = on_sale < THIN_SELL_VOLUME and average is not None
    sell, sell_source = (average, "ccp_average") if thin else (best_sell, "hub" if best_sell else "none")
    buy: float | None = best_buy
    buy_source = "hub" if best_buy else "ccp_average" if thin else "none"
    if not best_buy:
        buy = average if thin else None
    return buy, sell, buy_source, sell_source


def _overall_source(buy_source: str, sell_source: str) -> str:
    """The item's `price_source` as before: "ccp_average" if either side used it, else "hub" or "none"."""
    sources = {buy_source, sell_source}
    return next(source for source in ("ccp_average", "hub", "none") if source in sources)


def appraise(
    parsed: ParseResult,
    quotes: Mapping[int, Quote],
    averages: Mapping[int, float],
    books: Mapping[int, Book] | None = None,
) -> tuple[list[AppraisedItem], Totals]:
    """Every type's value at the hub (max buy / min sell as evepraisal totals do); blueprint copies unpriced."""
    items: list[AppraisedItem] = []
    books = books or {}
    for (type_id, is_copy), (first, quantity) in _summed(parsed.items).items():
        book = books.get(type_id)
        buy_fill = sell_fill = None
        if is_copy:
            buy, sell, buy_source, sell_source = None, None, "blueprint_copy", "blueprint_copy"  # never the original's
        else:
            buy, sell, buy_source, sell_source = _unit_prices(
                quotes.get(type_id), book, averages.get(type_id), quantity
            )
            if book is not None:
                buy_fill = _fill(book.buys, quantity, ascending=False)
                sell_fill = _fill(book.sells, quantity, ascending=True)
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
                buy_source if is_copy else _overall_source(buy_source, sell_source),
                is_copy,
                buy_fill,
                sell_fill,
                buy_source,
                sell_source,
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
