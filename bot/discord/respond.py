"""Answering interactions: run through the gateway, defer when slow, send or page rendered replies."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.discord.commands import caller_of, focused_of, invocation_of, param_of
from bot.discord.components import ActionClick, PageClick, build_view, parse_custom_id
from bot.discord.page_store import PageStore
from bot.discord.pastes import Json, modal_invocation, paste_modal, run_with_file, split_file, wants_modal
from bot.discord.render import Page, Rendered, render
from core.chat.gateway import CommandGateway
from core.chat.model import Invocation, Reply

logger = logging.getLogger(__name__)
MAX_CHOICES, MAX_CHOICE = 25, 100
EXPIRED = "These pages have expired: run the command again."


class Host(Protocol):
    """What the handlers need from the client: the gateway, the page store, the defer threshold, the paste limit."""

    gateway: CommandGateway
    store: PageStore
    defer_after: float
    paste_limit: int


async def handle(host: Host, interaction: discord.Interaction[Any]) -> None:
    """Route one interaction: command, autocomplete or a button (one whose id we cannot read answers "expired")."""
    data: dict[str, Any] = dict(interaction.data or {})
    if interaction.type is discord.InteractionType.application_command:
        invocation, file = split_file(invocation_of(data, caller_of(interaction)), data)
        command = host.gateway.command_for(invocation)
        if file is None and command is not None and wants_modal(command, invocation):
            modal = await paste_modal(host.store, command, invocation)
            if modal is not None:  # the first response, before any deferral (else the command says what lacks)
                await interaction.response.send_modal(modal)
                return
        await run_and_reply(host, interaction, invocation, file)
    elif interaction.type is discord.InteractionType.modal_submit:
        submitted = await modal_invocation(host.store, data, caller_of(interaction))
        if submitted is None:
            await interaction.response.send_message(EXPIRED, ephemeral=True)
            return
        await run_and_reply(host, interaction, submitted)
    elif interaction.type is discord.InteractionType.autocomplete:
        await autocomplete(host, interaction, data)
    elif interaction.type is discord.InteractionType.component:
        click = parse_custom_id(str(data.get("custom_id", "")))
        if isinstance(click, PageClick):
            await show_page(host, interaction, click)
            return
        text = None
        if isinstance(click, ActionClick):
            text = click.text if click.text is not None else await host.store.action(click.key or "")
        if text is None:  # an expired key, or an id no button of ours carries: never leave the click unanswered
            await interaction.response.send_message(EXPIRED, ephemeral=True)
            return
        await run_and_reply(host, interaction, Invocation.from_text(text, caller_of(interaction)))


async def run_and_reply(
    host: Host, interaction: discord.Interaction[Any], invocation: Invocation, file: Json | None = None
) -> None:
    """Run the invocation (on an attached paste `file` when given); slow commands defer at once, others when no
    answer came within `defer_after` s."""
    command = host.gateway.command_for(invocation)
    if file is not None:
        run = run_with_file(host.gateway, interaction.client.http, invocation, file, host.paste_limit)
    else:
        run = host.gateway.run(invocation)
    running = asyncio.ensure_future(run)
    deferred, hidden = False, command is not None and command.private and interaction.guild_id is not None
    try:
        if command is None or not command.slow:
            await asyncio.wait({running}, timeout=host.defer_after)
        if not running.done():  # a private command's "thinking" is already the caller's alone
            await interaction.response.defer(thinking=True, ephemeral=hidden)
            deferred = True
        reply = await running
    finally:
        if not running.done():
            running.cancel()
    await send_reply(host, interaction, reply, deferred=deferred, hidden=hidden)


async def send_reply(
    host: Host, interaction: discord.Interaction[Any], reply: Reply, *, deferred: bool, hidden: bool = False
) -> None:
    """Send the first page (with pager and buttons) as the response, or as the follow-up of a deferral (`hidden`:
    an ephemeral one)."""
    rendered = render(reply, in_guild=interaction.guild_id is not None)
    page = rendered.pages[0]
    extra: dict[str, Any] = await message_parts(host, rendered, 0)
    if not deferred:
        await interaction.response.send_message(embeds=page.embeds, ephemeral=rendered.ephemeral, **extra)
        return
    if rendered.ephemeral and not hidden:  # the public "thinking" message would show it to everyone: replace it
        await interaction.delete_original_response()
    await interaction.followup.send(embeds=page.embeds, ephemeral=rendered.ephemeral, wait=True, **extra)


async def show_page(host: Host, interaction: discord.Interaction[Any], click: PageClick) -> None:
    """Re-render the clicked message with another page of the stored reply."""
    stored = await host.store.pages(click.key)
    if stored is None or not 0 <= click.index < len(stored.pages):
        await interaction.response.send_message(EXPIRED, ephemeral=True)
        return
    page = stored.pages[click.index]
    view = await build_view(stored, click.index, host.store, click.key)
    await interaction.response.edit_message(embeds=page.embeds, attachments=files_of(page), view=view)


async def autocomplete(host: Host, interaction: discord.Interaction[Any], data: dict[str, Any]) -> None:
    """Suggest values for the focused option from its parameter's completion source (at most 25)."""
    focused = focused_of(data)
    values: list[str] = []
    if focused is not None:
        name, option, typed = focused
        param = param_of(host.gateway.registry.get(name), option)
        if param is not None and param.autocomplete:
            values = host.gateway.complete(param.autocomplete, typed, MAX_CHOICES)
    unique = list(dict.fromkeys(value[:MAX_CHOICE] for value in values if value))[:MAX_CHOICES]
    await interaction.response.autocomplete([app_commands.Choice(name=value, value=value) for value in unique])


async def message_parts(host: Host, rendered: Rendered, index: int) -> dict[str, Any]:
    """The files and view keyword arguments of a page (left out when empty: discord.py wants them absent)."""
    parts: dict[str, Any] = {}
    files = files_of(rendered.pages[index])
    if files:
        parts["files"] = files
    view = await build_view(rendered, index, host.store)
    if view is not None:
        parts["view"] = view
    return parts


def files_of(page: Page) -> list[discord.File]:
    """Fresh discord.File uploads for a page's images (alt text as the attachment description)."""
    return [
        discord.File(io.BytesIO(image.png), filename=image.filename, description=image.alt) for image in page.images
    ]
