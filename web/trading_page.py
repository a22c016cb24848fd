"""The panel's Trading page: realised profit over a period (chart, per item, unmatched sales) and its CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from core.formatting import age_text, isk, units
from core.trading.report import ProfitReport
from core.usecases.trading import WalletProfit
from web.auth import require_user
from web.errors import PanelError
from web.keys import PROFIT_CHART
from web.render import render
from web.stores import stores
from web.trading_inputs import DEFAULT_DAYS, read_profit, wallet_book

FILTERS = ("from", "to", "character_id")
COLUMNS = ("name", "sold", "revenue", "cost", "fees", "profit")  # the item table's sortable columns
CSV_HEADER = ("type_id", "name", "sold", "revenue", "cost", "fees", "profit")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula
CHART_MAX_AGE_S = 300


@dataclass(frozen=True)
class Book:
    """One period's P&L as the page, the chart and the CSV show it."""

    start: date
    end: date
    character: int | None
    characters: dict[int, str]
    data: dict[str, Any]
    answer: WalletProfit

    @property
    def report(self) -> ProfitReport:
        """The period's P&L."""
        return self.answer.report

    def who(self) -> str:
        """The filtered character's name, or "all characters"."""
        return self.answer.who

    def query(self, **extra: str) -> str:
        """The filters (and `extra`) as a query string for the page's links."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.character is not None:
            params["character_id"] = str(self.character)
        return urlencode(params | extra)


def _filters(request: web.Request) -> web.Request:
    """The request with the form's blank filters dropped, so that they take the API's defaults."""
    kept = {name: request.query[name] for name in FILTERS if request.query.get(name, "").strip()}
    return request.clone(rel_url=request.rel_url.with_query(kept))


async def read_book(request: web.Request, account_id: int) -> Book:
    """The filtered P&L through the profit use case, as the API reads it; PanelError (422/404) for a bad filter."""
    view = await read_profit(_filters(request), account_id)
    # unfiltered, the use case's characters are all the account's; one chosen, the form still lists every one
    characters = (
        view.answer.characters if view.character is None else await wallet_book(request).account_characters(account_id)
    )
    return Book(view.start, view.end, view.character, characters, view.data, view.answer)


def _sort(request: web.Request) -> str:
    """?sort= one of COLUMNS (default profit); names sort A-Z, numbers largest first."""
    key = request.query.get("sort", "") or "profit"
    if key not in COLUMNS:
        raise PanelError(422, f"Sort by one of {', '.join(COLUMNS)}.", fields={"sort": "invalid"})
    return key


async def trading_page(request: web.Request) -> web.Response:
    """The Trading page; a bad filter re-shows the form with its message (4xx) and no figures."""
    session = require_user(request)
    values = {name: request.query.get(name, "") for name in FILTERS}
    try:
        sort = _sort(request)
        book = await read_book(request, session.account_id)
    except PanelError as error:
        if error.status >= 500:
            raise
        field = next(iter(error.fields), "character_id")
        characters = await wallet_book(request).account_characters(session.account_id)
        return render(
            request, "trading.html", status=error.status, book=None, values=values, error=error.message,
            field=field, characters=characters, default_days=DEFAULT_DAYS,
        )  # fmt: skip
    items = sorted(book.data["items"], key=lambda row: row[sort], reverse=sort != "name")
    unmatched = book.data["unmatched"]
    names = await stores(request).types.names([row["type_id"] for row in unmatched])
    return render(
        request,
        "trading.html",
        book=book,
        values={"from": book.start.isoformat(), "to": book.end.isoformat(), "character_id": values["character_id"]},
        error=None,
        field=None,
        characters=book.characters,
        default_days=DEFAULT_DAYS,
        items=items,
        sort=sort,
        columns=COLUMNS,
        unmatched=[{**row, "name": names.get(row["type_id"], f"type {row['type_id']}")} for row in unmatched],
        ages=wallet_ages(book.answer, datetime.now(UTC)),
        chart_url=f"/trading/chart.png?{book.query()}",
        csv_url=f"/trading.csv?{book.query()}",
        isk=isk,
        units=units,
    )


def wallet_ages(answer: WalletProfit, now: datetime) -> list[dict[str, Any]]:
    """Each wallet the figures come from, with how old it is ("5 min old", "not fetched yet")."""
    return [
        {"name": a.name, "as_of": a.as_of, "text": age_text(a.as_of, now) if a.as_of else "not fetched yet"}
        for a in answer.ages
    ]


async def trading_chart(request: web.Request) -> web.Response:
    """The /profit command's chart (daily and cumulative realised profit) for the page's filters; private cache."""
    session = require_user(request)
    book = await read_book(request, session.account_id)
    title = f"Realised profit {book.start} to {book.end} ({book.who()})"
    png = await request.app[PROFIT_CHART](book.report.daily, title=title)
    headers = {"Cache-Control": f"private, max-age={CHART_MAX_AGE_S}", "Vary": "Cookie"}
    return web.Response(body=png, content_type="image/png", headers=headers)


def csv_cell(value: object) -> str | object:
    """A cell a spreadsheet shows as text: a text starting like a formula gets a leading quote; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def profit_csv(data: dict[str, Any]) -> str:
    """The per-item table as CSV: a header, one row per item, then the totals row (fees: broker fees and tax)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in data["items"]:
        writer.writerow([csv_cell(row[name]) for name in CSV_HEADER])
    sold = sum(row["sold"] for row in data["items"])
    fees = round(data["broker_fees"] + data["sales_tax"], 2)
    writer.writerow(["", "Total", sold, data["revenue"], data["cost"], fees, data["profit"]])
    return out.getvalue()


async def trading_csv(request: web.Request) -> web.Response:
    """GET /trading.csv: the page's item table with the same filters, as an attachment."""
    session = require_user(request)
    book = await read_book(request, session.account_id)
    suffix = f"-{book.character}" if book.character is not None else ""
    name = f"evetrader-profit-{book.start}-{book.end}{suffix}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"}
    return web.Response(text=profit_csv(book.data), content_type="text/csv", charset="utf-8", headers=headers)


def add_trading_pages(app: web.Application) -> None:
    """Register /trading, its chart and its CSV export (all for the signed-in account only)."""
    app.router.add_get("/trading", trading_page, name="trading")
    app.router.add_get("/trading/chart.png", trading_chart, name="trading_chart")
    app.router.add_get("/trading.csv", trading_csv, name="trading_csv")
