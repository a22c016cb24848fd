"""The panel's static files: read once from package data and served under content-hashed, immutable names."""

from __future__ import annotations

import functools
import hashlib
import mimetypes
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from aiohttp import web

IMMUTABLE = "public, max-age=31536000, immutable"
_HASH_LENGTH = 8


@dataclass(frozen=True)
class Asset:
    """One static file's bytes and content type."""

    body: bytes
    content_type: str


class StaticAssets:
    """Every file of a static folder under `name.<hash>.ext`, the hash taken from its bytes."""

    def __init__(self, source: Traversable, prefix: str = "/static/") -> None:
        self.prefix = prefix
        self._hashed: dict[str, str] = {}
        self._assets: dict[str, Asset] = {}
        for entry in source.iterdir():
            if not entry.is_file() or entry.name.startswith("."):
                continue
            body = entry.read_bytes()
            stem, dot, ext = entry.name.rpartition(".")
            digest = hashlib.sha256(body).hexdigest()[:_HASH_LENGTH]
            hashed = f"{stem}.{digest}.{ext}" if dot else f"{entry.name}.{digest}"
            content_type = mimetypes.guess_type(entry.name)[0] or "application/octet-stream"
            self._hashed[entry.name] = hashed
            self._assets[hashed] = Asset(body, content_type)

    def url(self, name: str) -> str:
        """The content-hashed URL of static file `name` (e.g. /static/panel.3f2a9c1b.css)."""
        try:
            return self.prefix + self._hashed[name]
        except KeyError:
            raise LookupError(f"no static file named {name!r}") from None

    async def handle(self, request: web.Request) -> web.Response:
        """GET /static/{name}: a hashed name's bytes, cacheable for a year; anything else is 404."""
        asset = self._assets.get(request.match_info["name"])
        if asset is None:
            raise web.HTTPNotFound()
        charset = "utf-8" if asset.content_type.startswith("text/") else None
        return web.Response(
            body=asset.body,
            content_type=asset.content_type,
            charset=charset,
            headers={"Cache-Control": IMMUTABLE},
        )


@functools.cache
def panel_assets() -> StaticAssets:
    """The web package's static files (read and hashed once per process)."""
    return StaticAssets(files("web") / "static")
