"""Pastes as files on Telegram: a .txt document captioned "/appraise [hub]", or sent in reply to the bot's question
for a paste, is checked (name, type, size) before getFile and read from the bot's file URL once the command gateway
has admitted the caller."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Document
from telegram.error import TelegramError

from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import Command, Registry
from core.commands.appraise import paste_file_problem, paste_of_file

logger = logging.getLogger(__name__)


def paste_param(command: Command | None) -> Param | None:
    """The command's paste parameter (the one a file can fill), or None."""
    return next((param for param in command.params if param.kind is ParamKind.PASTE), None) if command else None


def captioned_command(registry: Registry, caption: str, bot_username: str | None) -> tuple[Command, str] | None:
    """The paste command a caption names ("/appraise amarr", "/appraise@our_bot") and the rest of the caption;
    None for other captions, commands without a paste, or a command addressed to another bot."""
    head, _, rest = caption.strip().partition(" ")
    if not head.startswith("/"):
        return None
    name, _, addressee = head[1:].partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return None
    command = registry.get(name.lower().replace("_", "-")) or registry.get(name.lower())
    return (command, rest.strip()) if command is not None and paste_param(command) is not None else None


def caption_args(command: Command, rest: str, paste: str) -> dict[str, str]:
    """The named arguments of a captioned file: the paste, and the caption's rest as the next parameter
    ("amarr" or "where=amarr")."""
    param = paste_param(command)
    assert param is not None
    args = {param.name: paste}
    others = [p.name for p in command.params if p is not param]
    if rest and others:
        key, eq, value = rest.partition("=")
        if eq and key.strip().lower() in others:
            args[key.strip().lower()] = value.strip()
        else:
            args[others[0]] = rest
    return args


def document_problem(document: Document, limit: int) -> str | None:
    """Why a document cannot be a paste (name, type or size, as Telegram reports them), or None; asks nothing."""
    return paste_file_problem(document.file_name or "", document.mime_type, document.file_size, limit)


async def read_document(bot: Any, document: Document, limit: int) -> str:
    """The text of a .txt document that passed `document_problem`: getFile, then fetched from
    `{base_file_url}{token}/{file_path}` and decoded; ArgumentError with the text paste's messages otherwise."""
    try:
        file = await bot.get_file(document.file_id)
        data = await file.download_as_bytearray()
    except TelegramError as exc:
        logger.warning("telegram document download failed: %s", type(exc).__name__)
        raise ArgumentError("paste: Telegram did not hand over the file, try again.") from None
    return paste_of_file(bytes(data), limit)
