"""Typed command parameters and turning named or raw-text arguments into typed values."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from core.catalog import CatalogItem, Location, UnknownItem
from core.market.hubs import UnknownLocation

_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d[\d_]*(?:\.\d+)?|\.\d+)\s*([kmbt]?)(?:\s*isk)?", re.I)
_SCALE = {"": 1, "k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
# A name= value may be quoted with double, single or typographic quotes (phones type “ ” ‘ ’); elsewhere only double
# quotes group words: EVE names contain single quotes ("Frostline 'Omnivore' Harvester ...").
_TOKEN = re.compile(
    r"""(?P<name>[A-Za-z][\w-]*)=(?:"(?P<v1>[^"]*)"|'(?P<v2>[^']*)'|[“”](?P<v3>[^“”]*)[“”]|[‘’](?P<v4>[^‘’]*)[‘’])(?=\s|$)"""
    r'|"(?P<q1>[^"]*)"|“(?P<q2>[^“”]*)”|(?P<word>\S+)'
)
_QUOTES = "\"'“”‘’"
MAX_CANDIDATES = 256


class ParamKind(StrEnum):
    """What a parameter holds, and so how its text is converted."""

    STRING = "string"
    INT = "int"
    FLOAT = "float"
    CHOICE = "choice"
    ITEM = "item"
    LOCATION = "location"
    PASTE = "paste"


GREEDY = frozenset({ParamKind.ITEM, ParamKind.LOCATION})
REST_OF_LINE = frozenset({ParamKind.STRING, ParamKind.PASTE})


class Resolver(Protocol):
    """What item and location parameters resolve against (core.catalog.Catalog)."""

    def item(self, query: str, *, fuzzy: bool = True) -> CatalogItem:
        """Resolve an item name or raise UnknownItem."""
        ...

    def location(self, query: str | None = None, *, fuzzy: bool = True) -> Location:
        """Resolve a location name or raise UnknownLocation."""
        ...


@dataclass(frozen=True)
class Param:
    """One command parameter; `autocomplete` names a completion source ("items", "locations", ...)."""

    name: str
    description: str
    kind: ParamKind = ParamKind.STRING
    required: bool = True
    default: object = None
    choices: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    autocomplete: str | None = None
    positional: bool = True  # False: in raw text only as name=value (rarely used options after the common ones)

    @property
    def kwarg(self) -> str:
        """The handler keyword argument this parameter is passed as."""
        return self.name.replace("-", "_")

    @property
    def token(self) -> str:
        """The parameter as written in a usage line: <name> or [name]."""
        if not self.positional:
            return f"[{self.name}=…]"
        return f"<{self.name}>" if self.required else f"[{self.name}]"


class ArgumentError(ValueError):
    """Arguments that do not fit the command's parameters; the message names the parameter."""


def parse_number(text: str) -> float:
    """Parse 1,000 / 1.5k / 2m / 3b / 1t (optionally followed by "isk"); raise ValueError otherwise."""
    match = _NUMBER.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a number")
    sign, digits, suffix = match.groups()
    value = float(digits.replace(",", "").replace("_", "")) * _SCALE[suffix.lower()]
    return -value if sign == "-" else value


def usage(path: str, params: Sequence[Param]) -> str:
    """The usage line of a command, e.g. "/price <item> [where]"."""
    return " ".join([f"/{path}", *(param.token for param in params)])


def convert(param: Param, text: str, resolver: Resolver | None, *, fuzzy: bool = True) -> object:
    """Convert one argument's text to the parameter's type, or raise ArgumentError naming the parameter."""
    text = text.strip()
    if not text:
        raise ArgumentError(f"{param.name}: a value is required")
    if param.kind in (ParamKind.STRING, ParamKind.PASTE):
        return text
    if param.kind is ParamKind.CHOICE:
        hits = [c for c in param.choices if c.lower() == text.lower()] or [
            c for c in param.choices if c.lower().startswith(text.lower())
        ]
        if len(hits) != 1:
            raise ArgumentError(f"{param.name}: {text!r} is not one of {', '.join(param.choices)}")
        return hits[0]
    if param.kind in (ParamKind.INT, ParamKind.FLOAT):
        return _number(param, text)
    if resolver is None:
        raise RuntimeError(f"parameter {param.name!r} needs a catalog to resolve {param.kind} values")
    try:
        if param.kind is ParamKind.ITEM:
            return resolver.item(text, fuzzy=fuzzy)
        return resolver.location(text, fuzzy=fuzzy)
    except (UnknownItem, UnknownLocation) as exc:
        raise ArgumentError(f"{param.name}: {exc}") from exc


def _number(param: Param, text: str) -> float | int:
    try:
        value = parse_number(text)
    except ValueError as exc:
        raise ArgumentError(f"{param.name}: {exc}") from exc
    if param.kind is ParamKind.INT and not value.is_integer():
        raise ArgumentError(f"{param.name}: {text!r} is not a whole number")
    low, high = param.min_value, param.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"between {low:g} and {high:g}" if low is not None and high is not None else ""
        bounds = bounds or (f"at least {low:g}" if low is not None else f"at most {high:g}")
        raise ArgumentError(f"{param.name}: must be {bounds} (got {text})")
    return int(value) if param.kind is ParamKind.INT else value


def parse_named(params: Sequence[Param], args: Mapping[str, str], resolver: Resolver | None) -> dict[str, object]:
    """Typed keyword arguments from named options (Discord); missing optional ones get their default."""
    known = {param.name for param in params}
    unknown = sorted(set(args) - known)
    if unknown:
        raise ArgumentError(f"unknown option {unknown[0]!r}")
    values: dict[str, object] = {}
    for param in params:
        if args.get(param.name, "").strip():
            values[param.kwarg] = convert(param, args[param.name], resolver)
        elif param.required:
            raise ArgumentError(f"missing {param.token}")
        else:
            values[param.kwarg] = param.default
    return values


@dataclass(frozen=True)
class _Token:
    text: str  # the word, a quoted phrase without its quotes, or a whole name=value
    start: int
    end: int
    name: str | None = None  # name=value: the name as typed
    value: str = ""  # name=value: the value, without its quotes
    quoted: bool = False  # the value (or the phrase) was in quotes


def tokenize(raw: str) -> list[_Token]:
    """Split raw argument text on whitespace, keeping "quoted strings" as one token (single quotes are literal),
    and name="quoted value" (also 'single' or typographic quotes) as one name=value token."""
    tokens = []
    for match in _TOKEN.finditer(raw):
        found = {key: text for key, text in match.groupdict().items() if text is not None}
        text = raw[match.start() : match.end()]
        if "name" in found:
            value = next(found[key] for key in ("v1", "v2", "v3", "v4") if key in found)
            tokens.append(_Token(text, match.start(), match.end(), found["name"], value, quoted=True))
        elif "word" in found:
            key, eq, value = text.partition("=")
            named = bool(eq and value and key[:1].isalpha())
            tokens.append(_Token(text, match.start(), match.end(), key if named else None, value if named else ""))
        else:
            phrase = found.get("q1", found.get("q2", ""))
            tokens.append(_Token(phrase, match.start(), match.end(), quoted=True))
    return tokens


def parse_raw(params: Sequence[Param], raw: str, resolver: Resolver | None) -> dict[str, object]:
    """Typed keyword arguments from raw text ("/price large skill injector amarr"): multi-word values allowed.

    A name=value is one word, or a quoted phrase (name="combat drones", also 'single' or “typographic” quotes).
    When that reading does not fit the parameters, an unquoted name= value runs on over the words after it, up
    to the next name= or the end ("/trade station jita group=combat drones"); the first reading's error stands
    when neither fits."""
    tokens = tokenize(raw)
    named = {p.name: p for p in params}
    try:
        return _parse_tokens(params, named, tokens, raw, resolver)
    except ArgumentError as first:
        longer = _run_on(named, tokens)
        if longer is None:
            raise
        try:
            return _parse_tokens(params, named, longer, raw, resolver)
        except ArgumentError:
            raise first from first.__cause__  # the one-word reading's error names what the caller typed


@dataclass(frozen=True)
class Reading:
    """How parse_raw reads a text that may lack values: the required positional parameters it leaves out, in order,
    and the text with any name= value that ran on over several words quoted, so values added after it stay apart."""

    missing: tuple[Param, ...]
    raw: str


def runs_on(params: Sequence[Param], raw: str) -> bool:
    """Whether an unquoted name= value in `raw` could run on over the words after it (parse_raw's second reading)."""
    return _run_on({p.name: p for p in params}, tokenize(raw)) is not None


def missing_values(params: Sequence[Param], raw: str, resolver: Resolver | None) -> Reading:
    """The required positional parameters `raw` leaves out as parse_raw reads it: the one-word reading of name=
    values unless what it gives does not convert, then the run-on one (without a resolver: the one-word reading,
    its values unchecked). Nothing is missing when the text parses, or fails for another reason than a missing value
    (the command then says so)."""
    named = {p.name: p for p in params}
    tokens = tokenize(raw)
    longer = _run_on(named, tokens) if resolver is not None else None
    for reading in (tokens, *([longer] if longer is not None else [])):
        given = {t.name.lower() for t in reading if t.name is not None and t.name.lower() in named}
        positional = sum(1 for t in reading if not _known(t, named))
        missing = tuple([p for p in params if p.required and p.positional and p.name not in given][positional:])
        if resolver is not None:
            try:
                _parse_tokens([p for p in params if p not in missing], named, reading, raw, resolver)
            except ArgumentError:
                continue
        if reading is tokens:
            return Reading(missing, raw)
        return Reading(missing, " ".join(_quoted(t) for t in reading))
    return Reading((), raw)


def _quoted(token: _Token) -> str:
    """A token as text that reads back the same: a name= value of several words, or a phrase, in double quotes."""
    if token.name is not None and not token.quoted and " " in token.value and '"' not in token.value:
        return f'{token.name}="{token.value}"'
    return f'"{token.text}"' if token.name is None and token.quoted else token.text


def _run_on(named: Mapping[str, Param], tokens: list[_Token]) -> list[_Token] | None:
    """The tokens with each unquoted name=value joined to the plain words after it (None: nothing to join)."""
    joined: list[_Token] = []
    for token in tokens:
        previous = joined[-1] if joined else None
        if previous is not None and _known(previous, named) and not previous.quoted and not _known(token, named):
            value = f"{previous.value} {token.text}"
            joined[-1] = _Token(f"{previous.name}={value}", previous.start, token.end, previous.name, value)
        else:
            joined.append(token)
    return joined if len(joined) < len(tokens) else None


def _known(token: _Token, named: Mapping[str, Param]) -> bool:
    """Whether the token is name=value for one of the command's parameters."""
    return token.name is not None and token.name.lower() in named


def _parse_tokens(
    params: Sequence[Param], named: Mapping[str, Param], tokens: list[_Token], raw: str, resolver: Resolver | None
) -> dict[str, object]:
    given = {}
    tokens = list(tokens)
    for token in list(tokens):
        param = named.get(token.name.lower()) if token.name is not None else None
        if param is None:
            continue
        if not token.quoted and token.value[:1] in _QUOTES:
            raise ArgumentError(f'{param.name}: close the quotes around the value ({param.name}="two words")')
        given[param.kwarg] = convert(param, token.value, resolver)
        tokens.remove(token)
    positional = [p for p in params if p.kwarg not in given and p.positional]
    splits = list(_splits(positional, len(tokens)))[:MAX_CANDIDATES]
    if not splits:
        if not positional and tokens:
            raise ArgumentError(f"too many arguments: {tokens[0].text!r}")
        missing = [p for p in positional if p.required]
        if len(tokens) < len(missing):
            raise ArgumentError(f"missing {missing[len(tokens)].token}")
        raise ArgumentError(f"too many arguments: {' '.join(t.text for t in tokens[len(positional) :])!r}")
    failures: list[tuple[ArgumentError, Param]] = []
    furthest: tuple[int, _Failed] | None = None  # exact pass: the failure after the most exact matches
    for fuzzy in (False, True):
        for split in splits if not fuzzy else reversed(splits):
            try:
                return given | _assign(positional, split, tokens, raw, resolver, fuzzy)
            except _Failed as failed:
                if fuzzy:
                    failures.append((failed.error, failed.param))
                elif furthest is None or positional.index(failed.param) > furthest[0]:
                    furthest = (positional.index(failed.param), failed)
    failures.reverse()
    if (
        furthest is not None
        and furthest[0] > 0
        and furthest[1].param.kind is ParamKind.LOCATION
        and not _reads_as_one_item(failures[0][0], raw)
    ):
        raise furthest[1].error  # "/price tritanium narnia": blame the place, not "unknown item 'tritanium narnia'"
    single = [error for error, param in failures if param.kind not in GREEDY]
    raise single[0] if single else failures[0][0]


def _reads_as_one_item(error: ArgumentError, raw: str) -> bool:
    """Whether the whole text looks like the start of an item name ("mega pulse laser" -> Mega Pulse Laser II)."""
    cause = error.__cause__
    typed = " ".join(raw.split()).lower()
    return isinstance(cause, UnknownItem) and any(name.lower().startswith(typed) for name in cause.suggestions)


class _Failed(Exception):
    def __init__(self, error: ArgumentError, param: Param) -> None:
        self.error, self.param = error, param


def _splits(params: Sequence[Param], count: int) -> Iterator[tuple[int, ...]]:
    """Token counts per parameter summing to `count`, earlier parameters longest first."""
    if not params:
        if count == 0:
            yield ()
        return
    first, rest = params[0], params[1:]
    high = count if first.kind in GREEDY or (first.kind in REST_OF_LINE and not rest) else min(count, 1)
    for size in range(high, -1 if not first.required else 0, -1):
        for tail in _splits(rest, count - size):
            yield (size, *tail)


def _assign(
    params: Sequence[Param],
    split: tuple[int, ...],
    tokens: list[_Token],
    raw: str,
    resolver: Resolver | None,
    fuzzy: bool,
) -> dict[str, object]:
    values: dict[str, object] = {}
    position = 0
    for index, (param, size) in enumerate(zip(params, split, strict=True)):
        if size == 0:
            values[param.kwarg] = param.default
            continue
        part = tokens[position : position + size]
        position += size
        last = index == len(params) - 1 or not any(split[index + 1 :])
        if last and param.kind in (ParamKind.PASTE, ParamKind.STRING) and not (size == 1 and part[0].quoted):
            text = raw[part[0].start : part[-1].end]
        else:
            text = " ".join(token.text for token in part)
        try:
            values[param.kwarg] = convert(param, text, resolver, fuzzy=fuzzy)
        except ArgumentError as error:
            raise _Failed(error, param) from error
    return values
