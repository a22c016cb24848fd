"""SQL computing per (location, type) quotes from a staged order book, matching core/market/quotes.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.market.model import Quote
from core.market.quotes import DEPTH_BAND, PERCENTILE_SHARE, TOP_SHARE

QUOTE_COLUMNS: tuple[str, ...] = (
    "region_id",
    "location_id",
    "type_id",
    "best_buy",
    "best_sell",
    "buy_volume",
    "sell_volume",
    "buy_orders",
    "sell_orders",
    "buy_depth",
    "sell_depth",
    "buy_percentile",
    "sell_percentile",
    "buy_top5_avg",
    "sell_top5_avg",
    "as_of",
)

# One sort: each side is walked from its best price (buys by descending price, sells ascending) with a
# running volume `cum`; every statistic is then a plain aggregate over that walk. Parameters:
# $1 region, $2 as_of, $3 percentile share, $4 top share, $5 buy depth factor, $6 sell depth factor.
_INSERT_QUOTES = """
INSERT INTO {quotes} ({columns})
WITH walked AS (
    SELECT location_id, type_id, is_buy_order AS buy, price, volume_remain AS v,
           sum(volume_remain) OVER w AS cum,
           sum(volume_remain) OVER (PARTITION BY type_id, location_id, is_buy_order) AS total,
           first_value(price) OVER w AS best
    FROM {orders}
    WHERE volume_remain > 0 AND type_id % {shards} = {shard}
    WINDOW w AS (PARTITION BY type_id, location_id, is_buy_order
                 ORDER BY CASE WHEN is_buy_order THEN -price ELSE price END ROWS UNBOUNDED PRECEDING)
), sides AS (
    SELECT location_id, type_id, buy, min(best) AS best, min(total) AS total, count(*) AS n,
           sum(v) FILTER (WHERE CASE WHEN buy THEN price >= best * $5::float8
                                     ELSE price <= best * $6::float8 END) AS depth,
           CASE WHEN buy THEN max(price) FILTER (WHERE cum >= $3::float8 * total)
                ELSE min(price) FILTER (WHERE cum >= $3::float8 * total) END AS pct,
           sum(price * greatest(0, least(v::float8, $4::float8 * total - (cum - v))))
               / ($4::float8 * min(total)) AS top5
    FROM walked
    GROUP BY type_id, location_id, buy
)
SELECT $1::integer, location_id, type_id,
       max(best) FILTER (WHERE buy), max(best) FILTER (WHERE NOT buy),
       coalesce(max(total) FILTER (WHERE buy), 0), coalesce(max(total) FILTER (WHERE NOT buy), 0),
       coalesce(max(n) FILTER (WHERE buy), 0), coalesce(max(n) FILTER (WHERE NOT buy), 0),
       coalesce(max(depth) FILTER (WHERE buy), 0), coalesce(max(depth) FILTER (WHERE NOT buy), 0),
       max(pct) FILTER (WHERE buy), max(pct) FILTER (WHERE NOT buy),
       max(top5) FILTER (WHERE buy), max(top5) FILTER (WHERE NOT buy),
       $2::timestamptz
FROM sides
GROUP BY type_id, location_id
"""


def insert_quotes_sql(quotes_table: str, orders_table: str, shard: int = 0, shards: int = 1) -> str:
    """The INSERT ... SELECT filling `quotes_table` from the types of `orders_table` with type_id % shards = shard."""
    return _INSERT_QUOTES.format(
        quotes=quotes_table, orders=orders_table, columns=", ".join(QUOTE_COLUMNS), shard=int(shard), shards=int(shards)
    )


def insert_quotes_args(region_id: int, as_of: datetime) -> tuple[Any, ...]:
    """The parameters of insert_quotes_sql, with the band factors computed exactly as core does."""
    return (region_id, as_of, PERCENTILE_SHARE, TOP_SHARE, 1 - DEPTH_BAND, 1 + DEPTH_BAND)


def quote_from_record(record: Any) -> Quote:
    """Build a core Quote from a market_quotes row (a Record selected as SELECT_QUOTES, or a mapping)."""
    return Quote(*(record[name] for name in QUOTE_COLUMNS)) if isinstance(record, dict) else Quote(*record)


SELECT_QUOTES = f"SELECT {', '.join(QUOTE_COLUMNS)} FROM market_quotes"
