"""The one ESI request path: pooled session, limit gates, retries, error mapping and the expiry guard."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from yarl import URL

from adapters.esi import metrics
from adapters.esi.errors import EsiUnavailable, MalformedResponse, client_error_for
from adapters.esi.expiry import ExpiryGuard, Params, canonical_query, url_key, utc_now
from adapters.esi.headers import ResponseHeaders, parse_response_headers
from adapters.esi.limits import BucketLimits, ErrorLimitGate, route_key
from adapters.esi.response import EsiResponse
from adapters.esi.settings import EsiSettings, open_session

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Call:
    """One logical request, as retried."""

    method: str
    url: URL
    headers: dict[str, str]
    body: bytes | None
    key: str
    guarded: bool
    expect_json_array: bool

    @property
    def label(self) -> str:
        return f"{self.method} {self.key}"


class EsiTransport:
    """Sends requests politely and turns answers into EsiResponse or typed exceptions."""

    def __init__(self, settings: EsiSettings) -> None:
        self.settings = settings
        self.expiry = ExpiryGuard()
        self._base_url = settings.base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None
        self._semaphore = asyncio.Semaphore(settings.max_concurrency)
        self._error_gate = ErrorLimitGate(settings.error_limit_floor)
        self._buckets = BucketLimits()
        self._failures = metrics.FailureStreakLog(logger)

    def open(self) -> None:
        """Open the pooled HTTP session (idempotent; inside a running event loop)."""
        if self._session is None:
            self._session = open_session(self.settings)

    async def start(self) -> None:
        """Open the pooled HTTP session (idempotent)."""
        self.open()

    async def close(self) -> None:
        """Close the HTTP session (idempotent)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def request(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        *,
        etag: str | None = None,
        body: bytes | None = None,
        guarded: bool = True,
        expect_json_array: bool = False,
        access_token: str | None = None,
    ) -> EsiResponse:
        """Send one request with limits and retries; `guarded` applies and records the Expires guard.

        `access_token` (a character's SSO token) is sent as a Bearer Authorization header.

        `expect_json_array` treats a 200 whose body is not a complete JSON array as a (retried)
        truncated answer, and raises MalformedResponse once the attempts are used up.
        """
        if not path.startswith("/"):
            raise ValueError(f"ESI paths start with '/': {path!r}")
        key = url_key(path, params)
        if guarded:
            self.expiry.check(key)
        headers = {"If-None-Match": etag} if etag else {}
        if access_token:
            headers["Authorization"] = f"Bearer {access_token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        url = URL(self._base_url + path).with_query(canonical_query(params))
        call = _Call(method, url, headers, body, key, guarded, expect_json_array)
        async with self._semaphore:
            return await self._attempts(call)

    async def pause(self, seconds: float, reason: str, label: str, attempts: int) -> None:
        """Sleep `seconds` (counted per reason); EsiUnavailable instead when it exceeds max_wait_s."""
        if seconds <= 0:
            return
        if seconds > self.settings.max_wait_s:
            raise EsiUnavailable(label, attempts, f"would have to wait {seconds:.1f}s ({reason}), over max_wait_s")
        metrics.WAIT_SECONDS.labels(reason).inc(seconds)
        await asyncio.sleep(seconds)

    async def _attempts(self, call: _Call) -> EsiResponse:
        if self._session is None:
            raise RuntimeError("EsiClient.start() must be called (or use `async with`) before requests")
        s = self.settings
        route = route_key(call.url.path)
        failure, reason = "", ""
        for attempt in range(1, s.max_attempts + 1):
            await self._wait_for_limits(route, call.label, attempt - 1)
            backoff = self._backoff(attempt)
            try:
                async with self._session.request(call.method, call.url, headers=call.headers, data=call.body) as raw:
                    status, payload = raw.status, await raw.read()
                    meta = parse_response_headers(raw.headers, utc_now())
            except TimeoutError:
                failure, reason = f"timed out after {s.timeout_s:g}s", "timeout"
                metrics.REQUESTS.labels("timeout").inc()
            except aiohttp.ClientError as exc:
                failure, reason = f"connection failed ({type(exc).__name__})", "connection"
                metrics.REQUESTS.labels("connection_error").inc()
            else:
                metrics.REQUESTS.labels(str(status)).inc()
                self._observe_limits(route, meta)
                if status == 304 or (200 <= status < 300 and not _truncated(call, status, payload)):
                    self._failures.succeeded()
                    return self._answer(call, status, payload, meta)
                if status < 300:
                    failure, reason = "body is not a complete JSON array (truncated?)", "malformed_body"
                elif status == 420:
                    failure, reason, backoff = "error limited (HTTP 420)", "error_limited", 0.0
                    if self._error_gate.close_after_420(meta.error_limit_reset_s):
                        logger.warning("ESI error limit hit (420): all requests paused until the reset")
                elif status == 429:
                    failure, reason, backoff = "rate limited (HTTP 429)", "rate_limited", 0.0
                    self._buckets.block(route, meta.retry_after_s or s.default_retry_after_s)
                elif status >= 500:
                    failure, reason = f"HTTP {status}", "server_error"
                else:
                    raise client_error_for(status, payload, call.label)
            self._failures.failed(call.label, failure)
            if attempt < s.max_attempts:
                metrics.RETRIES.labels(reason).inc()
                await self.pause(backoff, "backoff", call.label, attempt)
        if reason == "malformed_body":
            raise MalformedResponse(call.label, f"{failure}, {s.max_attempts} attempt(s)")
        raise EsiUnavailable(call.label, s.max_attempts, failure)

    async def _wait_for_limits(self, route: str, label: str, attempts: int) -> None:
        while (gate_delay := self._error_gate.delay()) > 0:
            await self.pause(gate_delay, "error_limit", label, attempts)
        bucket_delay, reason = self._buckets.delay(route)
        await self.pause(bucket_delay, reason, label, attempts)

    def _observe_limits(self, route: str, meta: ResponseHeaders) -> None:
        if self._error_gate.observe(meta.error_limit_remain, meta.error_limit_reset_s):
            logger.warning(
                "ESI error budget down to %s (floor %d): pausing new requests for %.0fs",
                meta.error_limit_remain,
                self.settings.error_limit_floor,
                self._error_gate.delay(),
            )
        self._buckets.observe(route, meta.rate_limit)

    def _backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**(attempt - 1))]."""
        s = self.settings
        return random.uniform(0.0, min(s.backoff_cap_s, s.backoff_base_s * 2 ** (attempt - 1)))

    def _answer(self, call: _Call, status: int, payload: bytes, meta: ResponseHeaders) -> EsiResponse:
        if status == 304:
            payload = b""
            metrics.NOT_MODIFIED.inc()
        metrics.RESPONSE_BYTES.inc(len(payload))
        now = utc_now()
        seconds_to_live = meta.seconds_to_live(now)
        if call.guarded and seconds_to_live is not None:
            self.expiry.record(call.key, now + timedelta(seconds=seconds_to_live))
        return EsiResponse(status, payload, meta.etag, meta.expires, meta.last_modified, meta.pages, call.key)


def _truncated(call: _Call, status: int, payload: bytes) -> bool:
    """A cheap completeness check for paged bodies (ESI pages are JSON arrays)."""
    if not call.expect_json_array or status != 200:
        return False
    stripped = payload.strip()
    return not (stripped.startswith(b"[") and stripped.endswith(b"]"))
