"""The one place that maps every openai SDK exception to a ProviderError kind (by body code/type, then status)."""

from __future__ import annotations

import openai

from adapters.ai.common import provider_error
from adapters.ai.openai_wire import MalformedAnswer
from core.analysis.provider import ProviderError, ProviderErrorKind

NAME = "openai"

# error.code / error.type values that mean money, not load (all arrive as 429 or 4xx): never retry them.
QUOTA_CODES = frozenset({"insufficient_quota", "billing_hard_limit_reached", "billing_not_active"})
AUTH_CODES = frozenset({"invalid_api_key", "invalid_organization", "unsupported_country_region_territory"})


def _status_kind(status: int, error_type: str | None, code: str | None) -> ProviderErrorKind:
    """The kind of an HTTP error answer, from the body's code and type first, the status last."""
    if code in QUOTA_CODES or error_type in QUOTA_CODES:
        return ProviderErrorKind.QUOTA
    if code in AUTH_CODES or status in (401, 403):
        return ProviderErrorKind.AUTH
    if code == "rate_limit_exceeded" or status == 429:
        return ProviderErrorKind.RATE_LIMITED
    if status in (408, 504):
        return ProviderErrorKind.TIMEOUT
    if status >= 500:
        return ProviderErrorKind.SERVER
    return ProviderErrorKind.BAD_REQUEST


def map_openai_error(exc: BaseException, provider: str = NAME) -> ProviderError:
    """Translate an exception raised around an AsyncOpenAI call; the key and the body never reach the message."""
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return provider_error(ProviderErrorKind.TIMEOUT, provider, detail="request timed out")
    if isinstance(exc, openai.APIConnectionError):
        return provider_error(ProviderErrorKind.CONNECTION, provider, detail="could not connect")
    if isinstance(exc, openai.APIStatusError):
        error_type, code = exc.type, exc.code
        kind = _status_kind(exc.status_code, error_type, code)
        return provider_error(kind, provider, status=exc.status_code, error_type=error_type, code=code)
    if isinstance(exc, openai.APIResponseValidationError | MalformedAnswer):
        return provider_error(ProviderErrorKind.SERVER, provider, detail="malformed answer")
    if isinstance(exc, ValueError | TypeError):  # the SDK refused our arguments before sending anything
        return provider_error(
            ProviderErrorKind.BAD_REQUEST, provider, detail=f"rejected by the SDK ({type(exc).__name__})"
        )
    return provider_error(ProviderErrorKind.SERVER, provider, detail=f"unexpected {type(exc).__name__}")
