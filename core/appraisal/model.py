"""What the paste parsers exchange: numbered lines in, recognised items and left-over lines out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, overload, runtime_checkable

from core.catalog import CatalogItem

_T = TypeVar("_T")


class _once(Generic[_T]):
    """functools.cached_property without its first-read lock (Python 3.11): the value goes in the instance dict."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self._func = func
        self._name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _once[_T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> _once[_T] | _T:
        if instance is None:
            return self
        value = instance.__dict__[self._name] = self._func(instance)
        return value


@dataclass(frozen=True)
class Line:
    """One line of the paste: its 1-based number and its text (CR and surrounding whitespace removed)."""

    number: int
    text: str

    @_once
    def cells(self) -> tuple[str, ...]:
        """The tab-separated cells, each stripped: split once, however many parsers look."""
        return tuple([cell.strip() for cell in self.text.split("\t")])


@dataclass(frozen=True)
class ParsedItem:
    """An item a parser read from one line: resolved type, quantity, and what the line said about it."""

    item: CatalogItem
    quantity: int
    line: int
    blueprint_copy: bool = False
    runs: int | None = None
    section: str | None = None  # e.g. "dropped", "destroyed", "cargo", "drones", "fitted"


@dataclass(frozen=True)
class Unparsed:
    """A line nobody could read, with the reason shown to the player."""

    line: int
    text: str
    reason: str


@dataclass
class ParseResult:
    """Everything read from a paste: the formats that matched, the items, and the lines left over."""

    formats: list[str] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)


class ItemsByName(Protocol):
    """Resolves an exact item name, case-insensitively (core.catalog.Catalog satisfies it via `exact`)."""

    def exact(self, name: str) -> CatalogItem | None:
        """The item with exactly this name (any case, single spaces), or None."""
        ...


@runtime_checkable
class FirstWords(Protocol):
    """Optional beside ItemsByName (Catalog has it): whether a word opens any name, so parsers skip hopeless spans."""

    def starts_name(self, word: str) -> bool:
        """True when some item name's first word, lower-cased, is `word`."""
        ...


class PasteParser(Protocol):
    """One paste format: takes the lines it understands and returns the rest untouched, in order."""

    name: str

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """(items read, lines not consumed). Items count only if their names are real (names.exact)."""
        ...
