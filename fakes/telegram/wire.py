"""The Bot API wire format of the fake: recorded calls, error answers and request bodies as PTB sends them."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON_FIELDS = frozenset(
    {
        "commands",
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "scope",
        "results",
        "reply_parameters",
        "link_preview_options",
        "button",
    }
)
Json = dict[str, Any]


@dataclass
class Call:
    """One recorded Bot API call: the method as sent, its parameters (JSON fields decoded) and uploaded files."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class QueuedError:
    """An error the next call of `method` will get."""

    method: str
    error_code: int
    description: str
    retry_after: float | None


class ApiError(Exception):
    """An error answer (400 Bad Request unless `code` says otherwise) with this description."""

    def __init__(self, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.code = code


def error_response(code: int, description: str, retry_after: float | None = None) -> web.Response:
    """{"ok": false, ...} as Telegram answers it, with parameters.retry_after on a 429."""
    body: Json = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=code)


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Parameters from a JSON, form or multipart body (JSON-encoded fields decoded), and any uploaded files."""
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        return dict(body or {}), files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = value.file.read()
            continue
        text = value if isinstance(value, str) else bytes(value).decode()
        if key in JSON_FIELDS:
            try:
                params[key] = json.loads(text)
                continue
            except ValueError:
                pass
        params[key] = text
    for key, value in request.query.items():
        params.setdefault(key, value)
    return params, files


def check_inline_keyboard(markup: Any) -> None:
    """Reject what Telegram rejects in an inline keyboard: callback_data over 64 bytes, non-http(s)/tg URLs."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise ApiError("Bad Request: text buttons are unallowed in the inline keyboard")
            data, url = button.get("callback_data"), button.get("url")
            if (data is None) == (url is None):
                raise ApiError("Bad Request: can't parse inline keyboard button: exactly one action required")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError("Bad Request: BUTTON_DATA_INVALID")
            if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                raise ApiError("Bad Request: BUTTON_URL_INVALID")


def shown_length(text: str, parse_mode: str | None) -> int:
    """The length Telegram checks (UTF-16 code units of the text after HTML entities are parsed)."""
    shown = html.unescape(re.sub(r"<[^>]+>", "", text)) if parse_mode == "HTML" else text
    return len(shown.encode("utf-16-le")) // 2
