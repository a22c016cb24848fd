"""Prometheus metrics of the panel's HTTP requests, labelled by route template (never the raw path) and status."""

from __future__ import annotations

import time

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "evetrader_http_requests_total",
    "Panel HTTP requests by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "evetrader_http_request_seconds",
    "Panel HTTP request latency by route template",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_template(request: web.Request) -> str:
    """The matched route's template (/link/{code}); "unmatched" for no route: a path may hold a secret."""
    info = request.match_info
    resource = info.route.resource if info.http_exception is None else None
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def http_metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count each request by method, route template and final status, and time it (outermost middleware)."""
    started, status = time.perf_counter(), 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:  # redirects raised past the error middleware
        status = exc.status
        raise
    finally:
        route = route_template(request)
        method = request.method if request.method in METHODS else "other"  # no label per invented method
        REQUESTS.labels(method, route, str(status)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
