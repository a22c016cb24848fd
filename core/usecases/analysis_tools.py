"""The read-only market tools the model may call, their JSON Schemas, argument checks and execution through core."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from core.analysis.provider import ToolCall, ToolResult, ToolSpec
from core.catalog import Catalog, UnknownItem
from core.chat.model import Footer, SourceAge
from core.chat.params import ArgumentError
from core.chat.registry import CommandContext
from core.market.hubs import UnknownLocation
from core.usecases.analysis_facts import history_region_of, item_facts
from core.usecases.appraisal import appraisal_of
from core.usecases.compare import compare_hubs
from core.usecases.market_data import on_console
from core.usecases.market_services import market_services, place_or_default, station_of
from core.usecases.prices import price_quote
from core.usecases.trade import SkillOverrides, haul_scan, station_scan

logger = logging.getLogger(__name__)
MAX_RESULT_CHARS = 6000
_ITEM = {"type": "string", "minLength": 1, "maxLength": 100, "description": "item name, e.g. Tritanium, PLEX"}
_PLACE = {"type": "string", "minLength": 1, "maxLength": 100, "description": "hub, station or system, e.g. Jita"}
_RESULTS = {"type": "integer", "minimum": 1, "maximum": 10}


def _schema(required: list[str], **properties: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


TOOL_SPECS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "price",
        "Best sell/buy, volumes, depth and percentiles of an item at a place",
        _schema(["item"], item=_ITEM, where=_PLACE),
    ),
    ToolSpec("compare_hubs", "An item's best sell and buy at the five trade hubs", _schema(["item"], item=_ITEM)),
    ToolSpec(
        "history_stats",
        "30-day history stats (medians, trend, volatility, volume) plus quotes and fees of an item at a place",
        _schema(["item"], item=_ITEM, where=_PLACE),
    ),
    ToolSpec(
        "station_scan",
        "Station-trading candidates at a hub after fees",
        _schema(
            ["hub"], hub=_PLACE, min_margin_pct={"type": "number", "minimum": 0, "maximum": 1000}, results=_RESULTS
        ),
    ),
    ToolSpec(
        "haul_scan",
        "Profitable hauls from one hub to another within cargo (m3) and budget (ISK), after sales tax",
        _schema(
            ["source", "destination"],
            source=_PLACE,
            destination=_PLACE,
            cargo_m3={"type": "number", "minimum": 1, "maximum": 1e7},
            budget_isk={"type": "number", "minimum": 1, "maximum": 1e13},
            mode={"type": "string", "enum": ["immediate", "order"]},
            results=_RESULTS,
        ),
    ),
    ToolSpec(
        "appraise",
        "Value a list of items (one 'quantity name' per line) at a hub",
        _schema(["items"], items={"type": "string", "minLength": 1, "maxLength": 20000}, where=_PLACE),
    ),
)
_BY_NAME = {spec.name: spec for spec in TOOL_SPECS}


def check_arguments(schema: Mapping[str, Any], arguments: Mapping[str, Any]) -> str | None:
    """Why `arguments` break the (flat object) schema, or None when they fit."""
    properties: Mapping[str, Mapping[str, Any]] = schema.get("properties", {})
    if not isinstance(arguments, Mapping):
        return "arguments must be an object"
    unknown = sorted(set(arguments) - set(properties))
    if unknown and schema.get("additionalProperties") is False:
        return f"unknown argument {unknown[0]!r}"
    missing = [name for name in schema.get("required", []) if name not in arguments]
    if missing:
        return f"missing argument {missing[0]!r}"
    for name, value in arguments.items():
        problem = _check_value(properties.get(name, {}), value)
        if problem:
            return f"{name}: {problem}"
    return None


def _check_value(rule: Mapping[str, Any], value: Any) -> str | None:
    kind = rule.get("type")
    if kind == "string":
        if not isinstance(value, str):
            return "must be a string"
        if not rule.get("minLength", 0) <= len(value) <= rule.get("maxLength", 10**9):
            return f"length must be {rule.get('minLength', 0)}-{rule.get('maxLength')}"
    elif kind in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return f"must be a {kind}"
        if kind == "integer" and not float(value).is_integer():
            return "must be a whole number"
        if value < rule.get("minimum", -float("inf")) or value > rule.get("maximum", float("inf")):
            return f"must be within {rule.get('minimum')}..{rule.get('maximum')}"
    if "enum" in rule and value not in rule["enum"]:
        return f"must be one of {', '.join(map(str, rule['enum']))}"
    return None


class MarketTools:
    """Runs the model's tool calls against core for one request; never raises, errors become is_error results."""

    specs: tuple[ToolSpec, ...] = TOOL_SPECS

    def __init__(self, ctx: CommandContext) -> None:
        self._ctx = ctx
        self._sources: dict[tuple[str | None, int | None, str], SourceAge] = {}

    @property
    def sources(self) -> list[SourceAge]:
        """What the calls run so far read, each source once (its first age), for the reply's footer."""
        return list(self._sources.values())

    def _read(self, footer: Footer) -> None:
        for source in footer.sources:
            self._sources.setdefault((source.kind, source.id, source.name), source)

    async def run(self, call: ToolCall, timeout_s: float) -> ToolResult:
        """Validate and run one call within `timeout_s`; unknown tools and bad arguments are refused."""
        spec = _BY_NAME.get(call.name)
        if spec is None:
            return ToolResult(call.id, f"unknown tool {call.name!r}; available: {', '.join(_BY_NAME)}", True)
        problem = check_arguments(spec.parameters, call.arguments)
        if problem:
            return ToolResult(call.id, f"invalid arguments for {call.name}: {problem}", True)
        try:
            async with asyncio.timeout(max(0.01, timeout_s)):
                data = await self._handlers()[call.name](dict(call.arguments))
        except (UnknownItem, UnknownLocation, ArgumentError) as exc:
            return ToolResult(call.id, str(exc), True)
        except TimeoutError:
            return ToolResult(call.id, f"{call.name} timed out", True)
        except Exception:
            logger.exception("analyst tool %s failed", call.name)
            return ToolResult(call.id, f"{call.name} failed on our side", True)
        text = json.dumps(data, default=str)
        return ToolResult(call.id, text if len(text) <= MAX_RESULT_CHARS else text[:MAX_RESULT_CHARS] + "…(truncated)")

    def _handlers(self) -> dict[str, Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]]:
        return {
            "price": self._price,
            "compare_hubs": self._compare,
            "history_stats": self._history,
            "station_scan": self._station,
            "haul_scan": self._haul,
            "appraise": self._appraise,
        }

    def _item(self, name: str) -> Any:
        if self._ctx.catalog is None:
            raise ArgumentError("no catalog")
        return self._ctx.catalog.item(name)

    def _place(self, name: str | None) -> Any:
        return self._ctx.catalog.location(name) if name and self._ctx.catalog else place_or_default(self._ctx, None)

    async def _price(self, args: dict[str, Any]) -> dict[str, Any]:
        result = await price_quote(market_services(self._ctx), self._item(args["item"]), self._place(args.get("where")))
        return self._reply(result.title, result.as_data(), result.footer, result.text(on_console(self._ctx)))

    async def _compare(self, args: dict[str, Any]) -> dict[str, Any]:
        result = await compare_hubs(market_services(self._ctx), self._item(args["item"]))
        return self._reply(result.title, result.as_data(), result.footer, result.text(on_console(self._ctx)))

    async def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        services = market_services(self._ctx)
        item, place = self._item(args["item"]), self._place(args.get("where"))
        facts = await item_facts(services, item, place, services.skills)
        read = await services.market_sources([(facts.region_id, facts.snapshot_at)], history_region_of(item, place))
        self._read(services.footer(facts.snapshot_at, read))
        return facts.as_dict()

    async def _station(self, args: dict[str, Any]) -> dict[str, Any]:
        scan = await station_scan(
            market_services(self._ctx),
            getattr(self._ctx.catalog, "by_id", None),
            self._place(args["hub"]),
            min_margin=args.get("min_margin_pct", 5.0),
            max_margin=100.0,
            min_volume=0.0,
            results=args.get("results", 5),
            skills=SkillOverrides(),
            allowed=None,
        )
        return self._reply(scan.title, scan.as_data(), scan.footer)

    async def _haul(self, args: dict[str, Any]) -> dict[str, Any]:
        source, destination = self._place(args["source"]), self._place(args["destination"])
        if station_of(source)[1] == station_of(destination)[1]:
            raise ArgumentError("source and destination are the same place")
        scan = await haul_scan(
            market_services(self._ctx),
            getattr(self._ctx.catalog, "by_id", None),
            source,
            destination,
            cargo=float(args.get("cargo_m3", 10_000.0)),
            budget=float(args.get("budget_isk", 1e9)),
            mode=args.get("mode", "immediate"),
            results=args.get("results", 5),
            skills=SkillOverrides(),
            allowed=None,
        )
        return self._reply(scan.title, scan.as_data(), scan.footer)

    async def _appraise(self, args: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(self._ctx.catalog, Catalog):
            raise ArgumentError("no catalog")
        place = self._place(args.get("where"))
        result = await appraisal_of(market_services(self._ctx), self._ctx.catalog, args["items"], place)
        return self._reply(result.title, result.as_data(), result.footer, result.text(on_console(self._ctx)))

    def _reply(self, title: str, data: dict[str, Any], footer: Footer, note: str | None = None) -> dict[str, Any]:
        """A use case's result as tool output (its title, its note when it has one, its data and the snapshot time),
        its sources noted for the footer."""
        self._read(footer)
        as_of = footer.as_of.isoformat() if footer.as_of else None
        return {"title": title, "data": data, "as_of": as_of} | ({} if note is None else {"note": note})
