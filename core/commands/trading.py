"""/profit and /sales: the caller's realised trading profit (FIFO, after fees) from their characters' wallets."""

from __future__ import annotations

from datetime import UTC, datetime

from core.chat.model import Field, Image, Reply, Table
from core.chat.params import ArgumentError, Param
from core.chat.registry import CommandContext, Registry
from core.formatting import isk, units
from core.trading.book import PERIOD_HELP, PeriodError, WalletHistory, parse_period
from core.trading.report import NameOf
from core.usecases.accounts import AccountServices
from core.usecases.market_services import MarketServices
from core.usecases.trading import SalesList, WalletProfit, wallet_profit

TOP_ITEMS = 5
STILL_FETCHING = (
    "Your wallet is still being fetched from EVE: this covers what is stored so far; ask again in a minute."
)
MAX_SALES = 25


def _book(ctx: CommandContext) -> tuple[WalletHistory, int]:
    services = ctx.accounts
    if not isinstance(services, AccountServices) or services.wallet is None:
        raise ArgumentError("trading features are not enabled on this evetrader (no EVE SSO configured)")
    if ctx.caller.account_id is None:
        raise ArgumentError("your account is not available right now; try again shortly")
    return services.wallet, ctx.caller.account_id


def _names(ctx: CommandContext) -> NameOf:
    name_of = getattr(ctx.catalog, "name_of", None)
    return (lambda type_id: name_of(type_id) or f"type {type_id}") if callable(name_of) else (lambda t: f"type {t}")


def _simulated(ctx: CommandContext) -> bool:
    services = ctx.services
    return isinstance(services, MarketServices) and services.simulated


async def _answer(ctx: CommandContext, period: str | None, character: str | None) -> WalletProfit:
    """The period's profit of the caller's characters; ArgumentError for a bad period or character, or none linked."""
    book, account = _book(ctx)
    try:
        start, end = parse_period(period, datetime.now(UTC).date())
        answer = await wallet_profit(
            book, account, start, end, character=character, name_of=_names(ctx), simulated=_simulated(ctx)
        )
    except PeriodError as exc:
        raise ArgumentError(str(exc)) from None
    if not answer.characters:
        raise ArgumentError("no characters linked yet: use /link, then enable trading to share the wallet")
    return answer


def _item_rows(items: list[tuple[str, int, float, float]]) -> list[list[str]]:
    return [[name, units(sold), isk(revenue), isk(profit)] for name, sold, revenue, profit in items]


async def profit(ctx: CommandContext, period: str | None = None, character: str | None = None) -> Reply:
    """Realised profit of a period: totals, the items that made and lost the most, units sold without a known buy."""
    answer = await _answer(ctx, period, character)
    report, who, footer = answer.report, answer.who, answer.footer
    title = f"Profit {report.start.isoformat()} to {report.end.isoformat()} ({who})"
    data = answer.as_data()
    if not report.items and not report.unmatched:
        text = STILL_FETCHING if report.fetching else "No sales in this period."
        return Reply(title=title, text=text, data=data, footer=footer)
    fields = [
        Field("Revenue", isk(report.revenue)),
        Field("Cost", isk(report.cost)),
        Field("Broker fees", isk(report.broker_fees)),
        Field("Sales tax", isk(report.sales_tax)),
        Field("Profit", isk(report.profit)),
    ]
    headers, align = ["Item", "Sold", "Revenue", "Profit"], "lrrr"
    best = [(i.name, i.sold, i.revenue, i.profit) for i in report.items[:TOP_ITEMS] if i.profit > 0]
    worst = [(i.name, i.sold, i.revenue, i.profit) for i in reversed(report.items[-TOP_ITEMS:]) if i.profit < 0]
    tables = [Table(headers, _item_rows(rows), align) for rows in (best, worst) if rows]
    lines = []
    if best:
        lines.append(f"Best: {best[0][0]} ({isk(best[0][3])}).")
    if worst:
        lines.append(f"Worst: {worst[0][0]} ({isk(worst[0][3])}).")
    if report.unmatched:
        sold = sum(u.quantity for u in report.unmatched)
        lines.append(
            f"{units(sold)} units ({isk(sum(u.revenue for u in report.unmatched))}) were sold without a known purchase"
            " (loot, industry, contracts or bought before the first wallet fetch): left out of the profit."
        )
    if report.fetching:
        lines.append(STILL_FETCHING)
    chart = getattr(ctx.accounts.wallet, "chart", None)  # a FetchingBook's renderer, when the app has one
    images = []
    if chart is not None and report.daily:
        png = await chart(report.daily, title=f"Realised profit {report.start} to {report.end} ({who})")
        images.append(Image(png, f"Daily and cumulative realised profit, {isk(report.profit)} in all", "profit.png"))
    return Reply(
        title=title, text="\n".join(lines), fields=fields, tables=tables, images=images, data=data, footer=footer
    )


async def sales(ctx: CommandContext, period: str | None = None) -> Reply:
    """The period's sales, newest first, each with its realised profit after fees."""
    listed = SalesList(await _answer(ctx, period, None))
    report, footer = listed.profit.report, listed.profit.footer
    title = f"Sales {report.start.isoformat()} to {report.end.isoformat()} ({listed.profit.who})"
    data = listed.as_data()
    if not report.sales:
        text = STILL_FETCHING if report.fetching else "No sales in this period."
        return Reply(title=title, text=text, data=data, footer=footer)
    name_of = _names(ctx)
    rows = [
        [
            s.sale.date.strftime("%m-%d %H:%M"),
            name_of(s.sale.type_id),
            units(s.sale.quantity),
            isk(s.sale.unit_price),
            isk(s.profit) if s.matched else "unknown cost",
        ]
        for s in listed.sales[:MAX_SALES]
    ]
    more = len(report.sales) - MAX_SALES
    text = f"{len(report.sales)} sales, profit {isk(report.profit)}" + (
        f"; the newest {MAX_SALES} shown" if more > 0 else ""
    )
    if report.fetching:
        text += f"\n{STILL_FETCHING}"
    table = Table(["When (UTC)", "Item", "Qty", "Price", "Profit"], rows, "llrrr")
    return Reply(title=title, text=text, tables=[table], data=data, footer=footer)


def register_trading_commands(registry: Registry) -> None:
    """Add /profit and /sales (private: the caller's own wallet)."""
    period = Param("period", f"Period: {PERIOD_HELP} (default 30d)", required=False)
    character = Param("character", "One of your characters (default: all, pooled)", required=False)
    registry.command(
        "profit",
        "Your realised trading profit after fees (FIFO)",
        period,
        character,
        examples=["/profit", "/profit 7d", "/profit month Trader One"],
        private=True,
        chart=True,
    )(profit)
    registry.command(
        "sales", "Your sales with each one's profit", period, examples=["/sales", "/sales today"], private=True
    )(sales)
