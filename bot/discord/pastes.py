"""Pastes on Discord: a modal with a paragraph field when a paste command comes without text, and .txt attachments.

The modal's custom_id carries the command and its other options (a stored key when they do not fit in 100
characters), so its submission is answered statelessly by any replica, like a button.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import discord

from bot.discord.page_store import PageStore
from core.chat.gateway import CommandGateway
from core.chat.model import Caller, Invocation, Reply
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import Command
from core.commands.appraise import paste_file_problem, paste_of_file

logger = logging.getLogger(__name__)
ATTACHMENT, TEXT_INPUT = 11, 4  # option type; component type
FILE_OPTION = "file"
MODAL, STORED_MODAL = "evt:m:", "evt:mk:"  # custom_id prefixes: the command inline, or under a stored key
MAX_CUSTOM_ID, MAX_TITLE, MAX_LABEL, MAX_INPUT = 100, 45, 45, 4000  # Discord's limits (a text input: 4,000 chars)
Json = dict[str, Any]


def paste_param(command: Command | None) -> Param | None:
    """The command's paste parameter (the one a modal or a file can fill), or None."""
    return next((param for param in command.params if param.kind is ParamKind.PASTE), None) if command else None


def file_option() -> Json:
    """The attachment option a paste command gets beside its text option."""
    return {
        "type": ATTACHMENT,
        "name": FILE_OPTION,
        "description": "A .txt file with the paste (instead of the text)",
        "required": False,
    }


def split_file(invocation: Invocation, data: Mapping[str, Any]) -> tuple[Invocation, Json | None]:
    """The invocation without its file option, and the resolved attachment that option names (None without one)."""
    if not isinstance(invocation.args, Mapping) or FILE_OPTION not in invocation.args:
        return invocation, None
    args = dict(invocation.args)
    attachment_id = args.pop(FILE_OPTION)
    attachments = (data.get("resolved") or {}).get("attachments") or {}
    found = attachments.get(attachment_id)
    return dataclasses.replace(invocation, args=args), dict(found) if isinstance(found, Mapping) else {}


def wants_modal(command: Command | None, invocation: Invocation) -> bool:
    """True when a paste command came without its paste (and without a file): ask for it in a modal."""
    param = paste_param(command)
    return param is not None and isinstance(invocation.args, Mapping) and not invocation.args.get(param.name)


async def paste_modal(store: PageStore, command: Command, invocation: Invocation) -> discord.ui.Modal | None:
    """A modal asking for the paste in a paragraph field; None when its custom_id can be neither built nor kept."""
    param = paste_param(command)
    assert param is not None and isinstance(invocation.args, Mapping)
    query = urlencode([("c", command.name), *((k, v) for k, v in invocation.args.items() if k != param.name)])
    custom_id = MODAL + query
    if len(custom_id) > MAX_CUSTOM_ID:
        key = await store.put_action(query)
        if key is None:
            return None
        custom_id = STORED_MODAL + key
    modal = discord.ui.Modal(title=f"/{command.name}"[:MAX_TITLE], custom_id=custom_id, timeout=None)
    field: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
        style=discord.TextStyle.paragraph, custom_id=param.name, max_length=MAX_INPUT, required=True
    )
    modal.add_item(discord.ui.Label(text=param.name.capitalize()[:MAX_LABEL], description=param.description[:100],
                                    component=field))  # fmt: skip
    modal.stop()  # answered in on_interaction: never kept in discord.py's view store
    return modal


async def modal_invocation(store: PageStore, data: Mapping[str, Any], caller: Caller) -> Invocation | None:
    """The invocation a submitted modal completes (its fields as options), or None for a modal not ours or whose
    stored key expired."""
    custom_id = str(data.get("custom_id") or "")
    if custom_id.startswith(STORED_MODAL):
        query = await store.action(custom_id[len(STORED_MODAL) :])
    else:
        query = custom_id[len(MODAL) :] if custom_id.startswith(MODAL) else None
    if not query:
        return None
    args = dict(parse_qsl(query, keep_blank_values=True))
    name = args.pop("c", "")
    return Invocation(name, args | submitted_values(data.get("components") or []), caller) if name else None


def submitted_values(components: list[Any]) -> dict[str, str]:
    """custom_id -> value of the text inputs of a modal submission (inside labels or action rows)."""
    values: dict[str, str] = {}
    for component in components:
        if not isinstance(component, Mapping):
            continue
        if component.get("type") == TEXT_INPUT and component.get("custom_id"):
            values[str(component["custom_id"])] = str(component.get("value") or "")
        inner = [component["component"]] if isinstance(component.get("component"), Mapping) else []
        values |= submitted_values(inner + list(component.get("components") or []))
    return values


async def run_with_file(
    gateway: CommandGateway, http: Any, invocation: Invocation, attachment: Json, limit: int
) -> Reply:
    """Run a paste command on an attached .txt file: checked before download, and read through the client's HTTP
    session only once the gateway has admitted the caller (identity, rate limit); a refused file gets the same
    messages as a typed paste and changes nothing."""
    command = gateway.command_for(invocation)
    param, usage = paste_param(command), command.usage if command else None
    if param is None or not isinstance(invocation.args, Mapping):
        return Reply.error("This command takes no file.", usage)
    if invocation.args.get(param.name):
        return Reply.error(f"{param.name}: give the paste as text or as a file, not both", usage)
    filename, content_type = str(attachment.get("filename") or ""), attachment.get("content_type")
    size = attachment.get("size")
    problem = paste_file_problem(filename, content_type, size if isinstance(size, int) else None, limit)
    if problem is not None or not attachment.get("url"):
        return Reply.error(problem or "paste: Discord sent no file", usage)
    key, url = param.name, str(attachment["url"])

    async def with_paste(admitted: Invocation) -> Invocation:
        try:
            text = paste_of_file(await http.get_from_cdn(url), limit)
        except (discord.HTTPException, aiohttp.ClientError) as exc:
            logger.warning("discord attachment download failed: %s", type(exc).__name__)
            raise ArgumentError("paste: Discord did not hand over the file, try again.") from None
        assert isinstance(admitted.args, Mapping)
        return dataclasses.replace(admitted, args=dict(admitted.args) | {key: text})

    return await gateway.run(invocation, load=with_paste)
