"""What the CLI commands do, as async functions over the composition root (kept out of the typer glue).

Each command imports the wiring it uses (refreshers, progress bars, stores) itself: `evetrader status` loads none
of the others' and `evetrader ingest` none of the history, price and static-data modules.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.market.hubs import KNOWN_REGIONS, check_region, find_hub
from evetrader.app import App

if TYPE_CHECKING:
    from core.chat.model import Caller
    from core.market.model import SnapshotMeta
    from evetrader.bootstrap.chat import ChatDeps
    from evetrader.config import Settings
    from evetrader.progress import Report

log = logging.getLogger(__name__)
FAKES_MISSING = (
    "the fakes are not installed: from evetrader's source tree run `make install`, or `pip install ./fakes` "
    "into this environment"
)
OFFLINE_PACKAGING = (
    "packaged ship volumes skipped (offline import): ships keep their assembled volume until `evetrader run` "
    "fetches the packaged ones from ESI"
)
Echo = Callable[[str], object]
StopFactory = Callable[[], asyncio.Event]
ROLES = {"worker": ("worker", "delivery")}  # `serve worker` also delivers e-mail and web push alerts


def resolve_region(region: int | None, hub: str | None) -> int:
    """The region id named by --region or --hub; raise ValueError listing the valid ones."""
    if hub is not None:
        return find_hub(hub).region_id
    assert region is not None
    return check_region(region)


async def import_static_data(settings: Settings, source: str) -> str:
    """Import the SDE from `source` ("bundled": the offline fixture, no network request); a short summary."""
    from adapters.sde import bundled_fixture_path, import_sde
    from evetrader.bootstrap.market import packaging_refresher
    from evetrader.progress import progress

    offline = source == "bundled"
    path = bundled_fixture_path() if offline else source
    async with App(settings) as ctx:
        await ctx.prepare_schema()
        with progress("importing static data") as report:
            summary = await import_sde(ctx.pool, path, data_dir=settings.data_dir, progress=report)
        counts = ", ".join(f"{name} {count:,}" for name, count in summary.counts.items())
        done = f"imported {summary.source} in {summary.duration_s:.1f}s: {counts}"
        if offline:  # the fixture bundles no packaged volumes, and they come from ESI
            return f"{done}\n{OFFLINE_PACKAGING}"
        try:  # ESI being down must not fail the import: the scheduler fills the volumes later
            packed = await packaging_refresher(ctx).refresh()
            log.info("packaged volumes", extra={"fetched": packed.fetched, "failed": len(packed.failed)})
        except Exception as exc:
            log.warning("packaged volumes not refreshed", extra={"error": str(exc)})
    return done


async def ensure_static_data(ctx: App, report: Report | None = None) -> None:
    """Import the bundled SDE fixture when the database has no static data yet (works offline)."""
    from adapters.sde import bundled_fixture_path, import_sde, sde_is_empty

    if await sde_is_empty(ctx.pool):
        log.info("static data empty: importing the bundled fixture")
        await import_sde(ctx.pool, bundled_fixture_path(), data_dir=ctx.settings.data_dir, progress=report)


async def wait_for_static_data(ctx: App, stop: asyncio.Event, poll_s: float = 2.0) -> bool:
    """Wait (not ready meanwhile) until another process has imported the static data; False if stopped first.

    Services that do not import it themselves (web, worker) read the item catalog once: started before the
    import, they would serve an empty catalog until restarted.
    """
    from adapters.sde import sde_is_empty
    from core.outage import Throttle, pause

    throttle = Throttle()
    while await sde_is_empty(ctx.pool):
        if throttle.ready():
            log.warning("static data not imported yet: waiting for the scheduler or `evetrader sde import`")
        await pause(stop, poll_s)
        if stop.is_set():
            return False
    return True


async def ingest_region(settings: Settings, region_id: int, *, once: bool, history: bool, echo: Echo) -> None:
    """Refresh a region once, or every time its data expires until interrupted."""
    from core.market.ingest import RefreshResult
    from evetrader.bootstrap.market import region_refresher
    from evetrader.progress import CountingSource, progress

    async with App(settings) as ctx:
        await ctx.prepare_schema()
        while True:
            with progress(f"region {region_id}") as report:
                outcome = await region_refresher(ctx, CountingSource(ctx.esi, report, "order pages")).refresh(region_id)
            meta = outcome.meta
            if outcome.result is RefreshResult.FRESH:
                echo(
                    f"region {region_id} is fresh until {_hhmmss(outcome.next_due)}; ESI asks us not to refetch earlier"
                )
            elif meta is not None:
                echo(
                    f"region {region_id}: {outcome.result.value}, {meta.orders:,} orders, {meta.quotes:,} quotes, "
                    f"{meta.pages} pages in {outcome.seconds:.2f}s; next refresh after {_hhmmss(outcome.next_due)}"
                )
            if history:
                from evetrader.bootstrap.market import history_refresher
                from evetrader.bootstrap.operator import history_store

                types = await history_store(ctx).watched_types(region_id, settings.history_watch_limit)
                with progress(f"history of region {region_id}") as report:
                    source = CountingSource(ctx.esi, report, "types", len(types))
                    summary = await history_refresher(ctx, source).refresh(region_id, types)
                echo(
                    f"history: {summary.fetched} fetched, {summary.unchanged} unchanged, {summary.fresh} fresh, "
                    f"{summary.missing} not traded, {len(summary.failed)} failed, {summary.rows:,} rows"
                )
            if once:
                return
            due = outcome.next_due or datetime.now(UTC)
            await asyncio.sleep(max(1.0, (due - datetime.now(UTC)).total_seconds() + settings.ingest_jitter_s))


def _status_json(metas: dict[int, SnapshotMeta | None]) -> str:
    """`status --json`: a list of regions with status, orders, as_of, expires and last_error (ISO 8601 UTC times)."""
    import orjson

    def when(moment: datetime | None) -> str | None:
        return moment.astimezone(UTC).isoformat() if moment else None

    return orjson.dumps(
        [
            {
                "region_id": region_id,
                "name": KNOWN_REGIONS[region_id],
                "status": meta.status.value if meta else "never_ingested",
                "orders": meta.orders if meta else 0,
                "as_of": when(meta.last_modified) if meta else None,
                "expires": when(meta.expires) if meta else None,
                "last_error": meta.last_error if meta else None,
            }
            for region_id, meta in metas.items()
        ],
        option=orjson.OPT_INDENT_2,
    ).decode()


def _hhmmss(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%H:%M:%S UTC") if moment else "unknown"


async def show_status(settings: Settings, echo: Echo, *, as_json: bool = False) -> None:
    """Print one line per region snapshot (or, with `as_json`, one JSON list of them)."""
    from evetrader.bootstrap.operator import snapshot_store

    async with App(settings) as ctx:
        await ctx.prepare_schema()
        store = snapshot_store(ctx)
        metas = {region_id: await store.snapshot_meta(region_id) for region_id in sorted(KNOWN_REGIONS)}
        if as_json:
            echo(_status_json(metas))
            return
        for region_id, meta in metas.items():
            name = KNOWN_REGIONS[region_id]
            if meta is None:
                echo(f"{region_id} {name}: never ingested")
                continue
            error = f" last error: {meta.last_error}" if meta.last_error else ""
            echo(
                f"{region_id} {name}: {meta.status.value}, {meta.orders:,} orders, as of "
                f"{_hhmmss(meta.last_modified)}, expires {_hhmmss(meta.expires)}{error}"
            )


@contextlib.asynccontextmanager
async def _demo_esi(settings: Settings, demo: bool) -> AsyncIterator[Settings]:
    """With --demo, serve the bundled ESI fake locally and point the settings at it."""
    if not demo:
        yield settings
        return
    try:
        from fakes.esi import EsiFake
    except ModuleNotFoundError as exc:
        if exc.name not in ("fakes", "fakes.esi"):
            raise
        raise SystemExit(f"error: demo data needs the ESI fake; {FAKES_MISSING}") from None

    async with EsiFake(auto_refresh=True) as fake:
        log.info("demo mode: ESI data is simulated", extra={"esi": fake.base_url})
        yield settings.model_copy(update={"esi_base_url": fake.base_url})


async def run_all(settings: Settings, *, demo: bool, stop: StopFactory) -> None:
    """Every service in one process until SIGINT/SIGTERM."""
    async with _demo_esi(settings, demo) as effective:
        services = ("scheduler", "web", "delivery") + (("bot",) if effective.enabled_platforms() else ())
        await _serve(effective, services, stop(), prepare=True, demo=demo, migrate=True)


async def serve_one(settings: Settings, service: str, *, stop: StopFactory) -> None:
    """One service in this process until SIGINT/SIGTERM."""
    if service == "bot" and not settings.enabled_platforms():
        from evetrader.bot_service import no_platform_message

        raise SystemExit(f"error: {no_platform_message()}")
    await _serve(settings, ROLES.get(service, (service,)), stop(), prepare=service in ("scheduler", "bot"))


async def _serve(
    settings: Settings,
    services: tuple[str, ...],
    stop: asyncio.Event,
    *,
    prepare: bool,
    demo: bool = False,
    migrate: bool = False,
) -> None:
    """Run `services` until `stop`; `migrate`: apply migrations (run), else refuse an outdated external schema.
    `delivery`: e-mail and web push alerts, when set up (chat platforms' alerts are the bot's)."""
    from evetrader import probes
    from evetrader.alert_delivery import AlertDelivery
    from evetrader.bootstrap.alerts import mail_and_push_workers, mail_sender
    from evetrader.bootstrap.market import mark_esi_source
    from evetrader.bootstrap.scheduler import scheduler_deps
    from evetrader.bootstrap.web import web_deps
    from evetrader.supervise import supervise
    from scheduler.service import SchedulerService, WorkerService
    from web.app import create_app, serve
    from web.config import WebConfigError, web_config_from_settings
    from web.ops import Ops

    async with App(settings) as ctx:
        ctx.cut_queries_on(stop)
        ops = Ops()  # /healthz, /readyz and /metrics of this process on OPS_HOST:OPS_PORT, from here on
        await ops.listen(settings.ops_host, settings.ops_port)
        ops.track("operations", ops.serve(stop))
        probes.watch_dependencies(ops, ctx)
        await (ctx.migrate() if migrate else ctx.prepare_schema())
        if prepare:
            await ensure_static_data(ctx)
        elif not await wait_for_static_data(ctx, stop):
            return  # stopped while waiting
        if "scheduler" in services:
            await mark_esi_source(ctx, demo)
        tasks: list[tuple[str, Coroutine[Any, Any, object]]] = []  # (name, work): each is a critical task
        if "scheduler" in services:
            mode = settings.ingest_mode if services == ("scheduler",) else "inline"
            scheduler = SchedulerService(scheduler_deps(ctx), settings.ingest_regions, mode=mode)
            ops.role("scheduler", probes.scheduler_role(scheduler))
            tasks.append(("scheduler", scheduler.run(stop)))
        if "worker" in services:
            worker = WorkerService(scheduler_deps(ctx))
            ops.role("worker", probes.worker_role(worker))
            tasks.append(("worker", worker.run(stop)))
        if "delivery" in services and (delivery_workers := await mail_and_push_workers(ctx)):
            delivery = AlertDelivery(delivery_workers)
            probes.delivery_roles(ops, delivery)
            tasks.append(("alert-delivery", delivery.run(stop)))
        webhooks: list[tuple[str, Any]] = []
        if "bot" in services or "web" in services:  # one command context per process: they share its caches
            from evetrader.bootstrap.chat import chat_deps

            chat = await chat_deps(ctx)
        if "bot" in services:
            from evetrader.bootstrap.chat import bot_deps
            from evetrader.bot_service import BotService

            bot = BotService(bot_deps(ctx, chat))
            probes.bot_roles(ops, bot)
            await bot.start()
            webhooks = bot.webhook_routes()
            tasks.append(("bot", bot.supervise(stop)))
        if "web" in services:
            from evetrader.bot_service import mount_webhooks

            try:
                config = web_config_from_settings(settings)
            except WebConfigError as exc:
                raise SystemExit(f"error: {exc}") from None
            sso, mailer = ctx.accounts.web_services(config.signing_key), mail_sender(settings)
            web_app = create_app(web_deps(ctx.pool, ctx.redis, ctx.keys, config, sso=sso, mailer=mailer))
            from web.public import use_market

            use_market(web_app, chat.context)  # item pages, appraisals and the market API
            if webhooks:
                from web.app import exempt_from_csrf

                for path, _ in webhooks:
                    exempt_from_csrf(web_app, path)  # a platform's webhook proves itself with its own secret
                mount_webhooks(web_app, webhooks)
            tls = {"tls_cert": settings.tls_cert_file, "tls_key": settings.tls_key_file}
            tasks.append(("web", serve(web_app, settings.web_host, settings.web_port, stop, **tls)))
        elif webhooks:  # `serve bot` in webhook mode: the platform (Telegram) reaches this process on WEB_PORT
            from aiohttp import web

            from evetrader.bot_service import mount_webhooks

            hook_app = web.Application()
            mount_webhooks(hook_app, webhooks)
            tasks.append(("webhook", serve(hook_app, settings.web_host, settings.web_port, stop)))
            log.info("web listening", extra={"url": f"http://{settings.web_host}:{settings.web_port}/healthz"})
        gc.collect()  # start-up's garbage goes; what it loaded (static data, catalog, templates, modules) stays, and
        gc.freeze()  # is left out of the collector's full passes (80-90 ms pauses each, the panel's p99 under load)
        ops.started = True
        await supervise([ops.track(name, work) for name, work in tasks], stop)  # a failed task ends the process


async def seed_demo(settings: Settings, echo: Echo) -> None:
    """Fill the database with demo data: every configured region and its history, from the bundled ESI fake."""
    from evetrader.bootstrap.market import (
        history_refresher,
        mark_esi_source,
        packaging_refresher,
        prices_refresher,
        region_refresher,
    )
    from evetrader.bootstrap.operator import history_store
    from evetrader.progress import CountingSource, progress

    async with _demo_esi(settings, True) as effective, App(effective) as ctx:
        await ctx.prepare_schema()
        with progress("seeding: static data") as report:
            await ensure_static_data(ctx, report)
            await packaging_refresher(ctx, CountingSource(ctx.esi, report, "packaged volumes")).refresh()
        await mark_esi_source(ctx, demo=True)
        for region_id in effective.ingest_regions:
            with progress(f"seeding region {region_id}") as report:
                refresher = region_refresher(ctx, CountingSource(ctx.esi, report, "order pages"))
                outcome = await refresher.refresh(region_id)
                types = await history_store(ctx).watched_types(region_id, effective.history_watch_limit)
                source = CountingSource(ctx.esi, report, "history types", len(types))
                summary = await history_refresher(ctx, source).refresh(region_id, types)
                if region_id == effective.ingest_regions[0]:
                    await prices_refresher(ctx).refresh()
            orders = outcome.meta.orders if outcome.meta else 0
            echo(
                f"region {region_id}: {outcome.result.value}, {orders:,} orders; "
                f"history of {len(types)} types, {summary.rows:,} rows"
            )


@contextlib.asynccontextmanager
async def _console(settings: Settings) -> AsyncIterator[ChatDeps]:
    """The console's chat bundle over opened resources, with static data (its one user's rate limit is never met)."""
    from evetrader.bootstrap.chat import chat_deps
    from evetrader.console import CONSOLE_RATE

    async with App(settings) as ctx:
        await ctx.prepare_schema()
        await ensure_static_data(ctx)
        per_minute, burst = CONSOLE_RATE
        yield await chat_deps(ctx, per_minute=per_minute, burst=burst)


async def chat(settings: Settings, command: str | None, *, as_json: bool, caller: Caller) -> int:
    """`evetrader chat`: one command (-c) or an interactive session, through the command gateway as `caller`."""
    from evetrader import console

    async with _console(settings) as deps:
        return await console.chat(deps, command, as_json=as_json, caller=caller, data_dir=settings.data_dir)


async def appraise_stdin(settings: Settings, paste: str, hub: str | None, *, as_json: bool, caller: Caller) -> int:
    """`evetrader appraise`: value a paste from standard input; JSON has items, totals and unparsed lines."""
    from evetrader import console

    async with _console(settings) as deps:
        reply = await console.appraise(deps, paste, hub, caller=caller)
    return console.print_appraisal(reply, as_json=as_json)


async def rotate_token_keys(settings: Settings) -> tuple[str, int]:
    """Re-encrypt the stored refresh tokens under the newest key; a summary (a line per skipped row) and skips."""
    from evetrader.bootstrap.operator import character_store, rotation_cipher

    cipher = rotation_cipher(settings)  # before connecting: a missing or malformed key fails first
    async with App(settings) as ctx:
        await ctx.prepare_schema()
        result = await character_store(ctx, cipher).rotate_keys()
    lines = [f"re-encrypted {result.rotated} token(s) under key {cipher.key_ids[0]}"]
    if result.skipped:
        lines.append(f"skipped {len(result.skipped)} token(s) that cannot be decrypted (they stay as they are):")
        lines += [f"  character {character_id}: {reason}" for character_id, reason in result.skipped]
    return "\n".join(lines), len(result.skipped)
