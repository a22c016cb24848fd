"""Combat pastes: the killmail copy (the victim's hull and items, never the attackers') and directional scans."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.appraisal.model import ItemsByName, Line, ParsedItem
from core.appraisal.numbers import parse_quantity
from core.catalog import CatalogItem

_DATE = re.compile(r"^\d{4}[./-]\d{2}[./-]\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]*?)\s*:\s*(?P<value>.*)$")
_QTY = re.compile(r",\s*Qty:\s*(?P<qty>\d[\d,.'\u00a0\u202f ]*)$", re.IGNORECASE)
_TAG = re.compile(r"\s*\((?P<tag>[^()]*)\)$")
_DISTANCE = re.compile(r"^(?:-|\d[\d,.'\u00a0\u202f ]*\s?(?:m|km|au))$", re.IGNORECASE)
_BLOCKS = {"involved parties:": "involved", "destroyed items:": "destroyed", "dropped items:": "dropped"}
_VICTIM_KEYS = {
    "victim",
    "corp",
    "corporation",
    "alliance",
    "faction",
    "destroyed",
    "system",
    "security",
    "moon",
    "damage taken",
}
_PARTY_KEYS = {"name", "security", "corp", "corporation", "alliance", "faction", "ship", "weapon", "damage done"}
_KEYS = {"victim": _VICTIM_KEYS, "involved": _PARTY_KEYS}


def _field(text: str) -> tuple[str, str]:
    """("key", "value") of a "Key: value" line, the key lower-cased; ("", "") when it is not one."""
    found = _FIELD.match(text)
    return (" ".join(found["key"].lower().split()), found["value"].strip()) if found else ("", "")


def _killmail_item(text: str, names: ItemsByName) -> tuple[CatalogItem, int, bool] | None:
    """(item, quantity, blueprint copy) of "Item, Qty: 5 (Cargo)"; trailing "(...)" tags are peeled off one by one."""
    base, tags = text, list[str]()
    while True:
        counted = _QTY.search(base)
        quantity = parse_quantity(counted["qty"]) if counted else 1
        item = names.exact(base[: counted.start()] if counted else base)
        if item and quantity:
            return item, quantity, any(tag.strip().lower() == "copy" for tag in tags)
        tag = _TAG.search(base)
        if not tag:
            return None
        tags.append(tag["tag"])
        base = base[: tag.start()]


def _starts_killmail(lines: Sequence[Line], index: int) -> bool:
    """A killmail's date line: a timestamp followed (blank lines aside) by "Victim: ..."."""
    if not _DATE.match(lines[index].text.strip()):
        return False
    following = (line.text.strip() for line in lines[index + 1 :] if line.text.strip())
    return _field(next(following, ""))[0] == "victim"


class KillmailParser:
    """The killmail copy: the lost hull and the "Destroyed items:"/"Dropped items:" blocks; attackers are skipped."""

    name = "killmail"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """The hull ("Destroyed: Ship") and items, in sections "destroyed" and "dropped"; other lines are left."""
        items: list[ParsedItem] = []
        rest: list[Line] = []
        state: str | None = None
        for index, line in enumerate(lines):
            text = line.text.strip()
            key, value = _field(text) if ":" in text else ("", "")  # the pattern needs the colon
            dated = text[:1].isdigit() and _starts_killmail(lines, index)  # the date pattern opens with a digit
            if text.lower() in _BLOCKS or dated or (key == "victim" and value):
                state = _BLOCKS.get(text.lower(), "victim")
                continue
            if state is None:
                rest.append(line)
            elif not text:
                continue
            elif state in ("destroyed", "dropped"):
                found = _killmail_item(text, names)
                if found:
                    item, quantity, copy = found
                    items.append(ParsedItem(item, quantity, line.number, blueprint_copy=copy, section=state))
                else:
                    rest.append(line)
            elif key == "destroyed" and state == "victim":
                hull = names.exact(value)
                if hull:
                    items.append(ParsedItem(hull, 1, line.number, section="destroyed"))
                else:
                    rest.append(line)
            elif key not in _KEYS[state]:
                rest.append(line)
        return items, rest


class DscanParser:
    """Directional scan rows ("type id TAB name TAB type TAB distance", or the older three columns), per type."""

    name = "dscan"

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        """One item per type, quantity = rows of that type, at its first row; unknown types are left."""
        counts: dict[int, ParsedItem] = {}
        rest: list[Line] = []
        for line in lines:
            if "\t" not in line.text:  # one cell: never a scan row
                rest.append(line)
                continue
            cells = [cell.strip() for cell in line.text.strip().split("\t")]
            if len(cells) == 4 and cells[0].isdecimal() and cells[0].isascii():
                cells = cells[1:]
            item = names.exact(cells[1]) if len(cells) == 3 and _DISTANCE.match(cells[2]) else None
            if item is None:
                rest.append(line)
                continue
            seen = counts.get(item.type_id)
            counts[item.type_id] = ParsedItem(
                item, seen.quantity + 1 if seen else 1, seen.line if seen else line.number
            )
        return list(counts.values()), rest
