"""Discord object payloads the fake sends (users, guilds, messages, interactions) and the limits it enforces."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import Any

from fakes.discord.records import Json, Part

EPOCH_MS = 1_420_070_400_000  # the Discord epoch
_sequence = itertools.count(1)
EPHEMERAL, LOADING = 64, 128


def snowflake() -> str:
    """A fresh, increasing snowflake id (as Discord sends ids: strings)."""
    return str(((int(time.time() * 1000) - EPOCH_MS) << 22) | (next(_sequence) & 0x3FFFFF))


def now_iso() -> str:
    """The current time in Discord's ISO 8601 format."""
    return datetime.now(UTC).isoformat()


def user(user_id: str, name: str, *, bot: bool = False) -> Json:
    """A user object."""
    return {
        "id": user_id,
        "username": name.lower().replace(" ", "_"),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


def member(user_payload: Json, permissions: int) -> Json:
    """A guild member as sent inside an interaction (with the computed channel permissions)."""
    return {
        "user": user_payload,
        "nick": None,
        "roles": [],
        "joined_at": now_iso(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }


def text_channel(channel_id: str, guild_id: str) -> Json:
    """A guild text channel."""
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": guild_id,
        "name": f"channel-{channel_id[-4:]}",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


def dm_channel(channel_id: str, recipient: Json) -> Json:
    """A direct-message channel with one recipient."""
    return {"id": channel_id, "type": 1, "recipients": [recipient], "last_message_id": None}


def guild(guild_id: str, channel_id: str, owner_id: str) -> Json:
    """A GUILD_CREATE payload: an available guild with one text channel."""
    return {
        "id": guild_id,
        "name": f"Guild {guild_id[-4:]}",
        "icon": None,
        "owner_id": owner_id,
        "unavailable": False,
        "member_count": 2,
        "large": False,
        "features": [],
        "roles": [
            {
                "id": guild_id,
                "name": "@everyone",
                "permissions": "1024",
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "stickers": [],
        "channels": [text_channel(channel_id, guild_id)],
        "threads": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "joined_at": now_iso(),
        "preferred_locale": "en-US",
        "premium_tier": 0,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
    }


def attachments(parts: list[Part], channel_id: str) -> list[Json]:
    """Attachment objects for the uploaded files of a multipart request."""
    return [
        {
            "id": snowflake(),
            "filename": part.filename,
            "size": len(part.data),
            "url": f"https://cdn.discordapp.com/attachments/{channel_id}/{part.filename}",
            "proxy_url": f"https://media.discordapp.net/attachments/{channel_id}/{part.filename}",
            "content_type": part.content_type or "application/octet-stream",
        }
        for part in parts
        if part.filename
    ]


def message(channel_id: str, author: Json, body: Json, files: list[Part], *, webhook_id: str | None = None) -> Json:
    """A message object built from a create-message body and its uploads."""
    payload: Json = {
        "id": snowflake(),
        "channel_id": channel_id,
        "type": 20 if webhook_id else 0,
        "author": author,
        "content": body.get("content") or "",
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "attachments": attachments(files, channel_id),
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "flags": int(body.get("flags") or 0),
    }
    if webhook_id:
        payload["webhook_id"] = webhook_id
        payload["application_id"] = webhook_id
    return payload


def edit(existing: Json, body: Json, files: list[Part]) -> Json:
    """`existing` after a PATCH: given keys replaced; `attachments` keeps listed ids plus new uploads."""
    updated = dict(existing, edited_timestamp=now_iso(), flags=int(existing.get("flags") or 0) & ~LOADING)
    for key in ("content", "embeds", "components"):
        if key in body:
            updated[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
    if "attachments" in body or files:
        kept_ids = {str(a.get("id")) for a in body.get("attachments") or []}
        kept = [a for a in existing.get("attachments", []) if str(a["id"]) in kept_ids]
        updated["attachments"] = kept + attachments(files, existing["channel_id"])
    return updated


def interaction_response(
    interaction_id: str, interaction_type: int, kind: int, message_payload: Json | None, flags: int
) -> Json:
    """What POST .../callback?with_response=1 answers: the interaction and the resource it created."""
    body: Json = {
        "interaction": {
            "id": interaction_id,
            "type": interaction_type,
            "response_message_id": message_payload["id"] if message_payload else None,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(flags & EPHEMERAL),
        }
    }
    if message_payload is not None:
        body["resource"] = {"type": kind, "message": message_payload}
    return body


def limit_errors(body: Any) -> list[str]:
    """What Discord would reject in a message body (content, embeds and components limits)."""
    if not isinstance(body, dict):
        return ["body must be an object"]
    problems: list[str] = []
    if len(body.get("content") or "") > 2000:
        problems.append("content longer than 2000")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        problems.append("more than 10 embeds")
    total = 0
    for index, embed in enumerate(embeds):
        total += _embed_errors(embed, index, problems)
    if total > 6000:
        problems.append(f"embeds total {total} characters > 6000")
    rows = body.get("components") or []
    if len(rows) > 5:
        problems.append("more than 5 action rows")
    for row in rows:
        buttons = row.get("components") or []
        if len(buttons) > 5:
            problems.append("more than 5 components in a row")
        for button in buttons:
            if len(button.get("custom_id") or "") > 100 or len(button.get("label") or "") > 80:
                problems.append("custom_id > 100 or label > 80")
            if button.get("style") == 5 and not button.get("url"):
                problems.append("link button without url")
    return problems


def _embed_errors(embed: Json, index: int, problems: list[str]) -> int:
    fields = embed.get("fields") or []
    sizes = {
        "title": (len(embed.get("title") or ""), 256),
        "description": (len(embed.get("description") or ""), 4096),
        "footer": (len((embed.get("footer") or {}).get("text") or ""), 2048),
        "author": (len((embed.get("author") or {}).get("name") or ""), 256),
    }
    for name, (size, limit) in sizes.items():
        if size > limit:
            problems.append(f"embeds[{index}].{name} longer than {limit}")
    if len(fields) > 25:
        problems.append(f"embeds[{index}] has more than 25 fields")
    total = sum(size for size, _ in sizes.values())
    for field_payload in fields:
        name, value = field_payload.get("name") or "", field_payload.get("value") or ""
        if not name or not value or len(name) > 256 or len(value) > 1024:
            problems.append(f"embeds[{index}] field name 1-256 / value 1-1024 characters")
        total += len(name) + len(value)
    return total


def command_errors(commands: Any) -> list[str]:
    """What Discord would reject in a bulk command overwrite (names, descriptions, option order)."""
    if not isinstance(commands, list):
        return ["body must be a list"]
    problems: list[str] = []
    for command in commands:
        name = command.get("name", "?")
        problems += _option_errors(command, name)
        permissions = command.get("default_member_permissions")
        if permissions is not None and not (isinstance(permissions, str) and permissions.isdigit()):
            problems.append(f"{name}: default_member_permissions must be a permission bit set as a string")
        contexts = command.get("contexts")
        if contexts is not None and (not contexts or not set(contexts) <= {0, 1, 2}):
            problems.append(f"{name}: contexts must be a non-empty list of 0 (guild), 1 (bot DM), 2 (private)")
        for locale, text in (command.get("description_localizations") or {}).items():
            if locale not in LOCALES or not 1 <= len(text) <= 100:
                problems.append(f"{name}: bad description localization {locale!r}")
    return problems


LOCALES = frozenset(
    {"id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl", "pt-BR",
     "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko"}
)  # fmt: skip


def _option_errors(node: Json, where: str) -> list[str]:
    problems = []
    name, description = node.get("name") or "", node.get("description") or ""
    if not (1 <= len(name) <= 32 and name == name.lower()):
        problems.append(f"{where}: bad name {name!r}")
    if not 1 <= len(description) <= 100:
        problems.append(f"{where}: description must be 1-100 characters")
    options = node.get("options") or []
    if len(options) > 25:
        problems.append(f"{where}: more than 25 options")
    seen_optional = False
    for option in options:
        if option.get("type") not in (1, 2) and option.get("required") and seen_optional:
            problems.append(f"{where}: required option {option.get('name')} after an optional one")
        seen_optional = seen_optional or not option.get("required")
        if len(option.get("choices") or []) > 25:
            problems.append(f"{where}: more than 25 choices")
        if option.get("choices") and option.get("autocomplete"):
            problems.append(f"{where}: choices and autocomplete together")
        problems += _option_errors(option, f"{where} {option.get('name')}")
    return problems


def interaction(
    kind: int,
    data: Json,
    *,
    application_id: str,
    user_payload: Json,
    guild_id: str | None,
    channel: Json,
    permissions: int,
    message_payload: Json | None = None,
) -> Json:
    """An INTERACTION_CREATE payload from a guild member (guild_id set) or a DM user."""
    payload: Json = {
        "id": snowflake(),
        "application_id": application_id,
        "type": kind,
        "data": data,
        "channel": channel,
        "channel_id": channel["id"],
        "token": f"itoken-{snowflake()}",
        "version": 1,
        "locale": "en-US",
        "app_permissions": "2248473465835073",
        "attachment_size_limit": 10_485_760,
        "entitlements": [],
        "context": 0 if guild_id else 1,
    }
    if guild_id:
        payload |= {"guild_id": guild_id, "guild_locale": "en-US", "member": member(user_payload, permissions)}
        payload["authorizing_integration_owners"] = {"0": guild_id}
    else:
        payload["user"] = user_payload
        payload["authorizing_integration_owners"] = {"0": "0"}
    if message_payload is not None:
        payload["message"] = message_payload
    return payload


def typed_value(value: Any) -> tuple[int, Any]:
    """The option type Discord would use for a Python value (string 3, integer 4, boolean 5, number 10)."""
    if isinstance(value, bool):
        return 5, value
    if isinstance(value, int):
        return 4, value
    if isinstance(value, float):
        return 10, value
    return 3, str(value)


ACTION_ROW, TEXT_INPUT, LABEL = 1, 4, 18  # component types
MAX_INPUT = 4000  # a text input's longest value


def modal_errors(modal: Json) -> list[str]:
    """What Discord would reject in a modal callback: title, custom_id, 1-5 labels (or legacy action rows) each
    with one text input within its limits."""
    problems = []
    if not 1 <= len(modal.get("title") or "") <= 45:
        problems.append("title must be 1-45 characters")
    if not 1 <= len(modal.get("custom_id") or "") <= 100:
        problems.append("custom_id must be 1-100 characters")
    rows = modal.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems.append("a modal has 1-5 components")
    for index, row in enumerate(rows):
        if row.get("type") == LABEL:
            field, label = row.get("component") or {}, row.get("label") or ""
            if not 1 <= len(label) <= 45 or len(row.get("description") or "") > 100:
                problems.append(f"components[{index}] label 1-45 / description up to 100 characters")
        elif row.get("type") == ACTION_ROW and len(row.get("components") or []) == 1:
            field = row["components"][0]
            if not 1 <= len(field.get("label") or "") <= 45:
                problems.append(f"components[{index}] text input label must be 1-45 characters")
        else:
            problems.append(f"components[{index}] must be a label or an action row with one text input")
            continue
        if field.get("type") != TEXT_INPUT or field.get("style") not in (1, 2):
            problems.append(f"components[{index}] is not a short or paragraph text input")
        if not 1 <= len(field.get("custom_id") or "") <= 100:
            problems.append(f"components[{index}] custom_id must be 1-100 characters")
        if not 1 <= int(field.get("max_length", MAX_INPUT)) <= MAX_INPUT:
            problems.append(f"components[{index}] max_length must be 1-{MAX_INPUT}")
        if len(field.get("placeholder") or "") > 100 or len(field.get("value") or "") > MAX_INPUT:
            problems.append(f"components[{index}] placeholder or value too long")
    return problems
