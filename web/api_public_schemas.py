"""JSON Schemas of the public API (appraisals, market data, item search): merged into the document's components."""

from __future__ import annotations

from web.api_schemas import Schema, ref

_PRICE: Schema = {"type": ["number", "null"]}
_NUMBER: Schema = {"type": "number"}
_COUNT: Schema = {"type": "integer", "minimum": 0}
_TIME: Schema = {"type": "string", "format": "date-time"}
_MAYBE_TIME: Schema = {"type": ["string", "null"], "format": "date-time"}


def _object(properties: dict[str, Schema], optional: tuple[str, ...] = ()) -> Schema:
    """An object schema whose properties are all required but the `optional` ones."""
    return {"type": "object", "required": [p for p in properties if p not in optional], "properties": properties}


_QUOTE = _object(
    {
        "type_id": {"type": "integer"},
        "name": {"type": "string"},
        "location_id": {"type": "integer"},
        "best_sell": _PRICE,
        "best_buy": _PRICE,
        "sell_volume": _COUNT,
        "buy_volume": _COUNT,
        "sell_orders": _COUNT,
        "buy_orders": _COUNT,
        "sell_depth_5pct": _COUNT,
        "buy_depth_5pct": _COUNT,
        "sell_percentile": _PRICE,
        "buy_percentile": _PRICE,
        "sell_top5_avg": _PRICE,
        "buy_top5_avg": _PRICE,
        "as_of": _TIME,
    }
)

_SOURCES: Schema = {
    "type": "array",
    "items": ref("SourceAge"),
    "description": "every source the answer used with when it was current, as a chat reply's footer lists them",
}

PUBLIC_SCHEMAS: dict[str, Schema] = {
    "SourceAge": _object(
        {
            "kind": {
                "type": ["string", "null"],
                "enum": ["market_orders", "history", "average_prices", "wallet", "character_orders", "assets", None],
            },
            "id": {
                "type": ["integer", "null"],
                "description": "market_orders: the region or structure market; history: its region (null: several);"
                " wallet, character_orders, assets: the character; average_prices: null",
            },
            "name": {"type": "string", "description": "as a chat reply's footer names it (Jita orders, history)"},
            "as_of": {**_MAYBE_TIME, "description": "when the data was current (null: unknown or never fetched)"},
        }
    ),
    "AppraisalCreate": {
        "type": "object",
        "additionalProperties": False,
        "required": ["paste"],
        "properties": {
            "paste": {"type": "string", "minLength": 1, "description": "what was copied from the game (1 MB at most)"},
            "hub": {"type": ["string", "null"], "description": "Jita, Amarr, Dodixie, Rens, Hek or a station"},
        },
    },
    "AppraisedItem": _object(
        {
            "type_id": {"type": "integer"},
            "name": {"type": "string"},
            "quantity": _COUNT,
            "buy": _PRICE,
            "sell": _PRICE,
            "split": _PRICE,
            "total_buy": _NUMBER,
            "total_sell": _NUMBER,
            "total_split": _NUMBER,
            "volume_m3": _NUMBER,
            "price_source": {"type": "string", "enum": ["hub", "ccp_average", "none", "blueprint_copy"]},
            "blueprint_copy": {"type": "boolean"},
        }
    ),
    "Appraisal": _object(
        {
            "id": {"type": "string", "pattern": "^[0-9A-Za-z]{10}$"},
            "url": {"type": "string", "description": "the permalink page"},
            "hub": {"type": "string"},
            "priced_at": {**_MAYBE_TIME, "description": "the oldest quote's time"},
            "created_at": _TIME,
            "expires_at": _TIME,
            "location_id": {"type": "integer"},
            "formats": {"type": "array", "items": {"type": "string"}},
            "items": {"type": "array", "items": ref("AppraisedItem")},
            "totals": _object(
                {"buy": _NUMBER, "sell": _NUMBER, "split": _NUMBER, "volume_m3": _NUMBER, "quantity": _COUNT}
            ),
            "unparsed": {
                "type": "array",
                "items": _object(
                    {"line": {"type": "integer"}, "text": {"type": "string"}, "reason": {"type": "string"}}
                ),
            },
            "sources": _SOURCES,
        },
        optional=("sources",),  # appraisals stored before their sources were kept have none
    ),
    "ItemMatch": _object({"type_id": {"type": "integer"}, "name": {"type": "string"}}),
    "MarketQuote": _QUOTE,
    "MarketPrice": {
        "type": "object",
        "required": ["hub", "type_id", "location_id"],
        "description": "the /price command's data; only hub, type_id and location_id when nobody trades it there",
        "properties": {
            "hub": {"type": "string"},
            **_QUOTE["properties"],
            "spread": _PRICE,
            "median_5d": _PRICE,
            "median_30d": _PRICE,
            "best_buy_in_range": {**_PRICE, "description": "the best buy order reaching the station (range honoured)"},
            "sources": _SOURCES,
        },
    },
    "MarketCompare": _object(
        {
            "type_id": {"type": "integer"},
            "name": {"type": "string"},
            "hubs": {"type": "object", "additionalProperties": ref("MarketQuote"), "description": "by hub name"},
            "buy_at": {"type": ["string", "null"], "description": "the hub with the lowest sell price"},
            "sell_at": {"type": ["string", "null"], "description": "the hub with the highest buy price"},
            "sources": _SOURCES,
        }
    ),
    "MarketHistory": _object(
        {
            "type_id": {"type": "integer"},
            "name": {"type": "string"},
            "region_id": {"type": "integer"},
            "days": {"type": "integer"},
            "median_5d": _PRICE,
            "median_30d": _PRICE,
            "avg_volume_30d": _PRICE,
            "trend_7d_pct": _PRICE,
            "volatility_30d": _PRICE,
            "rows": {
                "type": "array",
                "items": _object(
                    {
                        "day": {"type": "string", "format": "date"},
                        "average": _NUMBER,
                        "highest": _NUMBER,
                        "lowest": _NUMBER,
                        "volume": _COUNT,
                        "order_count": _COUNT,
                    }
                ),
            },
        }
    ),
}
