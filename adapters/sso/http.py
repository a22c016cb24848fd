"""The one SSO request path: form POSTs and JSON GETs, with HTTP outcomes mapped to typed SsoErrors."""

from __future__ import annotations

import base64
import logging
from typing import Any

import aiohttp
import orjson

from core.accounts.sso import InvalidGrant, SsoError, SsoUnavailable

logger = logging.getLogger(__name__)

_GRANT_ERRORS = {"invalid_grant", "invalid_token"}
_MAX_ERROR_CODE = 60


class SsoRequestError(SsoError):
    """SSO refused a request for a reason retrying will not fix (bad client credentials, bad request)."""

    def __init__(self, what: str, status: int, error: str) -> None:
        self.status = status
        self.error = error
        super().__init__(f"EVE SSO {what} answered HTTP {status}: {error}")


def basic_authorization(client_id: str, client_secret: str) -> str:
    """The HTTP Basic header value for the token and revoke endpoints."""
    return "Basic " + base64.b64encode(f"{client_id}:{client_secret}".encode()).decode("ascii")


def _error_code(body: bytes) -> str:
    """The OAuth `error` code of an error body (never its description, which may quote what we sent)."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "(no OAuth error code)"
    code = decoded.get("error") if isinstance(decoded, dict) else None
    if not isinstance(code, str) or not code.isascii():
        return "(no OAuth error code)"
    return code[:_MAX_ERROR_CODE]


async def send(
    session: aiohttp.ClientSession,
    what: str,
    method: str,
    url: str,
    *,
    form: dict[str, str] | None = None,
    authorization: str | None = None,
    expect_json: bool = True,
    client_timeout: aiohttp.ClientTimeout | None = None,
) -> Any:
    """Send one request; the decoded JSON body (or None), or SsoUnavailable / InvalidGrant / SsoRequestError."""
    try:
        headers = {"Accept": "application/json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        extra: dict[str, Any] = {"timeout": client_timeout} if client_timeout is not None else {}
        async with session.request(method, url, data=form, headers=headers, **extra) as raw:
            status, body = raw.status, await raw.read()
    except TimeoutError:
        raise SsoUnavailable(f"EVE SSO {what} timed out") from None
    except aiohttp.ClientError as exc:
        raise SsoUnavailable(f"EVE SSO {what} could not be reached ({type(exc).__name__})") from None
    if status >= 500 or status == 429:
        logger.warning("EVE SSO %s answered HTTP %d", what, status)
        raise SsoUnavailable(f"EVE SSO {what} answered HTTP {status}")
    if status >= 400:
        code = _error_code(body)
        if status in (400, 401) and code in _GRANT_ERRORS:
            raise InvalidGrant(f"EVE SSO {what} refused the grant ({code}): the character must log in again")
        raise SsoRequestError(what, status, code)
    if not expect_json:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise SsoUnavailable(f"EVE SSO {what} answered HTTP {status} with a body that is not JSON") from None
