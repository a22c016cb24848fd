"""Pager and action buttons: custom ids within 100 characters, the page store's size and expiry."""

from __future__ import annotations

from bot.discord.components import ActionClick, PageClick, PageStore, action_id, build_view, parse_custom_id
from bot.discord.render import render
from core.commands.model import Button, Reply, Table


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


async def test_a_paged_reply_gets_prev_page_next_and_its_buttons():
    table = Table(["n"], [[str(n) * 20] for n in range(2000)])
    buttons = [Button("Amarr", action="price tritanium amarr"), Button("Wiki", url="https://example.org")]
    rendered = render(Reply(tables=[table], buttons=buttons))
    store = PageStore()
    view = build_view(rendered, 1, store)
    assert view is not None and not view.is_dispatchable()
    rows = view.to_components()
    prev, marker, nxt = rows[0]["components"]
    assert [prev["label"], marker["label"], nxt["label"]] == ["◀ Prev", f"2/{len(rendered.pages)}", "Next ▶"]
    assert parse_custom_id(prev["custom_id"]) == PageClick(prev["custom_id"].split(":")[2], 0)
    click = parse_custom_id(nxt["custom_id"])
    assert isinstance(click, PageClick) and click.index == 2 and store.get(click.key) is rendered
    action, link = rows[1]["components"]
    assert parse_custom_id(action["custom_id"]) == ActionClick(text="price tritanium amarr")
    assert link["url"] == "https://example.org" and "custom_id" not in link


async def test_a_single_page_without_buttons_has_no_view_and_buttons_are_capped():
    store = PageStore()
    assert build_view(render(Reply(text="x")), 0, store) is None
    many = [Button(f"b{n}", action=f"price item{n}") for n in range(40)]
    view = build_view(render(Reply(text="x", buttons=many)), 0, store)
    assert view is not None and len(view.children) == 25 and len(view.to_components()) == 5


def test_long_actions_are_stored_and_custom_ids_stay_short():
    store = PageStore()
    text = "appraise " + "Tritanium 1000\n" * 20
    custom_id = action_id(text, store)
    assert len(custom_id) <= 100
    click = parse_custom_id(custom_id)
    assert isinstance(click, ActionClick) and click.text is None and store.get(click.key or "") == text
    assert parse_custom_id("someone-else:x") is None and parse_custom_id("evt:p:key:x") is None


def test_the_store_forgets_the_oldest_and_the_expired():
    clock = Clock()
    store = PageStore(size=2, ttl=10, clock=clock)
    first, second = store.put("a"), store.put("b")
    assert store.get(first) == "a"  # now the most recently used
    third = store.put("c")
    assert store.get(second) is None and store.get(first) == "a" and len(store) == 2
    clock.t = 11
    assert store.get(third) is None and store.get(first) is None
