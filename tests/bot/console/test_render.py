"""Rendering Replies as terminal text and JSON, and saving their images."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import orjson

from bot.console.json_output import dumps, reply_to_json
from bot.console.render import footer_line, render_text, save_images
from core.chat import Button, Field, Footer, Image, Reply, SourceAge, Table

NOW = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\nfake"


def test_title_and_text_strip_code_marks():
    assert render_text(Reply(title="Tritanium", text="Use `/price trit`"), color=False) == "Tritanium\nUse /price trit"


def test_fields_are_aligned_and_multiline_values_indented():
    reply = Reply(fields=[Field("Buy", "5.10"), Field("Sell price", "5.30\n5.40")])
    assert render_text(reply, color=False) == "Buy:        5.10\nSell price: 5.30\n            5.40"


def test_table_columns_follow_align():
    table = Table(["Item", "Price", "Qty"], [["Tritanium", "5.10", "1,000"], ["PLEX", "5,000,000.00", "3"]], "lrc")
    expected = (
        "Item              Price   Qty\n"
        "---------  ------------  -----\n"
        "Tritanium          5.10  1,000\n"
        "PLEX       5,000,000.00    3"
    )
    assert render_text(Reply(tables=[table]), color=False) == expected


def test_buttons_show_url_or_command():
    reply = Reply(
        buttons=[Button("Market", url="https://evemarketer.example"), Button("Amarr", action="price trit amarr")]
    )
    assert render_text(reply, color=False) == "Market: https://evemarketer.example\nAmarr:  /price trit amarr"


def test_footer_age_and_simulated_marker():
    footer = Footer("ESI", NOW - timedelta(minutes=7, seconds=30), simulated=True)
    assert render_text(Reply(footer=footer), color=False, now=NOW) == (
        "ESI · data as of 12:22 UTC (7 min ago)\nSIMULATED DATA"
    )
    naive = Footer("ESI", datetime(2024, 5, 1, 12, 0))
    assert footer_line(naive, NOW) == "ESI · data as of 12:00 UTC (30 min ago)"
    assert footer_line(Footer("cache"), NOW) == "cache"


def test_footer_lists_every_source_with_its_age():
    sources = (
        SourceAge("Jita orders", NOW - timedelta(minutes=3, seconds=10)),
        SourceAge("Amarr orders", NOW - timedelta(seconds=20)),
        SourceAge("history", NOW - timedelta(hours=5, minutes=59)),
        SourceAge("PLEX market orders", NOW - timedelta(days=3)),
        SourceAge("history", None),
    )
    footer = Footer("ESI market data", NOW - timedelta(minutes=3), sources=sources)
    assert footer_line(footer, NOW) == (
        "ESI market data · Jita orders 3 min ago · Amarr orders just now · history 5 h ago"
        " · PLEX market orders 3 d ago · history age unknown"
    )


def test_error_with_usage():
    reply = Reply.error("missing <item>", "/price <item> [where]")
    assert render_text(reply, color=False) == "error: missing <item>\nusage: /price <item> [where]"


def test_parts_are_separated_by_blank_lines(tmp_path: Path):
    reply = Reply(title="T", text="body", fields=[Field("a", "1")], images=[Image(PNG, "a chart")])
    paths = [tmp_path / "chart.png"]
    assert render_text(reply, color=False, image_paths=paths) == f"T\nbody\n\na: 1\n\nimage: {paths[0]} (a chart)"
    assert render_text(reply, color=False).endswith("image: a chart (not saved)")


def test_color_mode_styles_and_keeps_brackets():
    reply = Reply(
        title="Prices",
        tables=[Table(["Where", "Price"], [["Jita [4-4]", "5.10"]], "lr")],
        footer=Footer("ESI", NOW, simulated=True),
    )
    out = render_text(reply, color=True, now=NOW, width=80)
    assert "\x1b[1mPrices\x1b[0m" in out
    assert "Jita [4-4]" in out and "╭" in out and "SIMULATED DATA" in out
    error = render_text(Reply.error("bad [x]", "/price <item> [where]"), color=True, width=80)
    assert "\x1b[1;31merror: bad [x]" in error and "[where]" in error


def test_save_images_makes_safe_unique_names(tmp_path: Path):
    reply = Reply(images=[Image(PNG, "one", "../../etc/pass wd.png"), Image(PNG, "two", "../../etc/pass wd.png")])
    (tmp_path / "out").mkdir()
    paths = save_images(reply, tmp_path / "out")
    assert [p.name for p in paths] == ["pass_wd.png", "pass_wd-1.png"]
    assert all(p.parent == tmp_path / "out" and p.read_bytes() == PNG for p in paths)
    assert [p.name for p in save_images(Reply(images=[Image(PNG, "x", "...")]), tmp_path / "new")] == ["image.png"]


def test_json_schema_round_trip(tmp_path: Path):
    reply = Reply(
        title="Tritanium",
        text="hi",
        fields=[Field("Buy", "5.10", inline=False)],
        tables=[Table(["a", "b"], [["1", "2"]])],
        images=[Image(PNG, "chart")],
        buttons=[Button("Go", action="price trit")],
        footer=Footer("ESI", datetime(2024, 5, 1, 12, 0)),
        data={"at": NOW, "naive": datetime(2024, 5, 1), "price": Decimal("5.10"), "ids": {3}},
    )
    doc = orjson.loads(dumps(reply_to_json(reply, [tmp_path / "chart.png"])))
    assert list(doc) == [
        "version", "title", "text", "fields", "tables", "images", "buttons", "ephemeral", "error", "footer", "data"
    ]  # fmt: skip
    assert doc["fields"] == [{"name": "Buy", "value": "5.10", "inline": False}]
    assert doc["tables"] == [{"headers": ["a", "b"], "rows": [["1", "2"]], "align": "ll"}]
    assert doc["images"] == [{"path": str(tmp_path / "chart.png"), "alt": "chart"}]
    assert doc["buttons"] == [{"label": "Go", "url": None, "action": "price trit"}]
    assert doc["footer"] == {
        "source": "ESI",
        "as_of": "2024-05-01T12:00:00+00:00",
        "simulated": False,
        "sources": [],
    }
    assert doc["data"] == {
        "at": "2024-05-01T12:30:00+00:00",
        "naive": "2024-05-01T00:00:00+00:00",
        "price": "5.10",
        "ids": [3],
    }
    assert datetime.fromisoformat(doc["footer"]["as_of"]).tzinfo is not None
    assert doc["error"] is None and doc["ephemeral"] is False and doc["version"] == 1


def test_json_error_reply():
    doc = reply_to_json(Reply.error("bad", "/x <y>"), [])
    assert doc["error"] == {"message": "bad", "usage": "/x <y>"} and doc["footer"] is None
    assert reply_to_json(Reply(text="oops", is_error=True), [])["error"] == {"message": "oops", "usage": None}
    assert not re.search(r"\n$", dumps(doc))
