"""Run the paste parsers in order over a paste; whatever no parser takes is reported with its line number."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from core.appraisal.model import ItemsByName, Line, ParseResult, PasteParser, Unparsed

DEFAULT_MAX_BYTES = 1_048_576  # 1 MB of UTF-8: APPRAISAL_MAX_BYTES overrides it
MAX_LINES = 20_000  # needed for speed: 1 MB of tiny lines is ~500k lines, ~10 s of parsing; 20k take ~0.5 s
SUGGESTED_LINES = 50  # only the first unreadable lines get "did you mean" (a fuzzy search over ~20k names each)


class PasteTooLarge(ValueError):
    """A paste beyond what one appraisal reads; the message says the limit."""


def human_size(size: int) -> str:
    """A byte count for people: "512 bytes", "64.0 KB", "1.4 MB" (binary units: 1 MB = 1,048,576 bytes)."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1_048_576:
        return f"{size / 1024:,.1f} KB"
    return f"{size / 1_048_576:,.1f} MB"


def check_size(text: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse a paste over `max_bytes` of UTF-8 before any work; a short paste is never encoded to be measured."""
    if len(text) * 4 <= max_bytes:  # no character takes more than four bytes
        return
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if (problem := size_problem(size, max_bytes)) is not None:
        raise PasteTooLarge(problem)


def size_problem(size: int, max_bytes: int) -> str | None:
    """ "paste too large: 1.4 MB (at most 1.0 MB)" for `size` bytes over `max_bytes` (a file's too), None if it fits."""
    if size <= max_bytes:
        return None
    shown, limit = human_size(size), human_size(max_bytes)
    if shown == limit:  # just over: rounding would print the same figure twice
        shown, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
    return f"paste too large: {shown} (at most {limit})"


def numbered_lines(text: str) -> list[Line]:
    """The paste's non-blank lines with 1-based numbers (CRLF, tabs and stray spaces tolerated)."""
    return [Line(number, kept) for number, line in enumerate(_raw_lines(text), 1) if (kept := line.strip())]


def _raw_lines(text: str) -> list[str]:
    """The paste split at CRLF, CR and LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_NUMBER = re.compile(r"^[x×]?[\d.,'\u00a0\u202f]+[x×]?$", re.IGNORECASE)


def _name_part(text: str) -> str:
    """What in an unreadable line could be a name: its first cell with letters, numbers and 'x' counts dropped."""
    cell = next((c for c in text.split("\t") if any(ch.isalpha() for ch in c)), "")
    return " ".join(word for word in cell.split() if not _NUMBER.match(word))


def parse_paste(
    text: str,
    names: ItemsByName,
    parsers: Sequence[PasteParser],
    suggest: Callable[[str], Sequence[str]] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """Items from every format in the paste, unreadable lines with a reason (hints for the first SUGGESTED_LINES)."""
    check_size(text, max_bytes)
    if text.count("\n") + text.count("\r") >= MAX_LINES:  # fewer line breaks: surely few enough lines
        count = sum(1 for line in _raw_lines(text) if line and not line.isspace())
        if count > MAX_LINES:
            raise PasteTooLarge(f"paste too large: {count:,} lines (at most {MAX_LINES:,})")
    lines = numbered_lines(text)
    result = ParseResult()
    rest: Sequence[Line] = lines
    for parser in parsers:
        if not rest:
            break
        items, rest = parser.parse(rest, names)
        if items:
            result.formats.append(parser.name)
            result.items.extend(items)
    asked: dict[str, list[str]] = {}  # the same name part twice is searched once
    for index, line in enumerate(rest):
        name_part = _name_part(line.text) if suggest and index < SUGGESTED_LINES else ""
        if suggest and name_part and name_part not in asked:
            asked[name_part] = list(suggest(name_part))[:3]
        hints = asked.get(name_part, [])
        reason = f"no item recognised; did you mean {', '.join(hints)}?" if hints else "no item recognised"
        result.unparsed.append(Unparsed(line.number, line.text, reason))
    result.items.sort(key=lambda item: item.line)
    return result
