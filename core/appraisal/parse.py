"""Run the paste parsers in order over a paste; whatever no parser takes is reported with its line number."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from core.appraisal.model import ItemNames, Line, ParseResult, PasteParser, Unparsed

MAX_LINES = 5_000
MAX_CHARS = 300_000


class PasteTooLarge(ValueError):
    """A paste beyond what one appraisal reads; the message says the limit."""


def numbered_lines(text: str) -> list[Line]:
    """The paste's non-blank lines with 1-based numbers (CRLF, tabs and stray spaces tolerated)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Line(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]


_NUMBER = re.compile(r"^[x×]?[\d.,'\u00a0\u202f]+[x×]?$", re.IGNORECASE)


def _name_part(text: str) -> str:
    """What in an unreadable line could be a name: its first cell with letters, numbers and 'x' counts dropped."""
    cell = next((c for c in text.split("\t") if any(ch.isalpha() for ch in c)), "")
    return " ".join(word for word in cell.split() if not _NUMBER.match(word))


def parse_paste(
    text: str,
    names: ItemNames,
    parsers: Sequence[PasteParser],
    suggest: Callable[[str], Sequence[str]] | None = None,
) -> ParseResult:
    """Items from every format found in the paste, and the unreadable lines with a reason each."""
    if len(text) > MAX_CHARS:
        raise PasteTooLarge(f"paste too large: {len(text):,} characters (at most {MAX_CHARS:,})")
    lines = numbered_lines(text)
    if len(lines) > MAX_LINES:
        raise PasteTooLarge(f"paste too large: {len(lines):,} lines (at most {MAX_LINES:,})")
    result = ParseResult()
    rest: Sequence[Line] = lines
    for parser in parsers:
        if not rest:
            break
        items, rest = parser.parse(rest, names)
        if items:
            result.formats.append(parser.name)
            result.items.extend(items)
    for line in rest:
        name_part = _name_part(line.text)
        hints = list(suggest(name_part))[:3] if suggest and name_part else []
        reason = f"no item recognised; did you mean {', '.join(hints)}?" if hints else "no item recognised"
        result.unparsed.append(Unparsed(line.number, line.text, reason))
    result.items.sort(key=lambda item: item.line)
    return result
