"""The terminal front ends (`evetrader chat`, `evetrader appraise`) over the chat doors' bundle (ChatDeps).

They receive a ChatDeps built by evetrader.bootstrap.chat (the CLI opens the resources), never the resources.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.chat.model import Caller, Reply
    from evetrader.bootstrap.chat import ChatDeps

CONSOLE_RATE = (60.0, 20)  # per minute, burst: a person typing (or pasting 20 lines) is never held back


async def chat(deps: ChatDeps, command: str | None, *, as_json: bool, caller: Caller, data_dir: Path) -> int:
    """One command (`command`) or an interactive session, through the command gateway as `caller`."""
    from bot.console import ConsoleChat

    console = ConsoleChat(deps.gateway, caller, deps.catalog, color=sys.stdout.isatty() and not as_json)
    images = data_dir / "chat-images"
    if command is not None:
        code, out = await console.run_one(command, as_json=as_json, image_dir=images)
        print(out)
        return code
    return await console.repl(image_dir=images, history_path=data_dir / "chat_history", as_json=as_json)


async def appraise(deps: ChatDeps, paste: str, hub: str | None, *, caller: Caller) -> Reply:
    """The /appraise reply to a paste (at `hub`, else the caller's default), through the command gateway."""
    from core.chat.model import Invocation

    args = {"paste": paste} | ({"where": hub} if hub else {})
    return await deps.gateway.run(Invocation("appraise", args, caller))


def print_appraisal(reply: Reply, *, as_json: bool) -> int:
    """Print an appraisal (JSON: items, totals and unparsed lines; or an error and usage); the exit code."""
    import orjson

    from bot.console import render_text

    if as_json:
        document = (
            reply.data if not reply.is_error else {"error": reply.data.get("error"), "usage": reply.data.get("usage")}
        )
        print(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
    else:
        print(render_text(reply, color=sys.stdout.isatty()))
    return 1 if reply.is_error else 0
