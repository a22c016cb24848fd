"""The panel's Trading page: figures from the API's functions, filters, bad filters, the chart and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timedelta

from adapters.postgres.wallet import PgWalletStore
from core.trading.model import WalletTransaction
from core.trading.report import DailyProfit
from tests.web.helpers import sign_in
from tests.web.test_trading_api import NOW, trader
from web.keys import PROFIT_CHART
from web.trading_page import csv_cell

PNG = b"\x89PNG\r\n\x1a\n"


async def test_the_page_shows_the_book_per_character_and_period(client, pg_pool) -> None:
    account = await trader(pg_pool, 9201, 9202)
    assert (await client.get("/trading")).status == 401
    await sign_in(client, account)
    page = await client.get("/trading", params={"from": "", "to": "", "character_id": ""})  # the blank form
    html = await page.text()
    assert page.status == 200, html
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert '<a href="/trading" aria-current="page">Trading</a>' in html
    today, month = NOW.date().isoformat(), (NOW.date() - timedelta(days=29)).isoformat()
    assert f'value="{month}"' in html and f'value="{today}"' in html  # the default period, shown in the picker
    assert '<a href="/items/638">Raven</a>' in html and "<td>103.90M</td>" in html  # profit 3 × 35.3M - 2M tax
    assert '<th scope="col" aria-sort="descending">' in html and '<th scope="row">Tritanium</th>' in html
    assert "Wallet data: Pilot 9201&#39;s wallet <time datetime=" in html
    assert "min old</time>; Pilot 9202&#39;s wallet <time" in html
    assert f'src="/trading/chart.png?from={month}&amp;to={today}"' in html
    assert f'href="/trading.csv?from={month}&amp;to={today}"' in html
    assert '<label for="character_id">Character</label>' in html and ">Pilot 9202</option>" in html
    other = await (await client.get("/trading", params={"character_id": "9202"})).text()
    assert "No matched sales in this period." in other and "Raven" not in other
    assert '<option value="9202" selected>' in other
    by_name = await client.get("/trading", params={"sort": "name"})
    assert by_name.status == 200 and '<th scope="col" aria-sort="ascending">' in await by_name.text()


async def test_bad_filters_are_explained_on_the_page(client, pg_pool) -> None:
    mine = await trader(pg_pool, 9301)
    await trader(pg_pool, 9302)
    await sign_in(client, mine)
    for params, status, field, words in (
        ({"from": "2024-02-30"}, 422, "from", "from must be a date"),
        ({"from": "2024-05-02", "to": "2024-05-01"}, 422, "from", "The period ends before it starts."),
        ({"character_id": "abc"}, 422, "character_id", "character_id must be a positive whole number."),
        ({"character_id": "9302"}, 404, "character_id", "No such character on your account."),
        ({"sort": "price"}, 422, "sort", "Sort by one of name, sold"),
    ):
        response = await client.get("/trading", params=params)
        html = await response.text()
        assert response.status == status, (params, html)
        assert words in html and f'href="#{field}"' in html and "Raven" not in html, params
        assert "Pilot 9302" not in html  # only the account's own characters are offered
        for path in ("/trading/chart.png", "/trading.csv"):
            if "sort" not in params:
                assert (await client.get(path, params=params)).status == status, (path, params)


async def test_the_chart_is_the_profit_png_kept_privately(client, pg_pool) -> None:
    account = await trader(pg_pool, 9401)
    assert (await client.get("/trading/chart.png")).status == 401
    await sign_in(client, account)
    response = await client.get("/trading/chart.png", params={"character_id": "9401"})
    assert response.status == 200 and response.content_type == "image/png"
    assert (await response.read()).startswith(PNG)
    assert response.headers["Cache-Control"].startswith("private, max-age=")


async def test_the_chart_is_drawn_by_the_renderer_the_panel_was_handed(make_client, pg_pool) -> None:
    drawn: list[tuple[int, str]] = []

    async def profit_chart(days: Sequence[DailyProfit], *, title: str) -> bytes:
        drawn.append((len(days), title))
        return PNG + b"handed"

    client = await make_client(setup=lambda app: app.__setitem__(PROFIT_CHART, profit_chart))
    await sign_in(client, await trader(pg_pool, 9451))
    response = await client.get("/trading/chart.png", params={"character_id": "9451"})
    assert response.status == 200 and await response.read() == PNG + b"handed"
    assert len(drawn) == 1 and drawn[0][1].startswith("Realised profit ")


async def test_the_csv_has_one_row_per_item_a_total_and_no_formulas(client, pg_pool) -> None:
    account = await trader(pg_pool, 9501)
    assert (await client.get("/trading.csv")).status == 401
    await pg_pool.execute("INSERT INTO sde_types (type_id, name, group_id) VALUES (990001, '=1+2', 18)")
    await PgWalletStore(pg_pool).save_transactions(
        9501,
        [
            WalletTransaction(50, NOW - timedelta(days=2), 990001, 2, 100.0, True, 60003760, 0, 9501),
            WalletTransaction(51, NOW - timedelta(hours=3), 990001, 2, 40.0, False, 60003760, 0, 9501),
        ],
    )
    await sign_in(client, account)
    response = await client.get("/trading.csv", params={"from": "", "character_id": "9501"})
    assert response.status == 200, await response.text()
    assert response.content_type == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="evetrader-profit-') and disposition.endswith('-9501.csv"')
    rows = list(csv.reader(io.StringIO(await response.text())))
    assert rows[0] == ["type_id", "name", "sold", "revenue", "cost", "fees", "profit"]
    assert rows[1] == ["638", "Raven", "3", "555900000.0", "450000000.0", "2000000.0", "103900000.0"]
    assert rows[2] == ["990001", "'=1+2", "2", "80.0", "200.0", "0.0", "-120.0"]  # a loss stays a number
    assert rows[3] == ["", "Total", "5", "555900080.0", "450000200.0", "2000000.0", "103899880.0"]
    assert len(rows) == 4


def test_cells_that_look_like_formulas_are_quoted() -> None:
    for text in ("=SUM(A1)", "+1", "-1+2", "@cmd", "\t=1", "\r=1"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("Raven") == "Raven" and csv_cell(-5.0) == -5.0
