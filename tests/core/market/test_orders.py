"""Parsing ESI order pages into rows: valid pages, and each way a page can be malformed."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from core.market.orders import ORDER_COLUMNS, MalformedPage, parse_order_page

ORDER = {
    "order_id": 6000000001,
    "type_id": 34,
    "location_id": 60003760,
    "system_id": 30000142,
    "volume_total": 1000000,
    "volume_remain": 750000,
    "min_volume": 1,
    "price": 4.52,
    "is_buy_order": False,
    "duration": 90,
    "issued": "2026-11-20T10:11:12Z",
    "range": "region",
}


def test_parses_every_column_in_order() -> None:
    rows = parse_order_page(orjson.dumps([ORDER]), 1)
    assert len(rows[0]) == len(ORDER_COLUMNS)
    assert rows == [
        (
            6000000001,
            34,
            60003760,
            30000142,
            False,
            4.52,
            750000,
            1000000,
            1,
            90,
            datetime(2026, 11, 20, 10, 11, 12, tzinfo=UTC),
            "region",
        )
    ]


def test_structure_orders_have_no_system_and_ints_become_floats() -> None:
    order = {k: v for k, v in ORDER.items() if k != "system_id"} | {"price": 5, "location_id": 1035466617946}
    (row,) = parse_order_page(orjson.dumps([order]), 3)
    assert row[3] is None
    assert row[5] == 5.0


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'[{"order_id": 1, "type_id"', "invalid JSON"),
        (b'{"error": "oops"}', "expected a JSON list"),
        (orjson.dumps([{k: v for k, v in ORDER.items() if k != "price"}]), "missing field 'price'"),
        (orjson.dumps([ORDER | {"price": "4.5"}]), "bad price"),
        (orjson.dumps([ORDER | {"price": -1}]), "bad price"),
        (orjson.dumps([ORDER | {"is_buy_order": 1}]), "bad is_buy_order"),
        (orjson.dumps([ORDER | {"type_id": 34.5}]), "bad integer in type_id"),
        (orjson.dumps([ORDER | {"volume_remain": True}]), "bad integer in volume_remain"),
        (orjson.dumps([ORDER | {"system_id": "Jita"}]), "bad system_id"),
        (orjson.dumps([ORDER | {"range": 5}]), "bad range"),
        (orjson.dumps([ORDER | {"issued": 5}]), "fromisoformat"),
        (orjson.dumps([[1, 2, 3]]), "list indices"),
        (orjson.dumps([ORDER | {"issued": "yesterday"}]), "Invalid isoformat"),
        (orjson.dumps([ORDER | {"issued": "2026-11-20T10:11:12"}]), "no time zone"),
        (orjson.dumps([ORDER, ORDER | {"price": None}]), "bad price"),
    ],
)
def test_malformed_pages_name_the_page_and_problem(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedPage, match=reason) as caught:
        parse_order_page(body, 7)
    assert caught.value.page == 7
    assert str(caught.value).startswith("page 7: ")
