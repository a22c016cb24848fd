"""The operations listener of every long-running process: /healthz, /readyz and /metrics on OPS_HOST:OPS_PORT.

Each service registers what its process depends on: critical tasks (liveness: a task that ended fails /healthz),
dependency probes (async, each bounded by a timeout, run together so /readyz answers within about a second) and
role checks (sync: scheduler leader or standby, worker group joined, bot connected per platform).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)
PROBE_TIMEOUT_S = 1.0  # every dependency probe together: /readyz answers well inside 2 s


@dataclass(frozen=True)
class Status:
    """One readiness check's answer: whether it passes, a short detail, and extra fields for the /readyz body."""

    ok: bool
    detail: str = "ok"
    extra: Mapping[str, object] = field(default_factory=dict)


Probe = Callable[[], Awaitable[Status]]
Role = Callable[[], Status]


class Ops:
    """The named checks of one process, and the listener that reports them."""

    def __init__(self, probe_timeout_s: float = PROBE_TIMEOUT_S) -> None:
        self.probe_timeout_s = probe_timeout_s
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._probes: dict[str, Probe] = {}
        self._roles: dict[str, Role] = {}
        self._registry = CollectorRegistry(auto_describe=False)
        self._registry.register(_OpsCollector(self))
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.started = False  # set once every service of the process has started: not ready before

    def track(self, name: str, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run `work` as this process's critical task `name`: /healthz fails once it has ended."""
        task = asyncio.create_task(work, name=name)
        self._tasks[name] = task
        return task

    def probe(self, name: str, check: Probe) -> None:
        """Add a dependency probe (raising, or not answering in time, counts as failing)."""
        self._probes[name] = check

    def role(self, name: str, check: Role) -> None:
        """Add a role check (cheap and synchronous; also exported as a metric)."""
        self._roles[name] = check

    def liveness(self) -> dict[str, str]:
        """Each critical task's state: running, stopped or failed."""
        return {name: _task_state(task) for name, task in self._tasks.items()}

    def roles(self) -> dict[str, Status]:
        """Each role check's current status."""
        statuses = {}
        for name, check in self._roles.items():
            try:
                statuses[name] = check()
            except Exception as exc:
                statuses[name] = Status(False, f"error: {type(exc).__name__}")
        return statuses

    async def readiness(self) -> dict[str, Status]:
        """Every probe (concurrently, abandoned after the timeout) and every role check."""
        running = {name: asyncio.ensure_future(check()) for name, check in self._probes.items()}
        if running:
            await asyncio.wait(running.values(), timeout=self.probe_timeout_s)
        statuses: dict[str, Status] = {}
        for name, future in running.items():
            if not future.done():
                future.cancel()  # not awaited: a hung connection must not hold the answer
                future.add_done_callback(_quiet)
                statuses[name] = Status(False, f"no answer within {self.probe_timeout_s:g} s")
            elif future.exception() is not None:
                statuses[name] = Status(False, f"error: {type(future.exception()).__name__}")
            else:
                statuses[name] = future.result()
        startup = {"startup": Status(self.started, "started" if self.started else "starting")}
        return startup | statuses | self.roles()

    def application(self) -> web.Application:
        """The aiohttp app of the listener."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics)
        return app

    async def listen(self, host: str, port: int) -> int:
        """Bind the listener (port 0: any free port); the bound port. A port in use stops the process clearly."""
        runner = web.AppRunner(self.application(), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            await runner.cleanup()
            raise SystemExit(
                f"error: cannot listen for operations on {host}:{port} ({exc.strerror}): set OPS_PORT"
            ) from None
        self._runner = runner
        self.port = next((int(a[1]) for a in runner.addresses if isinstance(a, tuple) and len(a) >= 2), port)
        log.info("operations listening", extra={"url": f"http://{host}:{self.port}/healthz"})
        return self.port

    async def serve(self, stop: asyncio.Event) -> None:
        """Keep the listener open until `stop` is set, then close it."""
        try:
            await stop.wait()
        finally:
            if self._runner is not None:
                await self._runner.cleanup()
                self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        tasks = self.liveness()
        failing = [name for name, state in tasks.items() if state != "running"]
        return _json({"status": "failing" if failing else "ok", "tasks": tasks, "failing": failing}, failing)

    async def _readyz(self, request: web.Request) -> web.Response:
        statuses = await self.readiness()
        failing = [name for name, status in statuses.items() if not status.ok]
        body: dict[str, object] = {
            "status": "unavailable" if failing else "ok",
            "failing": failing,
            "checks": {name: status.detail for name, status in statuses.items()},
        }
        for status in statuses.values():
            body.update(status.extra)
        return _json(body, failing)

    async def _metrics(self, request: web.Request) -> web.Response:
        await self.readiness()  # the probes refresh the gauges they feed (e.g. each region's data age): bounded
        body = generate_latest(REGISTRY) + generate_latest(self._registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


class _OpsCollector(Collector):
    """Exports the process's critical tasks and roles, evaluated at scrape time."""

    def __init__(self, ops: Ops) -> None:
        self._ops = ops

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """evetrader_task_up{task} and evetrader_role_ready{role,state}."""
        tasks = GaugeMetricFamily("evetrader_task_up", "1 while a critical task of this process runs", labels=["task"])
        for name, state in self._ops.liveness().items():
            tasks.add_metric([name], 1.0 if state == "running" else 0.0)
        yield tasks
        roles = GaugeMetricFamily(
            "evetrader_role_ready",
            "1 while a role of this process is ready (state: its detail)",
            labels=["role", "state"],
        )
        for name, status in self._ops.roles().items():
            roles.add_metric([name, status.detail], 1.0 if status.ok else 0.0)
        yield roles


def _task_state(task: asyncio.Task[Any]) -> str:
    if not task.done():
        return "running"
    if task.cancelled() or task.exception() is None:
        return "stopped"
    return f"failed: {type(task.exception()).__name__}"


def _quiet(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # retrieved: no "exception was never retrieved" noise


def _json(payload: object, failing: list[str]) -> web.Response:
    status = 503 if failing else 200
    return web.Response(body=orjson.dumps(payload), status=status, content_type="application/json")
