"""Logging set-up: JSON lines in production, readable colour in a terminal, one pipeline for every logger."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping, Sequence
from typing import Any

import structlog

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def _extras(logger: Any, name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Lift `extra={...}` fields of stdlib records into the structured event."""
    record = event.get("_record")
    if record is not None:
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_") and key not in event:
                event[key] = value
    return event


def _redactor(secrets: Sequence[str]) -> Any:
    """A processor replacing every secret in every string of the event (messages, URLs, tracebacks) with ***."""
    known = [secret for secret in secrets if secret and len(secret) >= 6]

    def redact(logger: Any, name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        for key, value in event.items():
            if isinstance(value, str) and any(secret in value for secret in known):
                for secret in known:
                    value = value.replace(secret, "***")
                event[key] = value
        return event

    return redact


def configure_logging(
    level: str = "INFO", fmt: str = "auto", production: bool = False, secrets: Sequence[str] = ()
) -> None:
    """Route structlog and stdlib logging through one renderer chosen by `fmt` (auto: JSON unless a TTY).

    `secrets` (tokens, keys) are replaced by *** wherever they appear, whichever library logs them.
    """
    as_json = fmt == "json" or (fmt == "auto" and (production or not sys.stderr.isatty()))
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, _extras],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info if as_json else structlog.processors.StackInfoRenderer(),
            _redactor(secrets),
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and Telegram's URLs carry the bot token: never below WARNING
    for noisy in ("aiohttp.access", "apscheduler.executors.default", "apscheduler.scheduler", "pgserver", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
