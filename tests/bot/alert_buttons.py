"""Shared by the alert-button tests of both platforms: real account and rule stores behind a gateway, and the text
of a fired alert composed for an outbox row as delivery does."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import asyncpg

from adapters.postgres.accounts import PgIdentityStore
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.watchlist import PgWatchlist
from core.alerts.delivery import AlertText, OutboxMessage, compose
from core.alerts.model import AlertRule, AlertTarget
from core.chat.gateway import CommandGateway
from core.chat.model import Caller
from core.chat.registry import CommandContext
from core.commands.default import build_registry
from core.usecases.alerts import AlertServices
from tests.adapters.postgres.test_alerts_eval import spec
from tests.core.alerts.test_message import AS_OF, PRICE
from tests.core.commands.market_helpers import CATALOG, context, trit_market

LABELS = ["Snooze 1 h", "Pause rule", "Remove rule"]


def alerts_gateway(pool: asyncpg.Pool, accounts: object = None) -> CommandGateway:
    """The product's commands with real identities (a caller's account) and alert rules in Postgres (and the
    account services `accounts`, e.g. to open windows in game)."""
    alerts = AlertServices(PgAlertRules(pool), PgWatchlist(pool), CATALOG)
    market = trit_market()

    async def context_for(caller: Caller) -> CommandContext:
        return dataclasses.replace(context(market), alerts=alerts, accounts=accounts)

    return CommandGateway(build_registry(), context_for, completer=CATALOG, identities=PgIdentityStore(pool))


async def owned_rule(pool: asyncpg.Pool, owner: Caller, target: AlertTarget) -> AlertRule:
    """A Tritanium rule of the owner's account (made on first sight, as the gateway would) delivering to `target`."""
    account = await PgIdentityStore(pool).account_for(owner)
    return await PgAlertRules(pool).add(account, dataclasses.replace(spec(), target=target))


def fired_text(rule: AlertRule, open_in_game: bool = False) -> AlertText:
    """What delivery sends when the rule fires (as composed from its outbox row; `open_in_game` when the account
    has a character allowed to open windows)."""
    payload = dataclasses.replace(PRICE, rule_id=rule.id, account_id=rule.account_id).payload()
    row = OutboxMessage(1, f"{rule.id}@x", rule.account_id, rule.id, payload, rule.spec.target, 1)
    return compose(row, {34: "Tritanium"}.get, AS_OF + timedelta(minutes=1), open_in_game)


async def rule_state(pool: asyncpg.Pool, rule_id: int) -> tuple[bool, bool] | None:
    """(active, snoozed now) of a rule, or None once it is gone."""
    row = await pool.fetchrow(
        "SELECT active, coalesce(muted_until > now(), false) AS snoozed FROM alert_rules WHERE id = $1", rule_id
    )
    return (row["active"], row["snoozed"]) if row else None
