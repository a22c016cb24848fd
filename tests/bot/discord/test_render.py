"""Reply -> Discord embeds: limits, pages, visibility, images, footers and buttons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.discord.render import (
    ERROR_COLOR,
    MAX_DESCRIPTION,
    MAX_EMBEDS,
    MAX_FIELD_VALUE,
    MAX_FIELDS,
    MAX_TOTAL,
    page_size,
    render,
)
from core.chat.model import Button, Field, Footer, Image, Reply, Table

NOW = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)
AS_OF = datetime(2025, 5, 20, 11, 30, tzinfo=UTC)


def within_limits(rendered) -> None:
    for page in rendered.pages:
        assert 1 <= len(page.embeds) <= MAX_EMBEDS and page_size(page) <= MAX_TOTAL
        for embed in page.embeds:
            assert len(embed.description or "") <= MAX_DESCRIPTION and len(embed.fields) <= MAX_FIELDS
            assert all(len(f.value or "") <= MAX_FIELD_VALUE and f.name and f.value for f in embed.fields)


def test_a_short_reply_is_one_embed_with_title_fields_and_footer():
    reply = Reply(
        title="Tritanium — Jita",
        text="Best prices",
        fields=[Field("Sell", "4.90"), Field("Notes", "line", inline=False)],
        footer=Footer("ESI", AS_OF, simulated=True),
    )
    rendered = render(reply, now=NOW)
    [page] = rendered.pages
    [embed] = page.embeds
    assert (embed.title, embed.description) == ("Tritanium — Jita", "Best prices")
    assert [(f.name, f.value, f.inline) for f in embed.fields] == [("Sell", "4.90", True), ("Notes", "line", False)]
    assert embed.footer.text == "ESI · data as of 11:30 UTC (30 min ago) · simulated data"
    assert embed.timestamp == AS_OF and not rendered.ephemeral and page.images == []


def test_errors_are_red_ephemeral_in_guilds_only_and_show_usage():
    reply = Reply.error("unknown item 'trtnm'", "/price <item> [where]")
    in_guild, in_dm = render(reply), render(reply, in_guild=False)
    [embed] = in_guild.pages[0].embeds
    assert embed.color is not None and embed.color.value == ERROR_COLOR
    assert embed.description == "⚠️ unknown item 'trtnm'\nusage: `/price <item> [where]`"
    assert in_guild.ephemeral and not in_dm.ephemeral
    assert render(Reply(text="hi", ephemeral=True)).ephemeral


def test_long_text_splits_at_line_breaks_within_the_description_limit():
    lines = [f"line {n:05d} " + "x" * 90 for n in range(200)]
    rendered = render(Reply(title="T", text="\n".join(lines)), now=NOW)
    within_limits(rendered)
    shown = "\n".join(e.description or "" for p in rendered.pages for e in p.embeds)
    assert shown.split("\n") == lines
    assert len(rendered.pages) > 1 and all(page.embeds[0].title == "T" for page in rendered.pages)
    assert rendered.pages[-1].embeds[-1].footer.text == f"page {len(rendered.pages)}/{len(rendered.pages)}"


def test_many_and_long_fields_respect_field_limits():
    fields = [Field(f"f{n}", "v" * 300) for n in range(60)] + [Field("big", "y" * 3000)]
    rendered = render(Reply(fields=fields), now=NOW)
    within_limits(rendered)
    values = [f.value or "" for p in rendered.pages for e in p.embeds for f in e.fields]
    assert "".join(values[60:]) == "y" * 3000 and len(values) == 63


def test_tables_become_code_blocks_with_headers_on_every_chunk():
    table = Table(["item", "price"], [[f"Item {n}", f"{n}.00"] for n in range(600)], align="lr")
    rendered = render(Reply(title="Hubs", tables=[table]), now=NOW)
    within_limits(rendered)
    blocks = [e.description or "" for p in rendered.pages for e in p.embeds]
    assert len(blocks) > 2 and all(b.startswith("```\nitem") and b.endswith("\n```") for b in blocks)
    assert blocks[0].split("\n")[1:4] == ["item       price", "--------  ------", "Item 0      0.00"]
    rows = [line for b in blocks for line in b.split("\n") if line.startswith("Item ")]
    assert len(rows) == 600


def test_a_smaller_budget_makes_more_pages():
    table = Table(["n"], [[str(n)] for n in range(400)])
    assert len(render(Reply(tables=[table]), budget=1000).pages) > len(render(Reply(tables=[table])).pages)
    with pytest.raises(ValueError, match="too small"):
        render(Reply(text="x"), budget=300)


def test_images_get_safe_unique_names_and_are_shown_from_attachments():
    images = [Image(b"a", "first", "price chart.png"), Image(b"b", "second", "price chart.png")]
    rendered = render(Reply(title="Charts", images=images), now=NOW)
    [page] = rendered.pages
    assert [image.filename for image in page.images] == ["price_chart.png", "price_chart-2.png"]
    urls = [embed.image.url for embed in page.embeds if embed.image]
    assert urls == ["attachment://price_chart.png", "attachment://price_chart-2.png"]


def test_buttons_pass_through_and_an_empty_reply_still_has_an_embed():
    buttons = [Button("Amarr", action="price tritanium amarr"), Button("Wiki", url="https://example.org")]
    assert render(Reply(text="x", buttons=buttons)).buttons == buttons
    [embed] = render(Reply()).pages[0].embeds
    assert embed.description == "(empty reply)"


def test_overlong_titles_and_field_names_are_cut():
    rendered = render(Reply(title="t" * 300, fields=[Field("n" * 300, "v")]))
    [embed] = rendered.pages[0].embeds
    assert (
        embed.title is not None
        and len(embed.title) == 256
        and embed.title.endswith("…")
        and len(embed.fields[0].name or "") == 256
    )
