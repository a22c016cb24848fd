"""render_html: escaping, layout of every Reply part, and splitting under Telegram's 4096-character limit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from bot.telegram.render import MAX_MESSAGE, photos, render_html, utf16_len
from core.chat.model import Button, Field, Footer, Image, Reply, Table

NOW = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)
ALLOWED = {"b", "i", "code", "pre", "a"}


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in ALLOWED, tag
        assert not (tag == "pre" and "pre" in self.stack)
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, tag

    def handle_data(self, data):
        self.text.append(data)


def assert_valid(message: str) -> str:
    """Balanced, allowed tags only; returns the text Telegram would show (for the length check)."""
    parser = _Balance()
    parser.feed(message)
    parser.close()
    assert parser.stack == [], message[-200:]
    shown = "".join(parser.text)
    assert 0 < utf16_len(shown) <= MAX_MESSAGE and utf16_len(message) <= MAX_MESSAGE
    return shown


def test_every_part_is_rendered_and_escaped():
    reply = Reply(
        title="Tritanium <Jita> & co",
        text="Use `/price <item>` now",
        fields=[Field("Sell", "4.90 (5 orders)"), Field("Notes", "a < b\nsecond & line")],
        tables=[Table(["Item", "Price"], [["Trit", "4.90"], ["Pyerite", "12.00"]], align="lr")],
        buttons=[
            Button("Market", url="https://evemarketer.example/?a=1&b=2"),
            Button("Amarr", action="price trit amarr"),
        ],
        footer=Footer("ESI market data", NOW - timedelta(minutes=7), simulated=True),
    )
    [message] = render_html(reply, now=NOW)
    assert_valid(message)
    assert message.startswith("<b>Tritanium &lt;Jita&gt; &amp; co</b>\nUse <code>/price &lt;item&gt;</code> now")
    assert "<b>Sell</b>: 4.90 (5 orders)\n<b>Notes</b>: a &lt; b\nsecond &amp; line" in message
    assert "<pre>Item     Price\n-------  -----\nTrit      4.90\nPyerite  12.00</pre>" in message
    assert '<a href="https://evemarketer.example/?a=1&amp;b=2">Market</a>' in message
    assert "Amarr: <code>/price trit amarr</code>" in message
    assert message.endswith("<i>ESI market data · data as of 11:53 UTC (7 min ago) · simulated data</i>")


def test_error_reply_is_prefixed_and_keeps_usage():
    [message] = render_html(Reply.error("item: unknown item 'x'; did you mean Tritanium?", "/price <item> [where]"))
    assert_valid(message)
    assert (
        message == "⚠️ <b>Error:</b> item: unknown item 'x'; did you mean Tritanium?\nusage: /price &lt;item&gt; [where]"
    )


def test_footer_without_age_and_not_simulated():
    [message] = render_html(Reply(text="x", footer=Footer("ESI market data")), now=NOW)
    assert message == "x\n\n<i>ESI market data</i>"


def test_images_are_returned_separately():
    image = Image(b"png", "30-day chart", "c.png")
    reply = Reply(title="History", images=[image])
    assert render_html(reply) == ["<b>History</b>"]
    assert photos(reply) == [image]


def test_empty_reply_still_sends_something():
    assert render_html(Reply()) == ["<i>(empty reply)</i>"]


def test_long_reply_splits_between_blocks_and_lines():
    fields = [Field(f"Field {i}", "value <" + "x" * 80) for i in range(200)]
    messages = render_html(Reply(title="Many", fields=fields, footer=Footer("src")), now=NOW)
    assert len(messages) > 1
    shown = [assert_valid(message) for message in messages]
    joined = "\n".join(shown)
    assert all(f"Field {i}: value <" in joined for i in range(200))
    assert messages[-1].endswith("<i>src</i>")


def test_long_table_becomes_several_pre_blocks():
    rows = [[f"Item {i}", f"{i * 1.5:,.2f}"] for i in range(600)]
    messages = render_html(Reply(title="Big", tables=[Table(["Item", "Price"], rows, align="lr")]))
    assert len(messages) > 2
    for message in messages:
        assert_valid(message)
    pre_rows = [
        line for m in messages for block in re.findall(r"<pre>(.*?)</pre>", m, re.S) for line in block.split("\n")
    ]
    assert len(pre_rows) == 602  # header, rule, 600 rows, none lost or duplicated
    assert messages[0].startswith("<b>Big</b>\n\n<pre>Item")


def test_a_single_overlong_line_is_cut_without_breaking_markup():
    text = "<&>" * 3000 + "😀" * 2000
    messages = render_html(Reply(title="T", text=text))
    shown = "".join(
        assert_valid(m).replace("T\n", "", 1) if i == 0 else assert_valid(m) for i, m in enumerate(messages)
    )
    assert shown.replace("\n", "").replace("T", "", 1) == text
