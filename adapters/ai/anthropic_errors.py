"""The one place that maps every anthropic SDK exception to a ProviderError kind (by body type/code, then status)."""

from __future__ import annotations

import anthropic

from adapters.ai.sdk_errors import HttpError, SdkErrorMap
from core.analysis.provider import ProviderError, ProviderErrorKind

NAME = "anthropic"

# error.details.error_code values that mean money, not load: retrying will not help until someone pays.
SPEND_LIMIT_CODES = frozenset(
    {
        "enforced_spend_limit_reached",
        "contract_spend_limit_reached",
        "linked_organization_spend_limit_reached",
        "linked_organization_billing_unavailable",
    }
)


def _status_kind(status: int, error_type: str | None, code: str | None) -> ProviderErrorKind:
    """The kind of an HTTP error answer, from the body's code and type first, the status last."""
    if code in SPEND_LIMIT_CODES or error_type == "billing_error" or status == 402:
        return ProviderErrorKind.QUOTA
    if error_type == "overloaded_error" or status == 529:
        return ProviderErrorKind.OVERLOADED
    if error_type == "rate_limit_error" or status == 429:
        return ProviderErrorKind.RATE_LIMITED
    if error_type in ("authentication_error", "permission_error") or status in (401, 403):
        return ProviderErrorKind.AUTH
    if error_type == "timeout_error" or status in (408, 504):
        return ProviderErrorKind.TIMEOUT
    if status >= 500 or error_type == "api_error":
        return ProviderErrorKind.SERVER
    return ProviderErrorKind.BAD_REQUEST


def _read_http_error(exc: BaseException) -> HttpError | None:
    """Status, error.type and error.details.error_code of an HTTP error answer; None for any other exception."""
    if isinstance(exc, anthropic.APIStatusError):
        return exc.status_code, exc.type, exc.error_code
    return None


ANTHROPIC_ERRORS = SdkErrorMap(
    timeout=anthropic.APITimeoutError,
    connection=anthropic.APIConnectionError,
    read_http_error=_read_http_error,
    status_kind=_status_kind,
    malformed=(anthropic.APIResponseValidationError,),
    no_credentials=(anthropic.CredentialsError,),
)


def map_anthropic_error(exc: BaseException, provider: str = NAME) -> ProviderError:
    """Translate an exception raised around an AsyncAnthropic call; the key and the body never reach the message."""
    return ANTHROPIC_ERRORS.to_provider_error(exc, provider)
