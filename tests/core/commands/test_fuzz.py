"""Every command under generated junk arguments answers with a reply a user can read, never an internal error."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.chat.dispatch import dispatch
from core.chat.model import Invocation
from tests.core.commands.market_helpers import CALLER, REGISTRY, assert_clean, context, plex_market, trit_market

NAMES = sorted({command.name for command in REGISTRY.commands()} | set(REGISTRY.groups()))
# What traders type, what they mistype, and what breaks parsers: names, hubs, odd numbers, options, quoting, Unicode.
WORDS = [
    *("tritanium", "trit", "PLEX", "Rifter", "jita", "amarr", "the forge", '"jita iv"', "sell", "buy", "below"),
    *("above", "station", "haul", "spread", "volume", "order", "immediate", "x", "all", "--", "/price", "@bot"),
    *("0", "-1", "1e308", "nan", "inf", "-inf", "99999999999999999999", "4.5", "0.0001", "1,000", "1.000,5", "2k"),
    *("results=0", "results=999", "accounting=9", "standing=nan", "standing=1e9", "days=100000", "days=0"),
    *("cargo=-5", "budget=1e400", "min-margin=-50", "max-margin=nan", "hysteresis=1e308", "cooldown=-1", "a=b=c"),
    *("'", '"', '"unterminated', "=", "ü", "🚀", "\u202e", "\x00", "\t", "<b>", "&amp;", "$(rm)"),
]
ARGS = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=6).map(" ".join)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(name=st.sampled_from(NAMES), raw=ARGS, plex=st.booleans())
def test_no_argument_makes_a_command_fail_inside(name: str, raw: str, plex: bool) -> None:
    market = plex_market() if plex else trit_market()
    reply = asyncio.run(dispatch(REGISTRY, Invocation(name, raw, CALLER), context(market)))
    assert "incident" not in reply.data, (name, raw, reply.text)
    assert_clean(reply)
