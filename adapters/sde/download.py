"""Download an SDE zip over http(s) into <data_dir>/sde/, atomically (temp file, then rename)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import aiohttp

from adapters.sde.archive import SdeImportError

DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=30 * 60, sock_connect=30, sock_read=120)
CHUNK_BYTES = 1 << 20


def is_url(source: str) -> bool:
    """Whether `source` is an http(s) URL rather than a local path."""
    return urlsplit(source).scheme in ("http", "https")


def download_target(url: str, data_dir: Path) -> Path:
    """Where a download of `url` is kept: <data_dir>/sde/<file name of the URL>."""
    name = PurePosixPath(urlsplit(url).path).name
    if not name.endswith(".zip"):
        name = "sde-download.zip"
    return data_dir / "sde" / name


async def download_sde(url: str, data_dir: Path) -> Path:
    """Fetch `url` to its target path; a failed or partial download never replaces an earlier file."""
    target = download_target(url, data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as temp_file:
            async with (
                aiohttp.ClientSession(timeout=DOWNLOAD_TIMEOUT) as session,
                session.get(url) as response,
            ):
                if response.status != 200:
                    raise SdeImportError(f"download failed: {url} answered HTTP {response.status}")
                async for chunk in response.content.iter_chunked(CHUNK_BYTES):
                    temp_file.write(chunk)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.replace(temp_name, target)
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        raise SdeImportError(f"download failed: {url} ({error.__class__.__name__}: {error})") from None
    finally:
        _discard(temp_name)
    return target


def _discard(path: str) -> None:
    """Remove a leftover temp file (gone already after a successful rename)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
