"""The product's command set: every adapter (console, Discord, Telegram) renders this one registry."""

from __future__ import annotations

from core.chat.registry import Registry
from core.commands.accounts import register_account_commands
from core.commands.alerts import register_alert_commands
from core.commands.analysis import register_analysis_commands
from core.commands.appraise import register_appraise_command
from core.commands.market_browse import register_browse_command
from core.commands.market_price import register_price_commands
from core.commands.market_trade import register_trade_commands
from core.commands.route import register_route_command
from core.commands.settings import register_settings_commands
from core.commands.structures import register_structure_commands
from core.commands.trading import register_trading_commands
from core.commands.trading_orders import register_trading_order_commands
from core.commands.watchlist import register_watch_commands
from core.commands.windows import register_window_commands


def build_registry() -> Registry:
    """The whole command set: help, market, trade finders, appraisal, settings and account commands."""
    registry = Registry()
    register_price_commands(registry)
    register_trade_commands(registry)
    register_route_command(registry)
    register_browse_command(registry)
    register_appraise_command(registry)
    register_settings_commands(registry)
    register_account_commands(registry)
    register_analysis_commands(registry)
    register_alert_commands(registry)
    register_watch_commands(registry)
    register_trading_commands(registry)
    register_trading_order_commands(registry)
    register_structure_commands(registry)
    register_window_commands(registry)
    return registry
