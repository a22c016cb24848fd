"""Paged replies and long button actions kept as JSON in the shared interaction state, so restarts keep them."""

from __future__ import annotations

import base64
import logging
from typing import Any

import discord
import orjson

from bot.discord.render import Page, Rendered
from bot.state import InteractionState
from core.chat.model import Button, Image

logger = logging.getLogger(__name__)
PAGES, ACTIONS = "pages", "actions"
TTL_S = 3600.0


class PageStore:
    """Rendered replies (behind Prev/Next) and action texts too long for a custom_id, by short key, for `ttl_s`."""

    def __init__(self, state: InteractionState, *, ttl_s: float = TTL_S) -> None:
        self._state, self._ttl_s = state, ttl_s

    async def put_pages(self, rendered: Rendered) -> str | None:
        """Keep a rendered reply; its key (12 URL-safe characters), or None when the state is unreachable."""
        return await self._state.put(PAGES, encode_rendered(rendered), self._ttl_s)

    async def pages(self, key: str) -> Rendered | None:
        """The rendered reply under `key`, or None when unknown, expired or unreadable."""
        data = await self._state.get(PAGES, key)
        if data is None:
            return None
        try:
            return decode_rendered(data)
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            logger.warning("unreadable stored pages under key %s", key, exc_info=True)
            return None

    async def put_action(self, text: str) -> str | None:
        """Keep an action text; its key (12 URL-safe characters), or None when the state is unreachable."""
        return await self._state.put(ACTIONS, text.encode(), self._ttl_s)

    async def action(self, key: str) -> str | None:
        """The action text under `key`, or None when unknown or expired."""
        data = await self._state.get(ACTIONS, key)
        return data.decode() if data is not None else None


def encode_rendered(rendered: Rendered) -> bytes:
    """A rendered reply as JSON: embeds as Discord dicts, images' PNG bytes in base64, buttons, ephemeral flag."""
    return orjson.dumps(
        {
            "pages": [
                {"embeds": [embed.to_dict() for embed in page.embeds], "images": [_image(i) for i in page.images]}
                for page in rendered.pages
            ],
            "buttons": [{"label": b.label, "url": b.url, "action": b.action} for b in rendered.buttons],
            "ephemeral": rendered.ephemeral,
        }
    )


def decode_rendered(data: bytes) -> Rendered:
    """The rendered reply back from encode_rendered's JSON."""
    stored = orjson.loads(data)
    pages = [
        Page(
            [discord.Embed.from_dict(embed) for embed in page["embeds"]],
            [Image(base64.b64decode(i["png"]), i["alt"], i["filename"]) for i in page["images"]],
        )
        for page in stored["pages"]
    ]
    buttons = [Button(b["label"], url=b["url"], action=b["action"]) for b in stored["buttons"]]
    return Rendered(pages, buttons, ephemeral=bool(stored["ephemeral"]))


def _image(image: Image) -> dict[str, Any]:
    return {"png": base64.b64encode(image.png).decode("ascii"), "alt": image.alt, "filename": image.filename}
