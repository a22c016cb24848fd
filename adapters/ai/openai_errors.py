"""The one place that maps every openai SDK exception to a ProviderError kind (by body code/type, then status)."""

from __future__ import annotations

import openai

from adapters.ai.openai_wire import MalformedAnswer
from adapters.ai.sdk_errors import HttpError, SdkErrorMap
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


def _read_http_error(exc: BaseException) -> HttpError | None:
    """Status, error.type and error.code of an HTTP error answer; None for any other exception."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code, exc.type, exc.code
    return None


OPENAI_ERRORS = SdkErrorMap(
    timeout=openai.APITimeoutError,
    connection=openai.APIConnectionError,
    read_http_error=_read_http_error,
    status_kind=_status_kind,
    malformed=(openai.APIResponseValidationError, MalformedAnswer),  # before ValueError: MalformedAnswer is one
)


def map_openai_error(exc: BaseException, provider: str = NAME) -> ProviderError:
    """Translate an exception raised around an AsyncOpenAI call; the key and the body never reach the message."""
    return OPENAI_ERRORS.to_provider_error(exc, provider)
