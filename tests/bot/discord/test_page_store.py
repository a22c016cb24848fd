"""The page store over the real Redis: a rendered reply comes back exactly, and entries expire."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.discord.page_store import PAGES, PageStore
from bot.discord.render import render
from bot.state import InteractionState
from core.chat.model import Button, Field, Footer, Image, Reply, Table

AS_OF = datetime(2025, 5, 20, 11, 30, tzinfo=UTC)
PNG = bytes(range(256)) * 4  # every byte value, so base64 must carry them all


def paged_reply() -> Reply:
    """A reply with title, fields, a long table, images, a footer with a time, and both kinds of button."""
    return Reply(
        title="Tritanium — Jita",
        fields=[Field("Sell", "4.90"), Field("Notes", "line", inline=False)],
        tables=[Table(["n", "price"], [[str(n), f"{n}.00"] for n in range(600)], align="lr")],
        images=[Image(PNG, "30 days", "history chart.png"), Image(b"\x89PNG\x00", "volume", "volume.png")],
        footer=Footer("ESI", AS_OF, simulated=True),
        buttons=[Button("Amarr", action="price tritanium amarr"), Button("Wiki", url="https://example.org/t")],
        ephemeral=True,
    )


async def test_a_stored_reply_comes_back_exactly(interaction_state: InteractionState):
    rendered = render(paged_reply(), now=AS_OF)
    assert len(rendered.pages) > 1 and rendered.ephemeral and rendered.pages[-1].images
    store = PageStore(interaction_state)
    key = await store.put_pages(rendered)
    assert key is not None
    restored = await PageStore(interaction_state).pages(key)
    assert restored is not None
    assert [[e.to_dict() for e in p.embeds] for p in restored.pages] == [
        [e.to_dict() for e in p.embeds] for p in rendered.pages
    ]
    assert [p.images for p in restored.pages] == [p.images for p in rendered.pages]
    assert restored.pages[-1].images[0].png == PNG
    assert restored.pages[0].embeds[-1].timestamp == AS_OF
    assert (restored.buttons, restored.ephemeral) == (rendered.buttons, True)


async def test_action_texts_keep_every_character(interaction_state: InteractionState):
    store = PageStore(interaction_state)
    text = "appraise Tritanium ×1000\nZydrine «ore» 5"
    key = await store.put_action(text)
    assert key is not None and await store.action(key) == text


async def test_unknown_expired_and_unreadable_entries_are_none(interaction_state: InteractionState):
    store = PageStore(interaction_state, ttl_s=0.05)
    pages, action = await store.put_pages(render(paged_reply())), await store.put_action("price tritanium")
    assert pages is not None and action is not None
    assert await store.pages("nosuchkey123") is None and await store.action("nosuchkey123") is None
    await asyncio.sleep(0.1)
    assert await store.pages(pages) is None and await store.action(action) is None
    await interaction_state.set(PAGES, "brokenbroken", b'{"pages": [{"embeds": []}]}', 60)
    assert await store.pages("brokenbroken") is None
