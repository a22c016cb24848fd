"""The neutral model: Invocation parsing from chat text, Reply helpers and validation of its parts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.chat import Button, Caller, Field, Footer, Image, Invocation, Reply, Table

CALLER = Caller("telegram", "42", "Pilot", chat_id="-100", roles=frozenset({"trader"}))


def test_invocation_from_text():
    inv = Invocation.from_text("/Price@EveTraderBot  tritanium   jita ", CALLER)
    assert (inv.command, inv.args, inv.caller.platform) == ("price", "tritanium   jita", "telegram")
    assert Invocation.from_text("/help", CALLER).args == ""
    assert Invocation.from_text("appraise Tritanium 10\nPyerite 5", CALLER).args == "Tritanium 10\nPyerite 5"
    assert Invocation.from_text("/appraise\nTritanium 10", CALLER).command == "appraise"


def test_reply_error():
    reply = Reply.error("missing <item>", "/price <item> [where]")
    assert reply.is_error and reply.ephemeral and reply.text.endswith("usage: /price <item> [where]")
    assert Reply.error("boom").data == {"error": "boom"}


def test_reply_parts():
    as_of = datetime(2026, 1, 1, tzinfo=UTC)
    reply = Reply(
        title="Tritanium",
        fields=[Field("Sell", "4.10 ISK")],
        tables=[Table(["hub", "sell"], [["Jita", "4.10"]], align="lr")],
        images=[Image(b"\x89PNG", "price chart")],
        buttons=[Button("History", action="history tritanium"), Button("EVE Ref", url="https://everef.net")],
        footer=Footer("ESI", as_of),
    )
    assert reply.images[0].filename == "chart.png" and reply.footer is not None and not reply.footer.simulated
    with pytest.raises(ValueError, match="exactly one"):
        Button("x")
    with pytest.raises(ValueError, match="exactly one"):
        Button("x", url="u", action="a")
    with pytest.raises(ValueError, match="align"):
        Table(["a", "b"], [], align="l")
    with pytest.raises(ValueError, match="2 cells"):
        Table(["a", "b"], [["1"]])
