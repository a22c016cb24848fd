"""The market group tree and SDE categories in memory: fuzzy names, children with counts, type filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

__all__ = ["MarketGroup", "MarketTree", "UnknownGroup"]

ACCEPT = 88.0  # like items: a clear, close winner is taken; anything less gets "did you mean"
MARGIN = 4.0
CUTOFF = 60.0
TypeGroup = tuple[int, int | None, str]  # (type_id, market_group_id, SDE category name)


@dataclass(frozen=True)
class MarketGroup:
    """One market group: id, parent (None at the top), name and how many market types it holds below it."""

    market_group_id: int
    parent_id: int | None
    name: str
    type_count: int = 0


class UnknownGroup(LookupError):
    """No market group or category matched (or several groups share the name); `suggestions` holds close ones."""

    def __init__(self, kind: str, query: str, suggestions: Sequence[str] = (), *, ambiguous: bool = False) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        if ambiguous:
            message = f"several market groups are called {query!r}: name one as {' or '.join(self.suggestions)}"
        else:
            hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
            message = f"unknown {kind} {query!r}{hint}"
        super().__init__(message)


def _fold(name: str) -> str:
    return " ".join(name.split()).lower()


def _resolve(kind: str, query: str, names: dict[str, str]) -> str:
    """The folded name `query` means among `names` (folded -> shown): exact, singular/plural, the words of just
    one name, then fuzzily."""
    wanted = _fold(query)
    if wanted in names:
        return wanted
    for other in (wanted.removesuffix("s"), f"{wanted}s", wanted.removesuffix("es")):
        if other in names:
            return other
    processed = default_process(wanted)
    choices = {name: default_process(name) for name in names}
    holding = [name for name, words in choices.items() if f" {processed} " in f" {words} "]
    if len(holding) == 1:  # the words of one name only: "webifiers" -> Stasis Webifiers
        return holding[0]
    found = process.extract(processed, choices, scorer=fuzz.WRatio, processor=None, limit=5, score_cutoff=CUTOFF)
    if found:
        (_, best, key), runner_up = found[0], found[1][1] if len(found) > 1 else 0.0
        whole = fuzz.token_sort_ratio(processed, choices[key], processor=None)
        if best >= ACCEPT and best - runner_up >= MARGIN and whole >= 80.0:
            return str(key)
    raise UnknownGroup(kind, query, [names[str(key)] for _, _, key in found])


class _TreeIndex:
    """The tree's indexes: children, types per group and per category, groups with their counts, groups by name."""

    def __init__(self, groups: Iterable[tuple[int, int | None, str]], type_groups: Iterable[TypeGroup]) -> None:
        raw = {group_id: (parent, name) for group_id, parent, name in groups}
        self.children: dict[int | None, list[int]] = {}
        for group_id, (parent, _) in raw.items():
            self.children.setdefault(parent if parent in raw else None, []).append(group_id)
        self.types_in: dict[int, list[int]] = {}
        self.categories: dict[str, str] = {}
        self.by_category: dict[str, list[int]] = {}
        for type_id, placed_in, category in type_groups:
            if placed_in is not None:
                self.types_in.setdefault(placed_in, []).append(type_id)
            if category:
                folded = _fold(category)
                self.categories.setdefault(folded, category)
                self.by_category.setdefault(folded, []).append(type_id)
        counts: dict[int, int] = {}
        for group_id in self._postorder(raw):
            below = sum(counts.get(child, 0) for child in self.children.get(group_id, ()))
            counts[group_id] = below + len(self.types_in.get(group_id, ()))
        self.groups = {
            group_id: MarketGroup(group_id, parent if parent in raw else None, name, counts[group_id])
            for group_id, (parent, name) in raw.items()
        }
        self.named: dict[str, list[int]] = {}
        for group in self.groups.values():
            self.named.setdefault(_fold(group.name), []).append(group.market_group_id)
        self.shown = {folded: self.groups[ids[0]].name for folded, ids in self.named.items()}

    def _postorder(self, raw: dict[int, tuple[int | None, str]]) -> list[int]:
        """Group ids with every child before its parent (iterative: the tree is a few levels deep, 2,000 wide)."""
        order: list[int] = []
        stack = [(group_id, False) for group_id in self.children.get(None, ())]
        seen: set[int] = set()
        while stack:
            group_id, expanded = stack.pop()
            if expanded:
                order.append(group_id)
            elif group_id not in seen:
                seen.add(group_id)
                stack.append((group_id, True))
                stack.extend((child, False) for child in self.children.get(group_id, ()))
        order.extend(group_id for group_id in raw if group_id not in seen)  # a parent loop: counted alone
        return order


class MarketTree:
    """Market groups (id, parent, name) and each market type's group and category, indexed for /browse and filters
    on first use (a process that never browses or filters never builds the indexes)."""

    def __init__(
        self,
        groups: Iterable[tuple[int, int | None, str]] = (),
        type_groups: Iterable[TypeGroup] = (),
    ) -> None:
        self._rows = (list(groups), list(type_groups))

    @cached_property
    def _index(self) -> _TreeIndex:
        return _TreeIndex(*self._rows)

    def __len__(self) -> int:
        return len(self._index.groups)

    def roots(self) -> list[MarketGroup]:
        """The top-level groups, by name."""
        return self.children(None)

    def children(self, group_id: int | None) -> list[MarketGroup]:
        """The groups directly under `group_id` (None: the top), by name, empty ones left out."""
        found = [self._index.groups[child] for child in self._index.children.get(group_id, ())]
        return sorted((group for group in found if group.type_count), key=lambda group: group.name.lower())

    def types_in(self, group_id: int) -> list[int]:
        """The market types placed directly in this group."""
        return list(self._index.types_in.get(group_id, ()))

    def path(self, group_id: int) -> str:
        """ "Ships > Frigates > Standard Frigates": the group's names from the top."""
        names: list[str] = []
        current: int | None = group_id
        while current is not None and current in self._index.groups and len(names) < 20:
            names.append(self._index.groups[current].name)
            current = self._index.groups[current].parent_id
        return " > ".join(reversed(names))

    def group(self, query: str) -> MarketGroup:
        """The group a name or a path ("ships > frigates") means; UnknownGroup with suggestions otherwise."""
        parts = [part for part in query.replace("/", ">").split(">") if part.strip()]
        if not parts:
            raise UnknownGroup("market group", query)
        candidates = self._index.named[_resolve("market group", parts[-1], self._index.shown)]
        for part in reversed(parts[:-1]):  # each earlier part must be some ancestor, in order
            wanted = _resolve("market group", part, self._index.shown)
            candidates = [group_id for group_id in candidates if wanted in self._ancestor_names(group_id)]
        useful = [group_id for group_id in candidates if self._index.groups[group_id].type_count] or candidates
        if len(useful) == 1:
            return self._index.groups[useful[0]]
        if not useful:
            raise UnknownGroup("market group", query)
        raise UnknownGroup("market group", query, sorted(repr(self.path(g)) for g in useful), ambiguous=True)

    def _ancestor_names(self, group_id: int) -> set[str]:
        return {_fold(name) for name in self.path(group_id).split(" > ")[:-1]}

    def category_types(self, query: str) -> frozenset[int]:
        """Every market type of the SDE category `query` names ("ships" -> Ship); UnknownGroup otherwise."""
        return frozenset(self._index.by_category[_resolve("category", query, self._index.categories)])

    def group_types(self, query: str) -> frozenset[int]:
        """Every market type below any group of that name (a path narrows it); UnknownGroup otherwise."""
        parts = [part for part in query.replace("/", ">").split(">") if part.strip()]
        if len(parts) > 1:
            roots = [self.group(query).market_group_id]
        else:
            roots = self._index.named[_resolve("market group", query, self._index.shown)] if parts else []
        if not roots:
            raise UnknownGroup("market group", query)
        found: set[int] = set()
        stack = list(roots)
        seen: set[int] = set()
        while stack:
            group_id = stack.pop()
            if group_id in seen:
                continue
            seen.add(group_id)
            found.update(self._index.types_in.get(group_id, ()))
            stack.extend(self._index.children.get(group_id, ()))
        return frozenset(found)
