"""The platform-neutral command model: who asked (Caller), what they asked (Invocation), what we answer (Reply)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Caller:
    """The person behind an invocation, as their chat platform identifies them."""

    platform: str
    user_id: str
    display_name: str
    guild_id: str | None = None
    chat_id: str | None = None
    is_dm: bool = False
    roles: frozenset[str] = frozenset()  # platform permissions, e.g. "manage_guild" (Discord) or "chat_admin"
    account_id: int | None = None  # the core account behind this identity (set by the gateway)


@dataclass(frozen=True)
class Invocation:
    """One command call: named args (Discord options) or the raw text after the command (Telegram, console)."""

    command: str
    args: Mapping[str, str] | str
    caller: Caller

    @classmethod
    def from_text(cls, text: str, caller: Caller) -> Invocation:
        """Split "/price tritanium jita" (or "/price@bot ...") into the command word and the raw rest."""
        head, *rest = text.strip().split(maxsplit=1) or [""]
        command = head.lstrip("/").split("@", 1)[0].lower()
        return cls(command, rest[0].strip() if rest else "", caller)


@dataclass(frozen=True)
class Field:
    """A labelled value (an embed field on Discord, a bold label elsewhere)."""

    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True)
class Table:
    """Rows of pre-formatted cells; `align` has one of "l", "r", "c" per column (empty: all left)."""

    headers: list[str]
    rows: list[list[str]]
    align: str = ""

    def __post_init__(self) -> None:
        width = len(self.headers)
        if self.align and (len(self.align) != width or set(self.align) - set("lrc")):
            raise ValueError(f"align {self.align!r} must have one of l/r/c per column ({width})")
        if any(len(row) != width for row in self.rows):
            raise ValueError(f"every table row needs {width} cells")


@dataclass(frozen=True)
class Image:
    """A PNG image (a chart) with alt text for platforms or readers that cannot show it."""

    png: bytes
    alt: str
    filename: str = "chart.png"


@dataclass(frozen=True)
class Button:
    """A link button (`url`) or a follow-up command button (`action`, e.g. "price tritanium amarr")."""

    label: str
    url: str | None = None
    action: str | None = None

    def __post_init__(self) -> None:
        if (self.url is None) == (self.action is None):
            raise ValueError("a button needs exactly one of url or action")


@dataclass(frozen=True)
class SourceAge:
    """One source a reply used ("Jita orders", "history") and when it was current (None: unknown).

    `kind` and `id` say what it is for a reply's data ("market_orders" and the region or structure market id,
    "history" and its region, "wallet" and the character, ...); equality is what the reader sees (name and age)."""

    name: str
    as_of: datetime | None = None
    kind: str | None = field(default=None, compare=False)
    id: int | None = field(default=None, compare=False)

    def as_data(self) -> dict[str, Any]:
        """The JSON form every reply's `sources` uses: kind, id (None when it has none), name, as_of (ISO 8601)."""
        as_of = self.as_of.isoformat() if self.as_of is not None else None
        return {"kind": self.kind, "id": self.id, "name": self.name, "as_of": as_of}


@dataclass(frozen=True)
class Footer:
    """Where the numbers come from and how old they are: `as_of` the main snapshot, `sources` every source's age."""

    source: str
    as_of: datetime | None = None
    simulated: bool = False
    sources: tuple[SourceAge, ...] = ()


@dataclass(frozen=True)
class Reply:
    """Everything a command answers; adapters render what their platform can and degrade the rest.

    `ephemeral`: meant for the caller only (Discord shows it to them alone; a chat may still answer in place).
    `private`: a secret or the caller's own account data, never shown where others read: Discord answers
    ephemerally, Telegram groups get it in the caller's private chat. Commands registered `private=True` get it
    on every reply (dispatch sets it); it implies `ephemeral`. The console, where only the caller reads, ignores both.
    """

    title: str | None = None
    text: str = ""
    fields: list[Field] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    ephemeral: bool = False
    footer: Footer | None = None
    data: dict[str, Any] = field(default_factory=dict)
    is_error: bool = False
    private: bool = False

    def __post_init__(self) -> None:
        if self.private and not self.ephemeral:
            object.__setattr__(self, "ephemeral", True)

    @classmethod
    def error(cls, message: str, usage: str | None = None) -> Reply:
        """An error reply shown only to the caller, with the usage line when one helps."""
        text = f"{message}\nusage: {usage}" if usage else message
        data: dict[str, Any] = {"error": message} | ({"usage": usage} if usage else {})
        return cls(text=text, ephemeral=True, data=data, is_error=True)
