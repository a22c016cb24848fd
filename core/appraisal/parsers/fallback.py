"""The last resort: find real item names anywhere in a line and take a number next to each as its quantity."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from core.appraisal.model import FirstWords, ItemsByName, Line, ParsedItem
from core.appraisal.parsers.listing import clean_name, token_quantity

_SPLIT = re.compile(r"[\s;|]+")
_EDGES = '.,:;-*()[]{}"=#'
_MAX_NAME_TOKENS = 10
_MAX_NUMBER_TOKENS = 4
_MAX_NICKNAME_TOKENS = 3
_QUOTES = ("'", "\u2018", "\u2019")
_TIMES = {"x", "×"}
_UNITS = {"m3", "m³", "isk", "%", "au", "km", "m"}  # a number before a unit is a volume, price or distance


def _reach(token: str, starts: Callable[[str], bool] | None) -> int:
    """How many tokens a name opening with `token` may span: any number, one (a one-word name) or none.

    Both trimmings `_hits` tries keep the token first (clean_name trims the end only, strip(_EDGES) its leading
    punctuation too); a token of punctuation only vanishes and lets the next word open the name: never ruled out.
    """
    if starts is None:
        return _MAX_NAME_TOKENS
    lower = token.lower()
    trimmed = lower.lstrip(_EDGES)
    if not trimmed or starts(lower) or starts(trimmed):
        return _MAX_NAME_TOKENS
    return 1 if starts(lower.rstrip("*:")) or starts(trimmed.rstrip(_EDGES)) else 0


def _after_nickname(tokens: list[str], start: int) -> bool:
    """Whether a quoted nickname ends right before tokens[start] ("'Gorget' Small Armor Repairer I"): the name of a
    named variant the names do not know, whose embedded base item must not be priced in its place."""
    if start == 0 or not tokens[start - 1].endswith(_QUOTES):
        return False
    opening = range(start - 1, max(-1, start - 1 - _MAX_NICKNAME_TOKENS), -1)
    return any(tokens[i].startswith(_QUOTES) and (i < start - 1 or len(tokens[i]) > 1) for i in opening)


def _number(tokens: list[str], start: int, stop: int) -> int | None:
    """The quantity written in tokens[start:stop], punctuation around it ignored ("1-", "(10)", "1,000,")."""
    if start < 0 or stop > len(tokens) or start >= stop:
        return None
    return token_quantity([token.strip(_EDGES) for token in tokens[start:stop]])


class HeuristicParser:
    """Any line containing real item names: the longest names first, at word boundaries, never overlapping.

    Each name takes the number right after it ("Procurer x 1- Ice Harvester II x 2") or, when the line
    starts with a number, right before it ("177887021 Tritanium"); otherwise the other side; else 1.
    Only names.exact hits count: a line without one is left in `rest`.
    """

    name = "heuristic"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """Read every line that holds at least one real item name; keep the others."""
        items: list[ParsedItem] = []
        rest: list[Line] = []
        starts = names.starts_name if isinstance(names, FirstWords) else None
        reaches: dict[str, int] = {}  # tokens recur across lines: each reach is worked out once per paste
        for line in lines:
            found = self._read(line, names, starts, reaches)
            if found:
                items.extend(found)
            else:
                rest.append(line)
        return items, rest

    def _read(
        self, line: Line, names: ItemsByName, starts: Callable[[str], bool] | None, reaches: dict[str, int]
    ) -> list[ParsedItem]:
        tokens = [token for token in _SPLIT.split(line.text.replace("\u00a0", " ")) if token]
        used = [False] * len(tokens)
        spans: list[tuple[int, int, ParsedItem]] = []
        for start, stop, found in self._hits(tokens, names, line.number, starts, reaches):
            if not any(used[start:stop]):
                used[start:stop] = [True] * (stop - start)
                spans.append((start, stop, found))
        if not spans:  # most lines a paste leaves to this parser name nothing
            return []
        after_first = _number(tokens, 0, 1) is None
        items: list[ParsedItem] = []
        for start, stop, found in sorted(spans, key=lambda span: span[0]):
            sides = (self._after, self._before) if after_first else (self._before, self._after)
            quantity = next((q for side in sides if (q := side(tokens, used, start, stop))), 1)
            items.append(ParsedItem(found.item, quantity, found.line))
        return items

    def _hits(
        self,
        tokens: list[str],
        names: ItemsByName,
        number: int,
        starts: Callable[[str], bool] | None,
        reaches: dict[str, int],
    ) -> list[tuple[int, int, ParsedItem]]:
        """Every span of tokens that is a real name (edge punctuation tolerated), longest first."""
        hits: list[tuple[int, int, ParsedItem]] = []
        for start, token in enumerate(tokens):
            reach = reaches.get(token)
            if reach is None:
                reach = reaches[token] = _reach(token, starts)
            if not reach:
                continue
            for stop in range(min(len(tokens), start + reach), start, -1):
                text = " ".join(tokens[start:stop])
                item = names.exact(clean_name(text)) or names.exact(text.strip(_EDGES))
                if item is not None and _number(tokens, start, stop) is None and not _after_nickname(tokens, start):
                    hits.append((start, stop, ParsedItem(item, 1, number)))
        return sorted(hits, key=lambda hit: (hit[0] - hit[1], hit[0]))

    def _after(self, tokens: list[str], used: list[bool], start: int, stop: int) -> int | None:
        """The number following the name, after an optional "x"; its tokens become used."""
        first = stop + 1 if stop < len(tokens) and tokens[stop].lower() in _TIMES else stop
        for size in range(_MAX_NUMBER_TOKENS, 0, -1):
            unit = first + size < len(tokens) and tokens[first + size].lower().strip(_EDGES) in _UNITS
            if not unit and not any(used[first : first + size]) and (quantity := _number(tokens, first, first + size)):
                used[first : first + size] = [True] * size
                return quantity
        return None

    def _before(self, tokens: list[str], used: list[bool], start: int, stop: int) -> int | None:
        """The number preceding the name, before an optional "x"; its tokens become used."""
        last = start - 1 if start > 0 and tokens[start - 1].lower() in _TIMES else start
        for size in range(_MAX_NUMBER_TOKENS, 0, -1):
            if not any(used[last - size : last]) and (quantity := _number(tokens, last - size, last)):
                used[last - size : last] = [True] * size
                return quantity
        return None
