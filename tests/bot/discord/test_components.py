"""Pager and action buttons: custom ids within 100 characters, pages and long actions kept in the page store."""

from __future__ import annotations

from bot.discord.components import ActionClick, PageClick, action_id, build_view, parse_custom_id
from bot.discord.page_store import PageStore
from bot.discord.render import render
from bot.state import InteractionState
from core.chat.model import Button, Reply, Table


async def test_a_paged_reply_gets_prev_page_next_and_its_buttons(interaction_state: InteractionState):
    table = Table(["n"], [[str(n) * 20] for n in range(2000)])
    buttons = [Button("Amarr", action="price tritanium amarr"), Button("Wiki", url="https://example.org")]
    rendered = render(Reply(tables=[table], buttons=buttons))
    store = PageStore(interaction_state)
    view = await build_view(rendered, 1, store)
    assert view is not None and not view.is_dispatchable()
    rows = view.to_components()
    prev, marker, nxt = rows[0]["components"]
    assert [prev["label"], marker["label"], nxt["label"]] == ["◀ Prev", f"2/{len(rendered.pages)}", "Next ▶"]
    assert parse_custom_id(prev["custom_id"]) == PageClick(prev["custom_id"].split(":")[2], 0)
    click = parse_custom_id(nxt["custom_id"])
    assert isinstance(click, PageClick) and click.index == 2 and len(click.key) == 12
    stored = await store.pages(click.key)
    assert stored is not None and len(stored.pages) == len(rendered.pages) and stored.buttons == buttons
    assert all(len(component["custom_id"]) <= 100 for component in rows[0]["components"])
    action, link = rows[1]["components"]
    assert parse_custom_id(action["custom_id"]) == ActionClick(text="price tritanium amarr")
    assert link["url"] == "https://example.org" and "custom_id" not in link


async def test_turning_a_page_reuses_the_stored_key(interaction_state: InteractionState):
    rendered = render(Reply(tables=[Table(["n"], [[str(n) * 20] for n in range(2000)])]))
    view = await build_view(rendered, 2, PageStore(interaction_state), "abcdefghijkl")
    assert view is not None
    ids = [component["custom_id"] for component in view.to_components()[0]["components"]]
    assert ids == ["evt:p:abcdefghijkl:1", "evt:n:abcdefghijkl", "evt:p:abcdefghijkl:3"]


async def test_a_single_page_without_buttons_has_no_view_and_buttons_are_capped(interaction_state: InteractionState):
    store = PageStore(interaction_state)
    assert await build_view(render(Reply(text="x")), 0, store) is None
    many = [Button(f"b{n}", action=f"price item{n}") for n in range(40)]
    view = await build_view(render(Reply(text="x", buttons=many)), 0, store)
    assert view is not None and len(view.children) == 25 and len(view.to_components()) == 5


async def test_long_actions_are_stored_and_custom_ids_stay_short(interaction_state: InteractionState):
    store = PageStore(interaction_state)
    text = "appraise " + "Tritanium 1000\n" * 20
    custom_id = await action_id(text, store)
    assert custom_id is not None and len(custom_id) <= 100
    click = parse_custom_id(custom_id)
    assert isinstance(click, ActionClick) and click.text is None and await store.action(click.key or "") == text
    assert await store.pages(click.key or "") is None  # an action key is no page key
    assert parse_custom_id("someone-else:x") is None and parse_custom_id("evt:p:key:x") is None
