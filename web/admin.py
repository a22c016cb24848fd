"""The admin's view of the AI analyst: usage and provider health, as a page section and as JSON under /api/v1/admin."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web

from core.accounts.sessions import ROLES
from web.auth import require_admin
from web.errors import PanelError
from web.keys import ACCOUNTS
from web.render import render
from web.session_model import Session
from web.stores import stores

if TYPE_CHECKING:
    from adapters.postgres.admin_reports import PgAdminReports, ProviderHealth, UsageReport, WindowHealth


DEFAULT_DAYS = 7
MAX_DAYS = 90
_DAYS = re.compile(r"[0-9]{1,3}")


def parse_days(raw: str | None) -> int:
    """The `days` query value: 1..90, 7 when absent; anything else is a 400."""
    if raw is None:
        return DEFAULT_DAYS
    days = int(raw) if _DAYS.fullmatch(raw) else 0
    if not 1 <= days <= MAX_DAYS:
        raise PanelError(400, f"days must be a whole number from 1 to {MAX_DAYS}.", code="bad_request")
    return days


def _reports(request: web.Request) -> PgAdminReports:
    return stores(request).reports


def _cost(value: Decimal | None) -> float | None:
    return round(float(value), 6) if value is not None else None


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def usage_json(report: UsageReport) -> dict[str, Any]:
    """The UsageReport schema of a report."""
    return {
        "days": report.days,
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "lines": [
            {
                "day": line.day.isoformat(),
                "provider": line.provider,
                "model": line.model,
                "requests": line.requests,
                "answers": line.answers,
                "cached": line.cached,
                "cached_share": line.cached_share,
                "input_tokens": line.input_tokens,
                "output_tokens": line.output_tokens,
                "cost_usd": _cost(line.cost_usd),
                "unknown_cost": line.unknown_cost,
                "p50_ms": line.p50_ms,
                "p95_ms": line.p95_ms,
                "failures": line.failures,
            }
            for line in report.lines
        ],
        "top_accounts": [
            {
                "account_id": top.account_id,
                "display_name": top.display_name,
                "answers": top.answers,
                "cost_usd": _cost(top.cost_usd),
                "unknown_cost": top.unknown_cost,
                "last_at": top.last_at.isoformat(),
            }
            for top in report.top_accounts
        ],
    }


def _window_json(window: WindowHealth) -> dict[str, Any]:
    return {
        "calls": window.calls,
        "successes": window.successes,
        "success_rate": window.success_rate,
        "failures": dict(window.failures),
        "p50_ms": window.p50_ms,
        "p95_ms": window.p95_ms,
    }


def providers_json(providers: list[ProviderHealth], now: datetime) -> dict[str, Any]:
    """The ProviderHealthList schema of a health report."""
    return {
        "checked_at": now.isoformat(),
        "providers": [
            {
                "provider": p.provider,
                "status": p.status,
                "last_hour": _window_json(p.hour),
                "last_day": _window_json(p.day),
                "last_success_at": _time(p.last_success_at),
                "last_failure_at": _time(p.last_failure_at),
            }
            for p in providers
        ],
    }


def _json(payload: object) -> web.Response:
    return web.Response(body=orjson.dumps(payload), content_type="application/json")


async def admin_usage(request: web.Request, session: Session) -> web.Response:
    """GET /api/v1/admin/usage?days=N: AI usage per day and provider/model, and the top accounts."""
    days = parse_days(request.query.get("days"))
    return _json(usage_json(await _reports(request).usage(days, datetime.now(UTC))))


async def admin_providers(request: web.Request, session: Session) -> web.Response:
    """GET /api/v1/admin/providers: each AI provider's health over the last hour and day."""
    now = datetime.now(UTC)
    return _json(providers_json(await _reports(request).providers(now), now))


async def admin_page(request: web.Request) -> web.Response:
    """The admin page: accounts with a role form, AI usage over ?days=N (default 7) and provider health."""
    session = await require_admin(request)
    days = parse_days(request.query.get("days"))
    now = datetime.now(UTC)
    reports = _reports(request)
    return render(
        request,
        "admin.html",
        accounts=await request.app[ACCOUNTS].accounts(),
        roles=ROLES,
        me=session.account_id,
        notice="Role changed." if request.query.get("changed") == "1" else "",
        usage=await reports.usage(days, now),
        providers=await reports.providers(now),
        max_days=MAX_DAYS,
    )
