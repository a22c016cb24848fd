"""Load benchmark, loopback only and bounded: panel/API reads at a fixed rate, and /price through the Telegram fake.

(a) `evetrader serve web` as a process; concurrent clients, each signed in through the SSO fake with its own cookie
    jar, read the panel pages and `/api/v1` routes on a fixed schedule (open model: latency counts from the moment a
    request was due, so a slow server cannot hide its queue). Throughput and p50/p99.
(b) `evetrader serve bot` as a process polling the Telegram fake; many users send `/price` at a fixed total rate
    (each within its command budget), one user bursts past its budget. Reply latency p50/p99, lost replies (none
    allowed), and whether the over-budget user got the polite limit answer.
Every loop is bounded in count and time. Prints one JSON object with the targets beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import socket
import sys
import tempfile
import time
import uuid
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from aiohttp import web

from adapters.crypto import TokenCipher
from benchmarks.ingest import scratch_database
from evetrader.app import App
from evetrader.bootstrap.market import region_refresher
from evetrader.cli_actions import ensure_static_data
from evetrader.config import Settings, load_settings
from fakes.esi import EsiFake
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from fakes.telegram import TelegramFake

TARGETS = {"api_rps": 500.0, "api_p99_ms": 100.0, "bot_cps": 100.0, "bot_p99_ms": 500.0, "bot_lost": 0}
API_ROUTES = ("/api/v1/account", "/api/v1/settings", "/api/v1/alerts", "/api/v1/watchlist", "/", "/account")
JITA_REGION, JITA_STATION = 10000002, 60003760
TOKEN = "123456:LOAD-token"
LIMIT_TEXT = "faster than I can answer"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (values need not be sorted); NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


@contextlib.asynccontextmanager
async def service(name: str, env: dict[str, str], probe: str, timeout_s: float = 90) -> AsyncIterator[None]:
    """`evetrader serve NAME` as a process with `env`, ready once `probe` answers 200; SIGTERM afterwards."""
    log = open(Path(env["EVETRADER_DATA_DIR"]) / f"{name}.log", "wb")  # noqa: SIM115, ASYNC230
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "evetrader.cli", "serve", name, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + timeout_s
        async with aiohttp.ClientSession() as session:
            while True:
                if proc.returncode is not None or time.monotonic() > deadline:
                    log.flush()
                    tail = Path(log.name).read_text(errors="replace")[-3000:]  # noqa: ASYNC240 (failure path)
                    raise RuntimeError(f"serve {name} did not start:\n{tail}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(probe) as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.3)
        yield
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()
        log.close()


async def fixed_rate(rate: float, seconds: float, fire: Callable[[int], Awaitable[None]], cap: int) -> float:
    """Call `fire(i)` for i = 0.. at `rate` per second for `seconds`, at most `cap` in flight; the wall time taken."""
    count, started = int(rate * seconds), time.perf_counter()
    gate = asyncio.Semaphore(cap)
    tasks: set[asyncio.Task[None]] = set()

    async def one(index: int) -> None:
        async with gate:
            await fire(index)

    for index in range(count):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(index))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    return time.perf_counter() - started


# ---- (a) panel and API reads ------------------------------------------------------------------------------------
async def sign_in(web_url: str, fake: SsoFake, character_id: int) -> aiohttp.ClientSession:
    """A client session signed in as `character_id` through the real SSO flow (the fake consents at once)."""
    fake.logged_in = character_id
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with session.get(f"{web_url}/auth/login") as response:
        await response.read()
    if not any(m.key.endswith("evt_access") for m in session.cookie_jar):
        await session.close()
        raise RuntimeError(f"sign-in failed for {character_id}: {response.status} {response.url}")
    return session


async def api_load(settings_env: dict[str, str], rate: float, seconds: float, clients: int) -> dict[str, Any]:
    """Sign `clients` characters in, then read the panel/API routes at `rate` for `seconds`."""
    characters = [FakeCharacter(95000001 + i, f"Load Trader {i}", f"load-owner-{i}") for i in range(clients)]
    web_port, ops_port = _free_port(), _free_port()
    web_url = f"http://127.0.0.1:{web_port}"
    async with SsoFake(characters=characters, redirect_uri=f"{web_url}/auth/callback") as fake:
        env = settings_env | {
            "WEB_HOST": "127.0.0.1",
            "WEB_PORT": str(web_port),
            "OPS_PORT": str(ops_port),
            "PUBLIC_URL": web_url,
            "EVE_CLIENT_ID": fake.client_id,
            "EVE_CLIENT_SECRET": fake.client_secret or "",
            "SSO_BASE_URL": fake.base_url,
            "ENCRYPTION_KEYS": TokenCipher.new_key_entry("load"),
            # one loopback address and a handful of accounts carry the whole load: the per-IP and per-account
            # budgets (which protect a real panel) would otherwise answer 429 to the benchmark itself
            "WEB_RATE_PER_MINUTE": "10000000",
            "WEB_RATE_BURST": "100000",
            "WEB_USER_RATE_PER_MINUTE": "10000000",
            "WEB_USER_RATE_BURST": "100000",
        }
        async with service("web", env, f"{web_url}/healthz"):
            sessions = [await sign_in(web_url, fake, c.character_id) for c in characters]
            latencies: list[float] = []
            statuses: dict[int, int] = defaultdict(int)
            try:
                for session in sessions:  # warm every route once per client (templates, pools)
                    for route in API_ROUTES:
                        async with session.get(web_url + route) as response:
                            await response.read()
                begin = time.perf_counter()

                async def fire(index: int) -> None:
                    due = begin + index / rate
                    session = sessions[index % len(sessions)]
                    async with session.get(web_url + API_ROUTES[index % len(API_ROUTES)]) as response:
                        await response.read()
                        statuses[response.status] += 1
                    latencies.append(time.perf_counter() - due)

                wall = await fixed_rate(rate, seconds, fire, cap=256)
            finally:
                for session in sessions:
                    await session.close()
    ok = statuses.get(200, 0)
    return {
        "clients": clients,
        "offered_rps": rate,
        "seconds": round(wall, 2),
        "requests": len(latencies),
        "statuses": {str(code): n for code, n in sorted(statuses.items())},
        "throughput_rps": round(ok / wall, 1),
        "p50_ms": _ms(_percentile(latencies, 50)),
        "p99_ms": _ms(_percentile(latencies, 99)),
        "routes": list(API_ROUTES),
    }


# ---- (b) /price through the Telegram fake -----------------------------------------------------------------------
class TimedTelegramFake(TelegramFake):
    """The Telegram fake, noting when each sendMessage reached it, per chat, in order."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.sent_at: dict[int, deque[tuple[float, str]]] = defaultdict(deque)

    async def _handle(self, request: web.Request) -> web.Response:
        response = await super()._handle(request)
        if request.match_info["method"].lower() == "sendmessage" and self.calls:
            params = self.calls[-1].params
            with contextlib.suppress(KeyError, TypeError, ValueError):
                self.sent_at[int(params["chat_id"])].append((time.perf_counter(), str(params.get("text", ""))))
        return response


async def most_traded_name(settings: Settings) -> str:
    """Market data for Jita from the ESI fake (already ingested by the caller); the name of its busiest type."""
    async with App(settings) as ctx:
        name = await ctx.pool.fetchval(
            "SELECT t.name FROM market_quotes q JOIN sde_types t USING (type_id) WHERE q.location_id = $1"
            " AND q.best_sell IS NOT NULL AND q.best_buy IS NOT NULL ORDER BY q.sell_orders + q.buy_orders DESC"
            " LIMIT 1",
            JITA_STATION,
        )
    return str(name)


async def bot_load(settings_env: dict[str, str], item: str, rate: float, seconds: float, pace: float) -> dict[str, Any]:
    """`/price` at `rate` a second for `seconds` from users within their budget, plus one user over it.

    `pace` is TELEGRAM_MESSAGES_PER_SECOND: Telegram's free limit (30) caps replies below 100 a second by design, so
    the process's own capacity is measured with the pace raised, as a bot with paid broadcasts runs."""
    per_user_gap_s = 6.0  # 10 a minute: inside the default budget (20 a minute, bursts of 5)
    users = max(1, math.ceil(rate * per_user_gap_s))
    async with TimedTelegramFake(TOKEN) as telegram:
        env = settings_env | {
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": telegram.url,
            "TELEGRAM_MESSAGES_PER_SECOND": str(pace),
            "OPS_PORT": str(_free_port()),
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "evetrader.cli", "serve", "bot", env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await telegram.wait_for("setMyCommands", timeout=90)
            for user in range(users):  # each user's first command makes its account: not part of the figures
                telegram.push_message("/help", chat_id=700_000 + user, user_id=700_000 + user)
            await _replies(telegram, {700_000 + u: 1 for u in range(users)}, timeout_s=120)
            telegram.sent_at.clear()
            pushed: dict[int, list[float]] = defaultdict(list)

            async def fire(index: int) -> None:
                chat = 700_000 + index % users
                pushed[chat].append(time.perf_counter())
                telegram.push_message(f"/price {item} jita", chat_id=chat, user_id=chat)

            wall = await fixed_rate(rate, seconds, fire, cap=10_000)
            burst_chat = 800_000
            telegram.push_message("/help", chat_id=burst_chat, user_id=burst_chat)
            await _replies(telegram, {burst_chat: 1}, timeout_s=30)
            telegram.sent_at[burst_chat].clear()
            for _ in range(12):
                telegram.push_message(f"/price {item} jita", chat_id=burst_chat, user_id=burst_chat)
            await _replies(telegram, {c: len(t) for c, t in pushed.items()} | {burst_chat: 12}, timeout_s=30)
        finally:
            proc.terminate()
            await asyncio.wait_for(proc.wait(), 30)
        latencies, lost = [], 0
        for chat, times in pushed.items():
            replies = telegram.sent_at.get(chat, deque())
            for index, sent in enumerate(times):
                if index < len(replies):
                    latencies.append(replies[index][0] - sent)
                else:
                    lost += 1
        burst = [text for _, text in telegram.sent_at.get(burst_chat, ())]
    return {
        "users": users,
        "telegram_messages_per_second": pace,
        "offered_cps": rate,
        "seconds": round(wall, 2),
        "commands": sum(len(t) for t in pushed.values()),
        "replies": len(latencies),
        "lost": lost,
        "throughput_cps": round(len(latencies) / wall, 1),
        "p50_ms": _ms(_percentile(latencies, 50)),
        "p99_ms": _ms(_percentile(latencies, 99)),
        "over_budget": {
            "sent": 12,
            "answered": len(burst),
            "limited_politely": sum(LIMIT_TEXT in text for text in burst),
        },
    }


async def _replies(telegram: TimedTelegramFake, wanted: dict[int, int], timeout_s: float) -> None:
    """Wait (bounded) until each chat got at least its wanted number of messages."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if all(len(telegram.sent_at.get(chat, ())) >= count for chat, count in wanted.items()):
            return
        await asyncio.sleep(0.1)


# ---- set-up and report ------------------------------------------------------------------------------------------
async def run(args: argparse.Namespace) -> dict[str, Any]:
    """A scratch database with Jita's book from the ESI fake, then the two loads against service processes."""
    base = load_settings()
    with tempfile.TemporaryDirectory(prefix="evt-load-") as tmp:
        async with scratch_database(base.database_url) as dsn, EsiFake(regions={JITA_REGION: 3_000}) as esi:
            prefix = f"evt-load-{uuid.uuid4().hex[:6]}:"
            settings = load_settings(
                data_dir=Path(tmp), redis_prefix=prefix, database_url=dsn, esi_base_url=esi.base_url
            )
            async with App(settings) as ctx:  # with no URLs set this starts the embedded servers the services join
                await ctx.migrate()
                await ensure_static_data(ctx)
                await region_refresher(ctx).refresh(JITA_REGION)
                env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_"))}
                env |= {
                    "EVETRADER_DATA_DIR": tmp,
                    "EVETRADER_REDIS_PREFIX": prefix,
                    "ESI_BASE_URL": esi.base_url,
                    "EVETRADER_LOG_LEVEL": "WARNING",
                } | ({"DATABASE_URL": dsn} if dsn else {})
                item = await most_traded_name(settings)
                result: dict[str, Any] = {"benchmark": "load", "targets": TARGETS}
                if not args.skip_api:
                    result["api"] = await api_load(env, args.api_rate, args.api_seconds, args.api_clients)
                if not args.skip_bot:
                    result["bot"] = await bot_load(env, item, args.bot_rate, args.bot_seconds, args.bot_pace)
    result["meets_targets"] = _verdict(result)
    return result


def _verdict(result: dict[str, Any]) -> dict[str, bool]:
    """Each measured figure against its target."""
    verdict = {}
    if "api" in result:
        api = result["api"]
        verdict["api"] = api["throughput_rps"] >= TARGETS["api_rps"] and api["p99_ms"] < TARGETS["api_p99_ms"]
    if "bot" in result:
        bot = result["bot"]
        verdict["bot"] = (
            bot["throughput_cps"] >= TARGETS["bot_cps"]
            and bot["p99_ms"] < TARGETS["bot_p99_ms"]
            and bot["lost"] == TARGETS["bot_lost"]
        )
    return verdict


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api-rate", type=float, default=500.0, help="panel/API requests offered per second")
    parser.add_argument("--api-seconds", type=float, default=20.0)
    parser.add_argument("--api-clients", type=int, default=16, help="signed-in clients (cookie jars)")
    parser.add_argument("--bot-rate", type=float, default=100.0, help="/price commands offered per second")
    parser.add_argument("--bot-seconds", type=float, default=60.0)
    parser.add_argument("--bot-pace", type=float, default=1000.0, help="TELEGRAM_MESSAGES_PER_SECOND of the bot")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-bot", action="store_true")
    print(orjson.dumps(asyncio.run(run(parser.parse_args())), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
