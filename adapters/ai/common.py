"""What both AI adapters share: safe error messages (no key, no body) and failure logging."""

from __future__ import annotations

import logging
import re

from core.analysis.provider import ProviderError, ProviderErrorKind

logger = logging.getLogger("adapters.ai")

_TOKEN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


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
