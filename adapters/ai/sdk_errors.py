"""What both AI adapters share: the SDK-error mapping skeleton, safe error messages (no key, no body), logging."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.analysis.provider import ProviderError, ProviderErrorKind

logger = logging.getLogger("adapters.ai")

_TOKEN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

HttpError = tuple[int, str | None, str | None]  # an error answer's HTTP status, body error type, body error code


def safe_token(value: object) -> str | None:
    """`value` if it looks like an error type or code (a short identifier), else None: free text never passes."""
    return value if isinstance(value, str) and _TOKEN.match(value) else None


def provider_error(
    kind: ProviderErrorKind,
    provider: str,
    *,
    status: int | None = None,
    error_type: object = None,
    code: object = None,
    detail: str = "",
) -> ProviderError:
    """Log a failure and build its ProviderError: only the status, type/code identifiers and a fixed detail."""
    parts = [f"HTTP {status}" if status is not None else "", safe_token(error_type), safe_token(code), detail]
    unique = dict.fromkeys(part for part in parts if part)  # OpenAI's quota error has type == code
    error = ProviderError(kind, provider, " ".join(unique))
    logger.info(
        "ai provider call failed",
        extra={"provider": provider, "kind": kind.value, "status": status, "error_code": safe_token(code)},
    )
    return error


@dataclass(frozen=True)
class SdkErrorMap:
    """One SDK's exceptions in the mapping both providers follow, checked in this order.

    A timeout, a connection failure, an HTTP error answer (`read_http_error` reads it, `status_kind` classifies it
    from the body's code and type first, the status last), an unreadable answer, missing credentials, arguments the
    SDK refused before sending; anything else is a SERVER fault.
    """

    timeout: type[BaseException]
    connection: type[BaseException]
    read_http_error: Callable[[BaseException], HttpError | None]
    status_kind: Callable[[int, str | None, str | None], ProviderErrorKind]
    malformed: tuple[type[BaseException], ...]
    no_credentials: tuple[type[BaseException], ...] = ()

    def to_provider_error(self, exc: BaseException, provider: str) -> ProviderError:
        """Translate an exception raised around an SDK call; the key and the body never reach the message."""
        if isinstance(exc, self.timeout | TimeoutError):
            return provider_error(ProviderErrorKind.TIMEOUT, provider, detail="request timed out")
        if isinstance(exc, self.connection):
            return provider_error(ProviderErrorKind.CONNECTION, provider, detail="could not connect")
        http_error = self.read_http_error(exc)
        if http_error is not None:
            status, error_type, code = http_error
            kind = self.status_kind(status, error_type, code)
            return provider_error(kind, provider, status=status, error_type=error_type, code=code)
        if isinstance(exc, self.malformed):
            answered = getattr(exc, "status_code", None)  # the SDK's validation error has one; ours has none
            answered = answered if isinstance(answered, int) else None
            return provider_error(ProviderErrorKind.SERVER, provider, status=answered, detail="malformed answer")
        if isinstance(exc, self.no_credentials):
            return provider_error(ProviderErrorKind.AUTH, provider, detail="no usable credentials")
        if isinstance(exc, ValueError | TypeError):  # the SDK refused our arguments before sending anything
            return provider_error(
                ProviderErrorKind.BAD_REQUEST, provider, detail=f"rejected by the SDK ({type(exc).__name__})"
            )
        return provider_error(ProviderErrorKind.SERVER, provider, detail=f"unexpected {type(exc).__name__}")
