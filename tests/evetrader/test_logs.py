"""Logging: JSON lines with extras, and secrets redacted whichever library logs them."""

from __future__ import annotations

import logging
import subprocess
import sys

import orjson
import pytest

from evetrader.logs import configure_logging


def test_json_lines_carry_extras_and_never_a_secret(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("DEBUG", "json", secrets=["123456:TOP-SECRET"])
    logging.getLogger("telegram.ext.ExtBot").debug("Set Bot API URL: https://api.telegram.org/bot123456:TOP-SECRET")
    logging.getLogger("evetrader.test").info("refreshed", extra={"region_id": 10000002, "url": "x/123456:TOP-SECRET/y"})
    try:
        raise RuntimeError("failed calling bot123456:TOP-SECRET/getMe")
    except RuntimeError:
        logging.getLogger("evetrader.test").exception("boom")
    err = capsys.readouterr().err
    assert "TOP-SECRET" not in err
    events = [orjson.loads(line) for line in err.splitlines()]
    assert events[0]["event"] == "Set Bot API URL: https://api.telegram.org/bot***"
    assert events[1]["region_id"] == 10000002 and events[1]["url"] == "x/***/y"
    assert "***" in events[2]["exception"]
    configure_logging("INFO", "json")


def test_every_secret_setting_is_known_to_the_redactor() -> None:
    from evetrader.config import load_settings, secret_values

    settings = load_settings(telegram_token="tg-123", discord_token="dc-456", encryption_keys="k1:AAAA", web_port=0)
    assert {"tg-123", "dc-456", "k1:AAAA"} <= set(secret_values(settings))


def test_json_lines_need_no_structlog() -> None:
    """Off a terminal (services, CI, `chat -c` in a script) a log line costs no structlog and rich imports."""
    code = (
        "import logging, sys\nfrom evetrader.logs import configure_logging\nconfigure_logging('INFO', 'json')\n"
        "logging.getLogger('evetrader.test').warning('hello', extra={'n': 1})\n"
        "print(sorted({'structlog', 'rich'} & {m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]" and orjson.loads(done.stderr)["n"] == 1


def test_console_lines_redact_and_carry_extras(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "console", secrets=["123456:TOP-SECRET"])
    logging.getLogger("evetrader.test").warning("token 123456:TOP-SECRET used", extra={"region_id": 10000002})
    err = capsys.readouterr().err
    assert "TOP-SECRET" not in err and "token ***" in err and "region_id" in err and "10000002" in err
    configure_logging("INFO", "json")
