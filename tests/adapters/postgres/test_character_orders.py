"""PgCharacterOrderStore on real Postgres: state round trip, competitor prices without own orders, rules, outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import asyncpg

from adapters.postgres.character_orders import PgCharacterOrderStore
from core.accounts.route_fetches import FetchMeta
from core.accounts.sso import SCOPE_CHARACTER_ORDERS
from core.alerts.model import AlertKind, AlertTarget, TargetKind
from core.alerts.orders import CharacterOrder, OrderState, OrderStatus, OutboxEntry

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
REGION, STATION = 10000002, 60003760
MINE = CharacterOrder(7001, 34, REGION, STATION, False, 5.55, 10, 20, NOW - timedelta(days=1), 90)


async def linked(pool: asyncpg.Pool, scopes: list[str]) -> tuple[int, int]:
    account = await pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id")
    await pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash, scopes, refresh_token_enc)"
        " VALUES (90000001, $1, 'Joe', 'owner-1', $2, 'ciphertext')",
        account,
        scopes,
    )
    return account, 90000001


async def public_book(pool: asyncpg.Pool, orders: list[tuple[int, bool, float]]) -> None:
    await pool.execute(f"CREATE TABLE market_orders_t PARTITION OF market_orders FOR VALUES IN ({REGION})")
    await pool.executemany(
        "INSERT INTO market_orders (region_id, order_id, type_id, location_id, is_buy_order, price, volume_remain,"
        " volume_total, min_volume, duration, issued, range)"
        " VALUES ($1, $2, 34, $3, $4, $5, 5, 5, 1, 90, $6, 'region')",
        [(REGION, oid, STATION, buy, price, NOW) for oid, buy, price in orders],
    )
    await pool.execute(
        "INSERT INTO market_snapshots (region_id, status, last_modified, generation) VALUES ($1, 'ok', $2, 1)",
        REGION,
        NOW,
    )


async def test_states_and_fetch_meta_round_trip(pg_pool: asyncpg.Pool) -> None:
    store = PgCharacterOrderStore(pg_pool)
    _, character = await linked(pg_pool, [SCOPE_CHARACTER_ORDERS])
    assert [s.character_id for s in await store.characters_with_scope(SCOPE_CHARACTER_ORDERS)] == [character]
    assert await store.characters_with_scope("esi-wallet.read_character_wallet.v1") == []
    state = OrderState(MINE, OrderStatus.OPEN, False, 5.54, NOW, True, None)
    meta = FetchMeta('"etag-1"', NOW + timedelta(seconds=1200), NOW)
    assert await store.save(character, [state], {"orders": meta}, []) == 0
    assert await store.states(character) == {7001: state}
    assert await store.fetch_meta(character, "orders") == meta and await store.fetch_meta(character, "history") is None
    gone = replace(state, status=OrderStatus.FILLED)
    await store.save(character, [gone], {}, [])
    assert (await store.states(character))[7001].status is OrderStatus.FILLED
    assert await store.prune_closed(datetime.now(UTC) + timedelta(seconds=1)) == 1


async def test_competition_leaves_out_the_characters_own_orders(pg_pool: asyncpg.Pool) -> None:
    store = PgCharacterOrderStore(pg_pool)
    await public_book(pg_pool, [(7001, False, 5.55), (1, False, 5.60), (2, False, 5.54), (3, True, 5.00)])
    sell, buy = (REGION, STATION, 34, False), (REGION, STATION, 34, True)
    elsewhere = (10000043, 60008494, 34, False)
    found = await store.competition([sell, buy, elsewhere], [7001, 2])
    assert found.best == {sell: 5.60, buy: 5.00}  # no snapshot of 10000043: no entry at all
    assert found.as_of == {REGION: NOW}
    assert (await store.competition([sell], [7001, 1, 2])).best == {sell: None}


async def test_order_rules_and_idempotent_outbox(pg_pool: asyncpg.Pool) -> None:
    store = PgCharacterOrderStore(pg_pool)
    account, character = await linked(pg_pool, [SCOPE_CHARACTER_ORDERS])
    rule_id = await pg_pool.fetchval(
        "INSERT INTO alert_rules (account_id, kind, region_id, threshold, target_platform, target_kind,"
        " target_address) VALUES ($1, 'order_undercut', $2, 1, 'discord', 'dm', '42') RETURNING id",
        account,
        REGION,
    )
    await pg_pool.execute(
        "INSERT INTO alert_rules (account_id, kind, region_id, type_id, side, direction, threshold, target_platform,"
        " target_kind, target_address) VALUES ($1, 'price', $2, 34, 'sell', 'below', 5, 'discord', 'dm', '42')",
        account,
        REGION,
    )
    (rule,) = await store.order_rules(account)
    assert (rule.rule_id, rule.kind, rule.type_id, rule.quiet) == (rule_id, AlertKind.ORDER_UNDERCUT, None, None)
    target = AlertTarget("discord", TargetKind.DM, "42")
    entry = OutboxEntry(rule_id, account, "order:1:7001:undercut@x", {"kind": "order_undercut"}, target, None)
    assert await store.save(character, [], {}, [entry, entry]) == 1
    assert await store.save(character, [], {}, [entry]) == 0
    payload = await pg_pool.fetchval(
        "SELECT payload FROM alert_outbox WHERE idempotency_key = $1", entry.idempotency_key
    )
    assert payload == {"kind": "order_undercut"}
