"""Parsing ESI order pages into columns: valid pages, and each way a page can be malformed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import orjson
import pytest

from core.market.order_page import parse_order_page
from core.market.orders import MalformedPage

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
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def microseconds(moment: datetime) -> int:
    """Microseconds since 1970 UTC, exactly."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def test_parses_every_column() -> None:
    page = parse_order_page(orjson.dumps([ORDER]), 1)
    assert len(page) == 1
    assert (page.order_id.tolist(), page.type_id.tolist(), page.location_id.tolist()) == (
        [6000000001],
        [34],
        [60003760],
    )
    assert (page.system_id.tolist(), page.system_null.tolist(), page.is_buy_order.tolist()) == (
        [30000142],
        [False],
        [False],
    )
    assert page.price.tolist() == [4.52]
    assert (page.volume_remain.tolist(), page.volume_total.tolist()) == ([750000], [1000000])
    assert (page.min_volume.tolist(), page.duration.tolist(), page.range) == ([1], [90], ["region"])
    assert page.issued_us.tolist() == [microseconds(datetime(2026, 11, 20, 10, 11, 12, tzinfo=UTC))]


def test_structure_orders_have_no_system_ints_become_floats_and_min_volume_defaults() -> None:
    structure = {k: v for k, v in ORDER.items() if k not in ("system_id", "min_volume")}
    page = parse_order_page(orjson.dumps([ORDER, structure | {"price": 5, "location_id": 1035466617946}]), 3)
    assert page.system_null.tolist() == [False, True]
    assert page.system_id.tolist() == [30000142, 0]
    assert page.price.dtype == np.float64 and page.price.tolist() == [4.52, 5.0]
    assert page.min_volume.tolist() == [1, 1]
    assert page.location_id.tolist() == [60003760, 1035466617946]


def test_an_empty_page_and_unknown_fields() -> None:
    assert len(parse_order_page(b"[]", 1)) == 0
    assert parse_order_page(orjson.dumps([ORDER | {"new_field": [1, 2]}]), 1).order_id.tolist() == [6000000001]


def test_issued_in_esis_form_and_in_any_other_zone_give_the_exact_microsecond() -> None:
    rnd = random.Random(5)
    moments = [
        datetime(2003, 5, 6, tzinfo=UTC) + timedelta(seconds=rnd.randrange(40 * 365 * 86400)) for _ in range(500)
    ]
    zulu = [ORDER | {"issued": moment.strftime("%Y-%m-%dT%H:%M:%SZ")} for moment in moments]
    zones = (timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-11)), UTC)
    other = [
        ORDER | {"issued": (moment + timedelta(microseconds=n)).astimezone(zones[n % 3]).isoformat()}
        for n, moment in enumerate(moments)
    ]
    assert parse_order_page(orjson.dumps(zulu), 1).issued_us.tolist() == list(map(microseconds, moments))
    expected = [microseconds(moment + timedelta(microseconds=n)) for n, moment in enumerate(moments)]
    assert parse_order_page(orjson.dumps(other), 1).issued_us.tolist() == expected


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'[{"order_id": 1, "type_id"', "truncated"),
        (b"[{]", "malformed"),
        (b'{"error": "oops"}', "Expected `array`, got `object`"),
        (orjson.dumps([{k: v for k, v in ORDER.items() if k != "price"}]), "missing required field `price`"),
        (orjson.dumps([ORDER | {"price": "4.5"}]), r"got `str` - at `\$\[0\].price`"),
        (orjson.dumps([ORDER | {"price": -1}]), r"`float` >= 0.0 - at `\$\[0\].price`"),
        (b'[{"price": 1e400}]', "Number out of range"),
        (orjson.dumps([ORDER | {"is_buy_order": 1}]), "Expected `bool`, got `int`"),
        (orjson.dumps([ORDER | {"type_id": 34.5}]), r"Expected `int`, got `float` - at `\$\[0\].type_id`"),
        (orjson.dumps([ORDER | {"volume_remain": True}]), "Expected `int`, got `bool`"),
        (orjson.dumps([ORDER | {"volume_remain": 2**31}]), r"<= 2147483647 - at `\$\[0\].volume_remain`"),
        (orjson.dumps([ORDER | {"min_volume": -(2**31) - 1}]), r">= -2147483648 - at `\$\[0\].min_volume`"),
        (b'[{"order_id": 9223372036854775808}]', "order_id"),
        (orjson.dumps([ORDER | {"system_id": "Jita"}]), r"got `str` - at `\$\[0\].system_id`"),
        (orjson.dumps([ORDER | {"range": 5}]), r"Expected `str`, got `int` - at `\$\[0\].range`"),
        (orjson.dumps([ORDER | {"issued": 5}]), r"Expected `str`, got `int` - at `\$\[0\].issued`"),
        (orjson.dumps([[1, 2, 3]]), r"Expected `object`, got `array` - at `\$\[0\]`"),
        (orjson.dumps([ORDER | {"issued": "yesterday"}]), "issued: Invalid isoformat"),
        (orjson.dumps([ORDER | {"issued": "2026-11-20T10:11:12"}]), "issued: no time zone"),
        (orjson.dumps([ORDER, ORDER | {"issued": "2026-13-20T10:11:12Z"}]), "issued: month must be in 1..12"),
        (orjson.dumps([ORDER, ORDER | {"price": None}]), r"got `null` - at `\$\[1\].price`"),
    ],
)
def test_malformed_pages_name_the_page_and_problem(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedPage, match=reason) as caught:
        parse_order_page(body, 7)
    assert caught.value.page == 7
    assert str(caught.value).startswith("page 7: ")
