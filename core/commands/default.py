"""The product's command set: every adapter (console, Discord, Telegram) renders this one registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from core.chat.registry import Registry

# Each family: its module under core.commands, the function registering it, and the top-level commands and groups
# it adds to. A family's module is imported when one of these names is first looked up (or every command is listed).
FAMILIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("market_price", "register_price_commands", ("price", "compare", "history")),
    ("market_trade", "register_trade_commands", ("trade",)),
    ("route", "register_route_command", ("route",)),
    ("market_browse", "register_browse_command", ("browse",)),
    ("appraise", "register_appraise_command", ("appraise",)),
    ("settings", "register_settings_commands", ("settings",)),
    ("accounts", "register_account_commands", ("characters", "link", "unlink")),
    ("analysis", "register_analysis_commands", ("analyze", "ask")),
    ("alerts", "register_alert_commands", ("alert",)),
    ("watchlist", "register_watch_commands", ("watch",)),
    ("trading", "register_trading_commands", ("profit", "sales")),
    ("trading_orders", "register_trading_order_commands", ("assets", "orders", "settings")),
    ("structures", "register_structure_commands", ("market",)),
    ("windows", "register_window_commands", ("market",)),
)


def family_registrar(module: str, function: str) -> Callable[[Registry], None]:
    """A registrar importing core.commands.`module` only when called, then calling its `function`."""

    def register(registry: Registry) -> None:
        getattr(importlib.import_module(f"core.commands.{module}"), function)(registry)

    return register


def build_registry() -> Registry:
    """The whole command set: help, market, trade finders, appraisal, settings and account commands, each family
    registered at its first use."""
    registry = Registry()
    for module, function, names in FAMILIES:
        registry.family(names, family_registrar(module, function))
    return registry
