"""GET /api/v1/trading/profit: the signed-in account's FIFO profit, the chat command's data, clear refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from adapters.postgres.wallet import PgWalletStore
from core.accounts.route_fetches import FetchMeta
from core.chat import Caller, CommandContext, Invocation, dispatch
from core.commands.default import build_registry
from core.trading.model import TRANSACTION_TAX, JournalEntry, WalletTransaction
from core.usecases.accounts import AccountServices
from tests.web.helpers import create_account, sign_in
from tests.web.schema_check import problems

NOW = datetime.now(UTC).replace(microsecond=0)
URL = "/api/v1/trading/profit"


async def trader(pool: asyncpg.Pool, *characters: int) -> int:
    """An account with linked characters whose wallets were fetched: Raven bought and sold, loot sold."""
    account = await create_account(pool, identities=(("telegram", f"t{characters[0]}", "Trader"),))
    await pool.execute(
        "INSERT INTO sde_types (type_id, name, group_id) VALUES (638, 'Raven', 27), (34, 'Tritanium', 18)"
        " ON CONFLICT DO NOTHING"
    )
    store = PgWalletStore(pool)
    for cid in characters:
        await pool.execute(
            "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, $3, 'h')",
            cid,
            account,
            f"Pilot {cid}",
        )
        await store.save_meta(cid, "transactions", FetchMeta(None, NOW + timedelta(hours=1), None))
    first = characters[0]
    await store.save_transactions(
        first,
        [
            WalletTransaction(1, NOW - timedelta(days=3), 638, 3, 150e6, True, 60003760, 0, first),
            WalletTransaction(2, NOW - timedelta(hours=2), 638, 3, 185.3e6, False, 60003760, 0, first),
            WalletTransaction(3, NOW - timedelta(hours=1), 34, 1000, 5.0, False, 60003760, 0, first),
        ],
    )
    tax = JournalEntry(9, NOW - timedelta(hours=2), TRANSACTION_TAX, -2e6, first, context_id=2,
                       context_id_type="market_transaction_id")  # fmt: skip
    await store.save_journal(first, [tax])
    return account


async def chat_data(pool: asyncpg.Pool, account: int, text: str) -> dict[str, Any]:
    """The `data` of a chat command run by the account's owner over the same stored wallets."""
    services = AccountServices(None, None, "http://panel", wallet=PgWalletStore(pool))  # type: ignore[arg-type]
    caller = Caller("telegram", "t1", "Trader", account_id=account)
    reply = await dispatch(build_registry(), Invocation.from_text(text, caller), CommandContext(accounts=services))
    assert not reply.is_error, reply.text
    return dict(reply.data)


async def test_profit_matches_the_chat_command_and_the_document(client, pg_pool) -> None:
    account = await trader(pg_pool, 9001, 9002)
    document = await (await client.get("/api/openapi.json")).json()
    assert (await client.get(URL)).status == 401
    await sign_in(client, account)
    today, week = NOW.date().isoformat(), (NOW.date() - timedelta(days=6)).isoformat()
    response = await client.get(URL, params={"from": week, "to": today})
    assert response.status == 200, await response.text()
    body = await response.json()
    schema = document["paths"][URL]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert problems(document, schema, body) == []
    assert body["profit"] == round(3 * (185.3e6 - 150e6) - 2e6, 2) and body["sales_tax"] == 2e6
    assert body["items"] == [
        {"type_id": 638, "name": "Raven", "sold": 3, "revenue": 555.9e6, "cost": 450e6, "fees": 2e6,
         "profit": 103.9e6}
    ]  # fmt: skip
    assert body["unmatched"] == [{"type_id": 34, "quantity": 1000, "revenue": 5000.0}]
    data = await chat_data(pg_pool, account, f"/profit {week}..{today}")
    assert {
        **data,
        "items": [{**i, "name": "Raven"} for i in data["items"]],
    } == body  # chat names come from its catalog
    one = await (await client.get(URL, params={"from": week, "to": today, "character_id": "9002"})).json()
    assert one["profit"] == 0 and one["items"] == [] and one["unmatched"] == []
    default = await (await client.get(URL)).json()
    assert default["to"] == today and default["profit"] == body["profit"]


async def test_bad_dates_and_other_characters_are_refused(client, pg_pool) -> None:
    mine = await trader(pg_pool, 9101)
    await trader(pg_pool, 9102)
    await sign_in(client, mine)
    for params, field in (
        ({"from": "2024-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "20240501"}, "from"),
        ({"from": "0001-01-01"}, "from"),
        ({"to": "9999-12-31"}, "to"),
        ({"from": "2024-05-02", "to": "2024-05-01"}, "from"),
        ({"from": "2000-01-01", "to": "2024-05-01"}, "from"),
        ({"character_id": "x"}, "character_id"),
        ({"character_id": "-4"}, "character_id"),
    ):
        response = await client.get(URL, params=params)
        assert response.status == 422, (params, await response.text())
        error = (await response.json())["error"]
        assert error["fields"] == {field: "invalid"} and error["message"], params
    for stranger in ("9102", "123", "99999999999999999999"):
        response = await client.get(URL, params={"character_id": stranger})
        expected = 422 if len(stranger) > 19 else 404
        assert response.status == expected, stranger
        if expected == 404:
            assert (await response.json())["error"]["message"] == "No such character on your account."
