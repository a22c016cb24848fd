"""Security headers on every response, the client's address (trusted proxies only), and the CSRF check."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from aiohttp import web

from core.accounts.sessions import csrf_valid, derive_key
from web.config import IPNetwork, WebConfig
from web.errors import PanelError
from web.keys import AUTH, CONFIG, CSRF_EXEMPT

CSP = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; "
    "img-src 'self' data:; style-src 'self'; script-src 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_FIXED_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: CSP, nosniff, frame and referrer policies; HSTS over TLS; no-store unless set."""
    response.headers.update(_FIXED_HEADERS)
    if request.secure or request.app[CONFIG].public_https:
        response.headers["Strict-Transport-Security"] = HSTS
    if "Cache-Control" not in response.headers:  # pages and static files set their own
        response.headers["Cache-Control"] = "no-store"


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, trusted: tuple[IPNetwork, ...]) -> bool:
    return address is not None and any(address in network for network in trusted)


def client_ip(request: web.Request, trusted: tuple[IPNetwork, ...]) -> str:
    """The caller's address: the peer, or the nearest untrusted X-Forwarded-For hop when the peer is a trusted proxy."""
    peer = request.remote or "unknown"
    if not _trusted(_address(peer), trusted):
        return peer
    hops = [hop for line in request.headers.getall("X-Forwarded-For", []) for hop in line.split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        if not _trusted(address, trusted):
            return str(address)
    return peer


def rate_limit_key(ip: str) -> str:
    """The rate-limit bucket of an address: IPv6 clients share their /64 (one subscriber)."""
    address = _address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else address or ip)


def _origin_allowed(request: web.Request, config: WebConfig) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    netloc = urlsplit(origin).netloc.lower()
    allowed = {urlsplit(config.public_url).netloc.lower(), request.host.lower()}
    return bool(netloc) and netloc in allowed


async def check_csrf(request: web.Request) -> None:
    """Refuse (403) a state-changing request without this session's CSRF token (header or form field)."""
    if request.method not in STATE_CHANGING:
        return
    if any(request.path.startswith(prefix) for prefix in request.app[CSRF_EXEMPT]):
        return
    config = request.app[CONFIG]
    if not _origin_allowed(request, config):
        raise PanelError(403, "Cross-site request refused.", code="csrf")
    presented = request.headers.get(CSRF_HEADER)
    if presented is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        field = (await request.post()).get(CSRF_FIELD)
        presented = field if isinstance(field, str) else None
    if not csrf_valid(derive_key(config.signing_key, "csrf"), request[AUTH].csrf_binding, presented):
        raise PanelError(
            403, "The form expired or did not come from this site; reload the page and try again.", code="csrf"
        )
