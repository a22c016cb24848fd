"""The one place that maps every anthropic SDK exception to a ProviderError kind (by body type/code, then status)."""

from __future__ import annotations

import anthropic

from adapters.ai.common import provider_error
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


def map_anthropic_error(exc: BaseException, provider: str = NAME) -> ProviderError:
    """Translate an exception raised around an AsyncAnthropic call; the key and the body never reach the message."""
    if isinstance(exc, anthropic.APITimeoutError | TimeoutError):
        return provider_error(ProviderErrorKind.TIMEOUT, provider, detail="request timed out")
    if isinstance(exc, anthropic.APIConnectionError):
        return provider_error(ProviderErrorKind.CONNECTION, provider, detail="could not connect")
    if isinstance(exc, anthropic.APIStatusError):
        error_type, code = exc.type, exc.error_code
        kind = _status_kind(exc.status_code, error_type, code)
        return provider_error(kind, provider, status=exc.status_code, error_type=error_type, code=code)
    if isinstance(exc, anthropic.APIResponseValidationError):
        return provider_error(ProviderErrorKind.SERVER, provider, status=exc.status_code, detail="malformed answer")
    if isinstance(exc, anthropic.CredentialsError):
        return provider_error(ProviderErrorKind.AUTH, provider, detail="no usable credentials")
    if isinstance(exc, ValueError | TypeError):  # the SDK refused our arguments before sending anything
        return provider_error(
            ProviderErrorKind.BAD_REQUEST, provider, detail=f"rejected by the SDK ({type(exc).__name__})"
        )
    return provider_error(ProviderErrorKind.SERVER, provider, detail=f"unexpected {type(exc).__name__}")
