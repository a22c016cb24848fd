"""core.outage: the unreachable-server warning is logged at most once per interval."""

from __future__ import annotations

import logging

import pytest

from core.outage import UnreachableWarning


def test_an_outage_is_warned_about_once_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    warn = UnreachableWarning(logging.getLogger("outage-test"), "store unreachable", clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, "outage-test"):
        warn(OSError("refused"))
        now[0] = 59.0
        warn(OSError("refused"))
        now[0] = 60.0
        warn(OSError("still refused"))
    assert [(r.getMessage(), r.__dict__["error"]) for r in caplog.records] == [
        ("store unreachable", "refused"),
        ("store unreachable", "still refused"),
    ]
