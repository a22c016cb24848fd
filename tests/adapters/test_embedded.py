"""Embedded servers across processes: shared by concurrent processes, stopped by the last, data kept."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as aioredis

HOLDER = """
import json, sys
from pathlib import Path
from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
data = Path(sys.argv[1])
pg, rd = EmbeddedPostgres(data), EmbeddedRedis(data)
print(json.dumps({"pg": pg.start(), "redis": rd.start()}), flush=True)
sys.stdin.readline()
rd.close()
pg.close()
"""


class Holder:
    """A separate process holding the embedded servers until told to leave."""

    def __init__(self, proc: asyncio.subprocess.Process, urls: dict[str, str]) -> None:
        self.proc = proc
        self.urls = urls

    @classmethod
    async def start(cls, data_dir: Path) -> Holder:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            HOLDER,
            str(data_dir),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 60)
        return cls(proc, json.loads(line))

    async def leave(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"\n")
        await self.proc.stdin.drain()
        assert await asyncio.wait_for(self.proc.wait(), 60) == 0


async def answers(urls: dict[str, str]) -> tuple[bool, bool]:
    """Whether Postgres and Redis at `urls` answer."""
    try:
        conn = await asyncpg.connect(urls["pg"], timeout=3)
        await conn.close()
        pg_ok = True
    except (OSError, asyncpg.PostgresError):
        pg_ok = False
    client = aioredis.from_url(urls["redis"], socket_timeout=2)
    try:
        redis_ok = bool(await client.ping())
    except (OSError, aioredis.RedisError):
        redis_ok = False
    finally:
        await client.aclose()
    return pg_ok, redis_ok


@pytest.mark.slow
async def test_processes_share_the_servers_the_last_stops_them_and_data_survives(tmp_path: Path) -> None:
    first = await Holder.start(tmp_path)
    second = await Holder.start(tmp_path)
    assert first.urls == second.urls  # the second process joined the running servers
    conn = await asyncpg.connect(first.urls["pg"])
    await conn.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('isk')")
    await conn.close()
    client = aioredis.from_url(first.urls["redis"])
    await client.set("kept", "plex")
    await client.aclose()

    await first.leave()
    assert await answers(second.urls) == (True, True)  # still serving the process that remains
    await second.leave()
    assert await answers(second.urls) == (False, False)  # the last one out stopped both

    third = await Holder.start(tmp_path)
    conn = await asyncpg.connect(third.urls["pg"])
    assert await conn.fetchval("SELECT v FROM kept") == "isk"
    await conn.close()
    client = aioredis.from_url(third.urls["redis"])
    assert await client.get("kept") == b"plex"
    await client.aclose()
    await third.leave()
