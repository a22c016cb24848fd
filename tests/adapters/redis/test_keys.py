"""RedisKeys names every namespace: each method's exact key (what running deployments have stored), all under the
prefix, and no two methods sharing a namespace."""

from __future__ import annotations

import inspect
from itertools import permutations

import pytest

from adapters.redis.keys import RedisKeys

KEYS = RedisKeys("evt:")
# method -> (its namespace, the exact key it builds for the arguments below); changing a key string orphans the
# data a running deployment stored under the old one
NAMESPACES: dict[str, tuple[str, str]] = {
    "quotes": ("quotes:", KEYS.quotes(60003760)),
    "quotes_staging": ("quotes-tmp:", KEYS.quotes_staging(60003760, "t0")),
    "leader_lock": ("lock:leader:", KEYS.leader_lock("web")),
    "region_lock": ("lock:region:", KEYS.region_lock(10000002)),
    "ingest_claim": ("ingest:claim:", KEYS.ingest_claim(10000002)),
    "ingest_failures": ("ingest:failures:", KEYS.ingest_failures(10000002)),
    "ingest_stream": ("stream:ingest", KEYS.ingest_stream()),
    "alert_stream": ("stream:alerts:", KEYS.alert_stream("discord")),
    "alert_dispatched": ("cache:alert-dispatched:", KEYS.alert_dispatched("discord", 7, 2)),
    "command_rates": ("ratelimit:commands:", KEYS.command_rates()),
    "web_ip_rates": ("ratelimit:web-ip:", KEYS.web_ip_rates()),
    "web_user_rates": ("ratelimit:web-user:", KEYS.web_user_rates()),
    "appraisal_rates": ("ratelimit:web-appraise:", KEYS.appraisal_rates()),
    "sso_state": ("sso-state:", KEYS.sso_state("n0")),
    "link_code": ("cache:link-code:", KEYS.link_code("ab12")),
    "revoked_session_family": ("cache:web-revoked-family:", KEYS.revoked_session_family("f0")),
    "bot_state": ("cache:bot:", KEYS.bot_state("telegram", "page", "k0")),
    "ai_answer": ("cache:ai:", KEYS.ai_answer("k0")),
    "ai_flight": ("lock:ai:", KEYS.ai_flight("k0")),
    "route": ("route:", KEYS.route(30000142, 30002187, "secure")),
}
EXACT = {
    "quotes": "evt:quotes:60003760",
    "quotes_staging": "evt:quotes-tmp:60003760:t0",
    "leader_lock": "evt:lock:leader:web",
    "region_lock": "evt:lock:region:10000002",
    "ingest_claim": "evt:ingest:claim:10000002",
    "ingest_failures": "evt:ingest:failures:10000002",
    "ingest_stream": "evt:stream:ingest",
    "alert_stream": "evt:stream:alerts:discord",
    "alert_dispatched": "evt:cache:alert-dispatched:discord:7:2",
    "command_rates": "evt:ratelimit:commands:",
    "web_ip_rates": "evt:ratelimit:web-ip:",
    "web_user_rates": "evt:ratelimit:web-user:",
    "appraisal_rates": "evt:ratelimit:web-appraise:",
    "sso_state": "evt:sso-state:n0",
    "link_code": "evt:cache:link-code:ab12",
    "revoked_session_family": "evt:cache:web-revoked-family:f0",
    "bot_state": "evt:cache:bot:telegram:page:k0",
    "ai_answer": "evt:cache:ai:k0",
    "ai_flight": "evt:lock:ai:k0",
    "route": "evt:route:30000142:30002187:secure",
}
ALIASES = {"scheduler_leader": ("leader_lock", "evt:lock:leader:scheduler")}  # one holding of another namespace


def public_methods() -> set[str]:
    """Every public method RedisKeys offers."""
    return {name for name, _ in inspect.getmembers(RedisKeys, inspect.isfunction) if not name.startswith("_")}


def test_every_method_is_listed_with_one_namespace() -> None:
    assert public_methods() == set(NAMESPACES) | set(ALIASES)
    assert set(EXACT) == set(NAMESPACES)


@pytest.mark.parametrize("method", sorted(NAMESPACES))
def test_each_key_is_the_stored_one_under_the_prefix_and_its_namespace(method: str) -> None:
    namespace, key = NAMESPACES[method]
    assert key == EXACT[method]
    assert key.startswith("evt:" + namespace)


def test_no_two_methods_share_a_namespace() -> None:
    """No namespace is another's prefix, so no arguments make one method build a key of another."""
    for (first, (a, _)), (second, (b, _)) in permutations(NAMESPACES.items(), 2):
        assert not b.startswith(a), f"{second} ({b}) lies inside {first} ({a})"


def test_an_alias_is_one_key_of_its_namespace() -> None:
    for alias, (method, key) in ALIASES.items():
        assert getattr(KEYS, alias)() == key and key.startswith("evt:" + NAMESPACES[method][0])
