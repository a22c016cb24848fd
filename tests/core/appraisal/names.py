"""The in-memory ItemsByName every parser test uses, and the paste splitter that keeps blank lines."""

from __future__ import annotations

from collections.abc import Iterable

from core.appraisal.model import Line
from core.catalog import CatalogItem


class NameLookup:
    """Exact names, any case, whitespace folded (like Catalog.exact); optionally the first-word index too."""

    def __init__(self, items: Iterable[CatalogItem]) -> None:
        self._by_lower = {" ".join(item.name.split()).lower(): item for item in items}

    def exact(self, name: str) -> CatalogItem | None:
        """The item with exactly this name (any case, single spaces), or None."""
        return self._by_lower.get(" ".join(name.split()).lower())

    def __getitem__(self, name: str) -> CatalogItem:
        """The item with this name; KeyError for names the tests do not know."""
        found = self.exact(name)
        if found is None:
            raise KeyError(name)
        return found


class IndexedNameLookup(NameLookup):
    """A NameLookup that also answers `starts_name` (as Catalog does), so parsers may prune by first word."""

    def __init__(self, items: Iterable[CatalogItem]) -> None:
        super().__init__(items)
        self._first_words = {words[0] for lower in self._by_lower if (words := lower.split())}

    def starts_name(self, word: str) -> bool:
        """Whether some item name begins with this lower-case word."""
        return word in self._first_words


def items_of(rows: Iterable[tuple[int, str, str, float]]) -> list[CatalogItem]:
    """CatalogItems from (type id, name, group, volume) rows."""
    return [CatalogItem(type_id, name, group, volume) for type_id, name, group, volume in rows]


def lines_of(paste: str) -> list[Line]:
    """Numbered lines, 1-based, CR and surrounding whitespace removed; blank lines kept (parsers pass them on)."""
    return [Line(number, text.strip()) for number, text in enumerate(paste.split("\n"), start=1)]
