"""Logging set-up: JSON lines in production, readable colour in a terminal, one pipeline for every logger."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, MutableMapping, Sequence
from datetime import UTC, datetime
from typing import Any

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
Event = MutableMapping[str, Any]
NOISY = ("aiohttp.access", "apscheduler.executors.default", "apscheduler.scheduler", "pgserver", "httpx")


def _lift_extras(record: logging.LogRecord, event: Event) -> Event:
    """Add the record's `extra={...}` fields to the event (never over a field it has)."""
    for key, value in record.__dict__.items():
        if key not in _RESERVED and not key.startswith("_") and key not in event:
            event[key] = value
    return event


def _extras(logger: Any, name: str, event: Event) -> Event:
    """Lift `extra={...}` fields of stdlib records into the structured event (a structlog processor)."""
    record = event.get("_record")
    return event if record is None else _lift_extras(record, event)


def _redactor(secrets: Sequence[str]) -> Callable[[Any, str, Event], Event]:
    """A processor replacing every secret in every string of the event (messages, URLs, tracebacks) with ***."""
    known = [secret for secret in secrets if secret and len(secret) >= 6]

    def redact(logger: Any, name: str, event: Event) -> Event:
        for key, value in event.items():
            if isinstance(value, str) and any(secret in value for secret in known):
                for secret in known:
                    value = value.replace(secret, "***")
                event[key] = value
        return event

    return redact


class JsonLines(logging.Formatter):
    """One JSON object a record: event, level, logger, timestamp (ISO 8601 UTC), the record's extras, and the
    traceback as `exception`; secrets redacted. Plain stdlib: a command that logs never loads structlog or rich."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._redact = _redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line."""
        moment = datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z")
        event: Event = {"event": record.getMessage(), "level": record.levelname.lower(), "logger": record.name}
        event["timestamp"] = moment
        if record.stack_info:
            event["stack_info"] = record.stack_info
        _lift_extras(record, event)
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(self._redact(None, "", event), default=repr)


class ConsoleLines(logging.Formatter):
    """structlog's coloured console renderer (rich tracebacks), built at the first record: a command that logs
    nothing does not import structlog and rich (about 50 ms of start-up)."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = secrets
        self._renderer: logging.Formatter | None = None

    def format(self, record: logging.LogRecord) -> str:
        """The record as a coloured console line."""
        if self._renderer is None:
            import structlog

            self._renderer = structlog.stdlib.ProcessorFormatter(
                foreign_pre_chain=[
                    structlog.stdlib.add_log_level,
                    structlog.stdlib.add_logger_name,
                    structlog.processors.TimeStamper(fmt="iso", utc=True),
                    _extras,
                ],
                processors=[
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.StackInfoRenderer(),
                    _redactor(self._secrets),
                    structlog.dev.ConsoleRenderer(),
                ],
            )
        return self._renderer.format(record)


def configure_logging(
    level: str = "INFO", fmt: str = "auto", production: bool = False, secrets: Sequence[str] = ()
) -> None:
    """Route every stdlib logger through one renderer chosen by `fmt` (auto: JSON unless a TTY).

    `secrets` (tokens, keys) are replaced by *** wherever they appear, whichever library logs them.
    """
    as_json = fmt == "json" or (fmt == "auto" and (production or not sys.stderr.isatty()))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines(secrets) if as_json else ConsoleLines(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and Telegram's URLs carry the bot token: never below WARNING
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
