"""Registry: Discord's application-command rules are enforced when a command is added."""

from __future__ import annotations

import pytest

from core.chat import Command, CommandContext, Param, ParamKind, Registry, RegistryError, Reply
from core.chat.registry import help_reply


async def handler(ctx: CommandContext, **values: object) -> Reply:
    return Reply(text="ok")


def cmd(name: str = "price", description: str = "Prices", params: list[Param] | None = None) -> Command:
    return Command(name, description, params or [], handler)


def test_add_get_commands():
    registry = Registry()
    registry.add(cmd(params=[Param("item", "Item", ParamKind.ITEM)]))
    assert registry.get("/Price") is registry.get("price")
    assert [c.name for c in registry.commands()] == ["help", "price"]
    assert registry.get("nope") is None
    assert registry.commands()[1].usage == "/price <item>"


def test_decorator_and_groups():
    registry = Registry(builtin_help=False)
    registry.group("trade", "Trade finders")

    @registry.command("trade station", "Station trading", Param("where", "Hub", ParamKind.LOCATION, required=False))
    async def station(ctx: CommandContext, where: object = None) -> Reply:
        return Reply()

    registry.add(Command("trade haul", "Hauling routes", [], handler))
    assert registry.groups() == {"trade": "Trade finders"}
    assert [c.name for c in registry.subcommands("trade")] == ["trade haul", "trade station"]
    assert registry.subcommands("trade")[1].group == "trade"
    registry.add(Command("alerts list", "List alerts", [], handler))
    assert registry.groups()["alerts"] == "Alerts commands"
    with pytest.raises(RegistryError, match="already a group"):
        registry.add(cmd("trade"))
    with pytest.raises(RegistryError, match="one level"):
        registry.add(cmd("trade haul fast"))


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (cmd("Price"), "must match"),
        (cmd("p" * 33), "must match"),
        (cmd("price!"), "must match"),
        (cmd(description=""), "description must be 1-100"),
        (cmd(description="x" * 101), "description must be 1-100"),
        (cmd(params=[Param(f"p{i}", "x", required=False) for i in range(26)]), "26 options > 25"),
        (cmd(params=[Param("a", "x", required=False), Param("b", "x")]), "required option 'b' follows"),
        (cmd(params=[Param("a", "x"), Param("a", "y")]), "unique"),
        (cmd(params=[Param("Item", "x")]), "option name 'Item'"),
        (cmd(params=[Param("a", "d" * 101)]), "description must be 1-100"),
        (cmd(params=[Param("a", "x", ParamKind.CHOICE)]), "1-25 unique choices"),
        (cmd(params=[Param("a", "x", ParamKind.CHOICE, choices=tuple(map(str, range(26))))]), "1-25 unique choices"),
        (cmd(params=[Param("a", "x", ParamKind.CHOICE, choices=("b",), autocomplete="x")]), "both choices"),
        (cmd(params=[Param("a", "x", choices=("b",))]), "kind=choice"),
        (cmd(params=[Param("a", "x", ParamKind.INT, min_value=5, max_value=1)]), "min_value > max_value"),
        (cmd(params=[Param("a", "x", default=3)]), "cannot have a default"),
        (Command("price", "x", [], lambda ctx: Reply()), "async"),  # type: ignore[arg-type, return-value]
    ],
)
def test_rule_violations(command: Command, message: str):
    with pytest.raises(RegistryError, match=message):
        Registry().add(command)


def test_handler_signature_and_duplicates():
    async def narrow(ctx: CommandContext, item: object) -> Reply:
        return Reply()

    registry = Registry()
    with pytest.raises(RegistryError, match="does not accept where"):
        registry.add(Command("price", "x", [Param("item", "x"), Param("where", "x", required=False)], narrow))
    registry.add(cmd())
    with pytest.raises(RegistryError, match="already registered"):
        registry.add(cmd())
    with pytest.raises(RegistryError, match="already registered"):
        registry.add(cmd("help"))


def test_limits_on_totals():
    registry = Registry(builtin_help=False)
    for i in range(100):
        registry.add(cmd(f"c{i}"))
    with pytest.raises(RegistryError, match="at most 100 top-level"):
        registry.add(cmd("c100"))
    registry = Registry(builtin_help=False)
    for i in range(25):
        registry.add(cmd(f"g s{i}"))
    with pytest.raises(RegistryError, match="25 subcommands"):
        registry.add(cmd("g s25"))
    big = [
        Param(f"p{i}", "d" * 100, ParamKind.CHOICE, required=False, choices=tuple(f"{i}-{n:02}" * 4 for n in range(25)))
        for i in range(5)
    ]
    with pytest.raises(RegistryError, match="> 4000"):
        Registry().add(cmd(params=big))


def test_help_says_how_to_type_a_named_value_of_several_words():
    registry = Registry()
    registry.add(cmd(params=[Param("item", "Item", ParamKind.ITEM), Param("group", "Group", positional=False)]))
    registry.add(cmd("compare", params=[Param("item", "Item", ParamKind.ITEM)]))
    fields = {f.name: f.value for f in help_reply(registry, "price").fields}
    assert fields["name=…"].startswith('A value of several words goes in quotes (group="combat drones")')
    assert "name=…" not in {f.name for f in help_reply(registry, "compare").fields}  # no name= option to explain


def recording_family(registry: Registry, loaded: list[str], name: str, *commands: str) -> None:
    """Declare a family adding `commands` (their top-level names declared) that records its registration."""

    def register(target: Registry) -> None:
        loaded.append(name)
        for command in commands:
            target.add(cmd(command))

    registry.family({command.split()[0] for command in commands}, register)


def test_a_family_registers_at_the_first_lookup_of_one_of_its_names():
    registry, loaded = Registry(builtin_help=False), list[str]()
    recording_family(registry, loaded, "prices", "price", "compare")
    recording_family(registry, loaded, "routes", "route")
    assert loaded == []
    assert registry.get("/Price") is registry.get("price") is not None
    assert registry.get("compare") is not None
    assert loaded == ["prices"]  # the route family's module is not imported for a price lookup
    assert [c.name for c in registry.commands()] == ["compare", "price", "route"]
    assert loaded == ["prices", "routes"]


def test_families_adding_to_one_group_register_together_in_declaration_order():
    registry, loaded = Registry(builtin_help=False), list[str]()

    def declare_group(target: Registry) -> None:
        loaded.append("structures")
        target.group("market", "Structure markets")
        target.add(cmd("market add"))

    registry.family({"market"}, declare_group)
    recording_family(registry, loaded, "windows", "market open", "windows")
    recording_family(registry, loaded, "other", "other")
    assert registry.get("windows") is not None  # shares "market" with the group's declaring family
    assert loaded == ["structures", "windows"]
    assert registry.groups()["market"] == "Structure markets"
    assert [c.name for c in registry.subcommands("market")] == ["market add", "market open"]


def test_listing_suggesting_and_unknown_names_see_every_family():
    registry, loaded = Registry(builtin_help=False), list[str]()
    recording_family(registry, loaded, "prices", "price")
    assert registry.get("nope") is None and loaded == []
    assert registry.suggest("pric") == ["price"]
    assert loaded == ["prices"]
