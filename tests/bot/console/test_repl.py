"""The console chat: one-shot lines, the stdin loop and tab-completion candidates, with an in-test registry."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bot.console.repl import ConsoleChat, console_caller
from core.catalog import Catalog, CatalogItem
from core.chat import Caller, CommandContext, Image, Param, ParamKind, Registry, Reply, Table
from core.chat.gateway import CommandGateway

PNG = b"\x89PNG\r\n\x1a\nfake"
ITEMS = [
    CatalogItem(34, "Tritanium", "Mineral", 0.01),
    CatalogItem(40520, "Large Skill Injector", "Skill Injectors", 0.01),
    CatalogItem(45635, "Large Skill Extractor", "Skill Injectors", 0.01),
]


def make_registry() -> Registry:
    registry = Registry()

    @registry.command("echo", "Say it back", Param("text", "What to say", ParamKind.STRING))
    async def echo(ctx: CommandContext, text: str) -> Reply:
        return Reply(text=f"{ctx.caller.platform}/{ctx.caller.is_dm}: {text}", data={"text": text})

    @registry.command("chart", "A table and an image")
    async def chart(ctx: CommandContext) -> Reply:
        table = Table(["Item", "Price"], [["Tritanium", "5.10"]], "lr")
        return Reply(title="Chart", tables=[table], images=[Image(PNG, "price chart", "trit.png")])

    @registry.command(
        "price",
        "Price an item",
        Param("item", "Item", ParamKind.ITEM, autocomplete="items"),
        Param("side", "Side", ParamKind.CHOICE, required=False, choices=("buy", "sell")),
    )
    async def price(ctx: CommandContext, item: CatalogItem, side: str | None = None) -> Reply:
        return Reply(text=f"{item.name} {side}")

    @registry.command("boom", "Always fails")
    async def boom(ctx: CommandContext) -> Reply:
        raise RuntimeError("kaboom")

    registry.group("trade", "Trade finders")

    @registry.command("trade station", "Station trading")
    async def station(ctx: CommandContext) -> Reply:
        return Reply(text="station")

    return registry


def gateway(context: CommandContext) -> CommandGateway:
    """The command gateway over the in-test registry, without accounts or a rate limit."""

    async def context_for(caller: Caller) -> CommandContext:
        return context

    return CommandGateway(make_registry(), context_for)


@pytest.fixture
def chat() -> ConsoleChat:
    catalog = Catalog(ITEMS)
    return ConsoleChat(gateway(CommandContext(catalog=catalog)), console_caller("pilot"), catalog)


async def test_run_one_echo_with_optional_slash(chat: ConsoleChat, tmp_path: Path):
    assert await chat.run_one("echo hello there", as_json=False, image_dir=tmp_path) == (0, "console/True: hello there")
    assert await chat.run_one("/echo hi", as_json=False, image_dir=tmp_path) == (0, "console/True: hi")


async def test_run_one_table_and_image(chat: ConsoleChat, tmp_path: Path):
    code, text = await chat.run_one("chart", as_json=False, image_dir=tmp_path / "img")
    saved = tmp_path / "img" / "trit.png"
    assert code == 0 and saved.read_bytes() == PNG
    assert text == f"Chart\n\nItem       Price\n---------  -----\nTritanium   5.10\n\nimage: {saved} (price chart)"


async def test_run_one_json(chat: ConsoleChat, tmp_path: Path):
    code, text = await chat.run_one("chart", as_json=True, image_dir=tmp_path)
    doc = orjson.loads(text)
    assert (
        code == 0
        and doc["title"] == "Chart"
        and doc["images"] == [{"path": str(tmp_path / "trit.png"), "alt": "price chart"}]
    )


async def test_bad_command_is_exit_code_one(chat: ConsoleChat, tmp_path: Path):
    code, text = await chat.run_one("ecko hi", as_json=False, image_dir=tmp_path)
    assert code == 1 and "did you mean /echo" in text and text.startswith("error: unknown command /ecko")
    code, text = await chat.run_one("price", as_json=True, image_dir=tmp_path)
    assert code == 1 and orjson.loads(text)["error"] == {"message": "missing <item>", "usage": "/price <item> [side]"}


async def test_crashing_command_is_an_error_without_traceback(chat: ConsoleChat, tmp_path: Path):
    code, text = await chat.run_one("boom", as_json=False, image_dir=tmp_path)
    assert code == 1 and text.startswith("error: Something went wrong running /boom. Incident id: ")
    assert "Traceback" not in text and "kaboom" not in text


async def test_repl_reads_stdin_until_eof(chat: ConsoleChat, tmp_path: Path):
    stdin, stdout = io.StringIO("echo one\n\n/price trit sell\n"), io.StringIO()
    assert await chat.repl(stdin, stdout, image_dir=tmp_path) == 0
    assert stdout.getvalue() == "console/True: one\nTritanium sell\n"


async def test_repl_stops_at_quit_and_returns_last_code(chat: ConsoleChat, tmp_path: Path):
    stdin, stdout = io.StringIO("nope\n/quit\necho never\n"), io.StringIO()
    assert await chat.repl(stdin, stdout, image_dir=tmp_path) == 1
    assert stdout.getvalue().startswith("error: unknown command /nope") and "never" not in stdout.getvalue()


def test_complete_command_names(chat: ConsoleChat):
    assert chat.candidates("") == ["boom", "chart", "echo", "exit", "help", "price", "quit", "trade"]
    assert chat.candidates("/pr") == ["/price"]
    assert chat.candidates("trade s") == ["station"]
    assert chat.candidates("help ") == ["boom", "chart", "echo", "help", "price", "trade station"]
    assert chat.candidates("help ec") == ["echo"]


def test_complete_item_names_across_words(chat: ConsoleChat):
    assert chat.candidates("price tri") == ["Tritanium"]
    assert chat.candidates("/price large skill e") == ["Extractor"]
    assert chat.candidates("price large sk") == ["Skill Extractor", "Skill Injector"]
    assert chat.candidates("price tritanium s") == ["sell"]
    assert chat.candidates("echo any") == []
    assert ConsoleChat(gateway(CommandContext())).candidates("price tri") == []
