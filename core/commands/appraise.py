"""/appraise: value anything a player pastes at a hub, and say exactly which lines could not be read."""

from __future__ import annotations

from core.appraisal.parse import size_problem
from core.catalog import Catalog, Location
from core.chat.model import Field, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.formatting import isk, units
from core.usecases.appraisal import SHOWN_ITEMS, Appraisal, appraisal_of
from core.usecases.market_data import on_console
from core.usecases.market_services import market_services, place_or_default

SOURCE_MARK = {"hub": "", "ccp_average": " *", "none": " ?", "blueprint_copy": " (copy)"}


async def appraise_paste(ctx: CommandContext, paste: str, where: Location | None = None) -> Reply:
    """/appraise: parse the paste, price every item at the hub, list the lines nobody could read."""
    services, place = market_services(ctx), place_or_default(ctx, where)
    if not isinstance(ctx.catalog, Catalog):
        raise RuntimeError("/appraise needs the catalog")
    return appraisal_reply(ctx, await appraisal_of(services, ctx.catalog, paste, place))


def appraisal_reply(ctx: CommandContext, result: Appraisal) -> Reply:
    """/appraise's reply: the totals, the first items as a table, the notes and the permalink."""
    title, text, data = result.title, result.text(on_console(ctx)), result.as_data()
    items, totals = result.items, result.totals
    if not items or result.no_market_data:
        return Reply(title=title, text=text, data=data, footer=result.footer)
    rows = [
        [f"{i.name}{SOURCE_MARK[i.price_source]}", units(i.quantity), isk(i.sell), isk(i.total_sell)]
        for i in items[:SHOWN_ITEMS]
    ]
    fields = [
        Field("Sell value", isk(totals.sell)),
        Field("Buy value", isk(totals.buy)),
        Field("Split", isk(totals.split)),
        Field("Volume", f"{totals.volume_m3:,.2f} m3"),
        Field("Items", f"{totals.quantity:,} in {len(items)} types"),
    ]
    if result.url is not None:
        fields.append(Field("Link", result.url))
    table = Table(["Item", "Qty", "Sell each", "Sell total"], rows, "lrrr")
    return Reply(title=title, text=text, fields=fields, tables=[table], data=data, footer=result.footer)


def paste_file_problem(filename: str, content_type: str | None, size: int | None, max_bytes: int) -> str | None:
    """Why a file sent as a paste is refused before downloading it (not a .txt of plain text, over the paste
    limit), or None; the same size message as a typed paste."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if not filename.lower().endswith(".txt") or media not in ("", "text/plain"):
        return "paste: send the paste as a .txt file (plain text), or paste it as text"
    if size is not None and (too_large := size_problem(size, max_bytes)) is not None:
        return f"paste: {too_large}"
    return None


def paste_of_file(data: bytes, max_bytes: int) -> str:
    """The text of a downloaded .txt paste; ArgumentError when it is over the paste limit or not UTF-8 text."""
    if (too_large := size_problem(len(data), max_bytes)) is not None:
        raise ArgumentError(f"paste: {too_large}")
    try:
        return data.decode("utf-8-sig")  # Windows editors start UTF-8 files with a byte order mark
    except UnicodeDecodeError:
        raise ArgumentError("paste: the file is not UTF-8 text") from None


def register_appraise_command(registry: Registry) -> None:
    """Add /appraise."""
    registry.command(
        "appraise",
        "Value a paste: cargo, contract, fit, killmail, loot, ledger...",
        Param("paste", "What you copied from the game", ParamKind.PASTE),
        Param(
            "where",
            "Hub to price at (default: your hub)",
            ParamKind.LOCATION,
            required=False,
            autocomplete="locations",
            positional=False,
        ),
        examples=["/appraise 100 Tritanium", "/appraise where=amarr <paste>"],
        slow=True,  # a 20,000-line paste takes a while
    )(appraise_paste)
