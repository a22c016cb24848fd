"""Inline mode: "@bot tritanium" in any chat offers the price of the best matching items at the default hub."""

from __future__ import annotations

import asyncio
import html

from telegram import InlineQueryResultArticle, InputTextMessageContent
from telegram.constants import ParseMode

from bot.telegram.render import render_html
from core.chat.gateway import CommandGateway
from core.chat.model import Caller, Invocation, Reply

MAX_RESULTS, MAX_DESCRIPTION = 3, 120


async def inline_articles(
    gateway: CommandGateway, caller: Caller, query: str, bot_username: str
) -> list[InlineQueryResultArticle]:
    """Price articles for the items best matching `query`; a help article for an empty query or no match."""
    query = " ".join(query.split())
    if not query:
        return [_help(bot_username, "Share an EVE market price", "Type an item name after the bot's name")]
    names = gateway.complete("items", query, MAX_RESULTS)
    replies = await asyncio.gather(*(gateway.run(Invocation("price", _quoted(name), caller)) for name in names))
    articles = [_article(index, name, reply) for index, (name, reply) in enumerate(zip(names, replies, strict=True))]
    found = [article for article in articles if article is not None]
    return found or [_help(bot_username, f"No item matches {query!r}", "Try another name, e.g. tritanium or plex")]


def _article(index: int, name: str, reply: Reply) -> InlineQueryResultArticle | None:
    if reply.is_error or reply.private:  # an inline answer is posted into some chat for everyone to read
        return None
    summary = " · ".join(f"{field.name}: {field.value.splitlines()[0]}" for field in reply.fields[:2])
    content = InputTextMessageContent(render_html(reply)[0], parse_mode=ParseMode.HTML)
    return InlineQueryResultArticle(
        id=f"price-{index}",
        title=reply.title or name,
        input_message_content=content,
        description=(summary or reply.text)[:MAX_DESCRIPTION] or None,
    )


def _help(bot_username: str, title: str, description: str) -> InlineQueryResultArticle:
    bot = html.escape(bot_username)
    text = (
        f"<b>EveTrader</b>: type <code>@{bot} tritanium</code> in any chat to share an item's price at the "
        f"default hub, or talk to @{bot} directly and send /help for every command."
    )
    content = InputTextMessageContent(text, parse_mode=ParseMode.HTML)
    return InlineQueryResultArticle(id="help", title=title, input_message_content=content, description=description)


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name and '"' not in name else name
