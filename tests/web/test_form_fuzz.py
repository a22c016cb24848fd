"""Every panel form under generated junk fields answers with a page or a redirect, never a 500."""

from __future__ import annotations

from typing import Any

import asyncpg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import MakeClient
from tests.web.helpers import create_account, csrf_of, sign_in
from web.security import CSRF_FIELD

FIELDS = [
    *("action", "days", "default_hub", "digest_enabled", "digest_hour", "digest_target", "direction", "email"),
    *("external_id", "item", "kind", "place", "platform", "quiet_end", "quiet_start", "quiet_timezone", "role"),
    *("side", "target", "value", "watch_item", "accounting", "broker_relations", "faction_standing", "corp_standing"),
]
VALUES = st.one_of(
    st.sampled_from(
        ["", "on", "off", "Jita", "hub:Jita", "hub:Nowhere", "region:10000002", "region:²", "region:" + "9" * 30,
         "tritanium", "price", "spread", "sell", "buy", "below", "above", "discord:5", "email", "Europe/Paris",
         "Mars/Olympus", "25:00", "23:59", "-1", "1e308", "nan", "²", "٣", "9" * 40, "admin", "user", "\x00", "\u202e"]
    ),
    st.text(max_size=12),
)  # fmt: skip
FORMS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8)
ROUTES = [
    "/alerts", "/alerts/1/pause", "/alerts/1/resume", "/alerts/1/remove", "/alerts/quiet", "/alerts/watchlist",
    "/alerts/watchlist/34/remove", "/alerts/digest", "/settings/email", "/settings/email/resend",
    "/settings/email/cancel", "/settings/email/remove", "/account/identities/unlink", "/settings",
    "/admin/accounts/1/role", "/account/characters/1/unlink",
]  # fmt: skip


async def test_generated_forms_never_break_the_panel(make_client: MakeClient, pg_pool: asyncpg.Pool) -> None:
    client = await make_client()
    admin = await create_account(pg_pool, "admin", identities=(("discord", "5", "Admin"), ("admin", "2", "Other")))
    await create_account(pg_pool, "user", identities=(("telegram", "7", "Someone"),))
    await sign_in(client, admin)
    csrf = await csrf_of(client)
    examples: list[tuple[str, dict[str, Any]]] = []

    @settings(max_examples=300, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(route=st.sampled_from(ROUTES), form=FORMS)
    def collect(route: str, form: dict[str, Any]) -> None:
        examples.append((route, form))

    collect()
    for route, form in examples:
        response = await client.post(route, data={**form, CSRF_FIELD: csrf}, allow_redirects=False)
        assert response.status < 500, (route, form, await response.text())
