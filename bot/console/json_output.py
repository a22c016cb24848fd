"""A Reply as stable JSON for scripts (`evetrader chat --json`).

Schema (version 1); every key is always present, absent values are null or empty lists:

| key        | type                                         | meaning                                              |
|------------|----------------------------------------------|------------------------------------------------------|
| version    | int                                          | schema version, 1                                    |
| title      | string or null                               | the reply's title                                    |
| text       | string                                       | the body text (may contain `code` markdown)          |
| fields     | [{name, value, inline}]                      | labelled values; inline is a bool                    |
| tables     | [{headers, rows, align}]                     | rows are lists of strings; align is "l"/"r"/"c" each |
| images     | [{path, alt}]                                | saved PNG files (path null when not saved)           |
| buttons    | [{label, url, action}]                       | exactly one of url / action (a follow-up command)    |
| ephemeral  | bool                                         | only meant for the caller                            |
| error      | null or {message, usage}                     | set when the reply is an error; usage may be null    |
| footer     | null or {source, as_of, simulated, sources}  | as_of: ISO 8601 with UTC offset, or null; sources:   |
|            |                                              | [{kind, id, name, as_of}] every source and its age   |
| data       | object                                       | the command's machine-readable data                  |

Inside `data`, datetimes become ISO 8601 strings (naive ones are taken as UTC), dataclasses objects,
sets lists, bytes and anything else (Decimal, Path, ...) strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from core.chat.model import Reply

SCHEMA_VERSION = 1
_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_NON_STR_KEYS


def reply_to_json(reply: Reply, image_paths: Sequence[Path]) -> dict[str, Any]:
    """The documented JSON object for a reply (only JSON types: str, int, float, bool, None, list, dict)."""
    footer = reply.footer
    as_of = footer.as_of if footer else None
    paths: list[Path | None] = [*image_paths, *[None] * len(reply.images)]
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "title": reply.title,
        "text": reply.text,
        "fields": [{"name": f.name, "value": f.value, "inline": f.inline} for f in reply.fields],
        "tables": [
            {"headers": t.headers, "rows": t.rows, "align": t.align or "l" * len(t.headers)} for t in reply.tables
        ],
        "images": [
            {"path": str(path) if path else None, "alt": image.alt}
            for image, path in zip(reply.images, paths, strict=False)
        ],
        "buttons": [{"label": b.label, "url": b.url, "action": b.action} for b in reply.buttons],
        "ephemeral": reply.ephemeral,
        "error": _error(reply),
        "footer": None
        if footer is None
        else {
            "source": footer.source,
            "as_of": _iso(as_of),
            "simulated": footer.simulated,
            "sources": [s.as_data() | {"as_of": _iso(s.as_of)} for s in footer.sources],
        },
        "data": reply.data,
    }
    loaded: dict[str, Any] = orjson.loads(orjson.dumps(document, default=_default, option=_OPTIONS))
    return loaded


def dumps(document: dict[str, Any], *, indent: bool = True) -> str:
    """The JSON text of a reply_to_json document (indented by default), without a trailing newline."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 if indent else 0).decode()


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 with a UTC offset (naive times are taken as UTC), or None."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat() if moment else None


def _error(reply: Reply) -> dict[str, Any] | None:
    if not reply.is_error:
        return None
    message = reply.data.get("error", reply.text.partition("\nusage: ")[0])
    return {"message": str(message), "usage": reply.data.get("usage")}


def _default(value: object) -> object:
    """Types orjson does not serialise itself."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
