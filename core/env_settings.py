"""Typed settings read from the environment (and an optional .env file): annotated class fields, coerced to their
types and checked against their bounds once, when an instance is made. Plain stdlib: every CLI command and service
reads its settings at start-up, and pydantic-settings cost them about 150 ms of imports before any work."""

from __future__ import annotations

import copy
import json
import os
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

Loc = tuple[str | int, ...]
TRUE, FALSE = {"1", "on", "t", "true", "y", "yes"}, {"0", "f", "false", "n", "no", "off"}


class SecretStr:
    """A secret value: ********** in reprs and logs; get_secret_value() gives it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """The secret itself."""
        return self._value

    def __repr__(self) -> str:
        return "SecretStr('**********')" if self._value else "SecretStr('')"

    def __str__(self) -> str:
        return "**********" if self._value else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretStr) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class InvalidSetting(ValueError):
    """A value that does not fit its setting: `loc` is the field (then list indices), `msg` says why."""

    def __init__(self, loc: Loc, msg: str) -> None:
        super().__init__(f"{'.'.join(map(str, loc))}: {msg}")
        self.loc, self.msg = loc, msg


@dataclass(frozen=True)
class Setting:
    """A field's default, its variable's name when not prefix + field name, its bounds and its description."""

    default: Any = None
    default_factory: Callable[[], Any] | None = None
    env: str | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    description: str = ""

    def initial(self) -> Any:
        """The default value (a fresh one for a list)."""
        return self.default_factory() if self.default_factory is not None else self.default


def setting(
    default: Any = None,
    *,
    env: str | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    description: str = "",
) -> Any:
    """Declare a field with bounds, a variable named `env` (instead of prefix + name) or a description."""
    factory = (lambda: list(default)) if isinstance(default, list) else None
    return Setting(None if factory else default, factory, env, ge, gt, le, description)


class EnvSettings:
    """Base of a settings class: each annotated field comes from the keyword arguments, else the variable named
    env_prefix + field (any case; `setting(env=...)` names it), else the .env file, else its default. check() then
    sees the whole instance; every problem raises InvalidSetting."""

    env_prefix: ClassVar[str] = ""
    env_file: ClassVar[str | None] = ".env"
    model_fields: ClassVar[dict[str, Setting]] = {}  # each field's Setting (default, bounds, description) by name
    _hints: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        hints = {
            name: hint
            for name, hint in typing.get_type_hints(cls).items()
            if not name.startswith("_") and typing.get_origin(hint) is not ClassVar
        }
        cls._hints = hints
        cls.model_fields = {
            name: value if isinstance(value, Setting) else Setting(default=value)
            for name in hints
            for value in [getattr(cls, name, None)]
        }

    def __init__(self, _env_file: str | None = "", **values: Any) -> None:
        environ = _environment(self.env_file if _env_file == "" else _env_file)
        self.model_fields_set: set[str] = set()
        for name, spec in self.model_fields.items():
            given = name if name in values else spec.env if spec.env in values else None
            variable = (spec.env or self.env_prefix + name).lower()
            if given is not None:
                raw, from_env = values[given], False
            elif variable in environ:
                raw, from_env = environ[variable], True
            else:
                setattr(self, name, spec.initial())
                continue
            setattr(self, name, _bounded(spec, coerce(raw, self._hints[name], (name,), from_env), (name,)))
            self.model_fields_set.add(name)
        self.check()

    def check(self) -> None:
        """Checks across fields, once they are all set (subclasses raise InvalidSetting or ValueError)."""

    def model_copy(self, *, update: dict[str, Any] | None = None) -> typing.Self:
        """A shallow copy with `update`'s fields replaced (not checked again)."""
        copied = copy.copy(self)
        copied.model_fields_set = set(self.model_fields_set) | set(update or ())
        for name, value in (update or {}).items():
            setattr(copied, name, value)
        return copied

    def __eq__(self, other: object) -> bool:
        same = type(other) is type(self)
        return same and all(getattr(self, name) == getattr(other, name) for name in self.model_fields)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.model_fields)
        return f"{type(self).__name__}({shown})"


def _environment(env_file: str | None) -> dict[str, str]:
    """The process's variables over the .env file's (when there is one), names lower-cased."""
    found: dict[str, str] = {}
    if env_file and os.path.isfile(env_file):
        with open(env_file, encoding="utf-8") as lines:
            for line in lines:
                line = line.strip().removeprefix("export ")
                name, equals, value = line.partition("=")
                if equals and not line.startswith("#"):
                    value = value.strip()
                    quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
                    found[name.strip().lower()] = value[1:-1] if quoted else value.split(" #")[0].rstrip()
    found.update((name.lower(), value) for name, value in os.environ.items())
    return found


def coerce(value: Any, hint: Any, loc: Loc, from_env: bool = False) -> Any:
    """`value` as the annotated type `hint` (str, bool, int, float, Path, SecretStr, a Literal, a list of one of
    them, or one of those or None); a variable's text for a list is JSON."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [option for option in typing.get_args(hint) if option is not type(None)]
        if value is None:
            return None
        [only] = options  # `X | None` is the one union settings use
        return coerce(value, only, loc, from_env)
    if origin is Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            names = [repr(option) for option in allowed]
            raise InvalidSetting(loc, f"Input should be {', '.join(names[:-1])} or {names[-1]}")
        return value
    if origin is list:
        if from_env and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise InvalidSetting(loc, "Input should be a JSON list, e.g. [1, 2]") from None
        if not isinstance(value, list | tuple):
            raise InvalidSetting(loc, "Input should be a valid list")
        [item] = typing.get_args(hint)
        return [coerce(one, item, (*loc, index)) for index, one in enumerate(value)]
    return _scalar(value, hint, loc)


def _scalar(value: Any, hint: Any, loc: Loc) -> Any:
    """`value` as str, bool, int, float, Path or SecretStr, with pydantic's lax rules and messages."""
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
            return value.strip().lower() in TRUE
        if value in (0, 1):
            return bool(value)
        raise InvalidSetting(loc, "Input should be a valid boolean, unable to interpret input")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise InvalidSetting(
                    loc, "Input should be a valid integer, unable to parse string as an integer"
                ) from None
        raise InvalidSetting(loc, "Input should be a valid integer")
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                raise InvalidSetting(
                    loc, "Input should be a valid number, unable to parse string as a number"
                ) from None
        raise InvalidSetting(loc, "Input should be a valid number")
    if hint is Path:
        if isinstance(value, str | Path):
            return Path(value)
        raise InvalidSetting(loc, "Input is not a valid path")
    if hint is SecretStr:
        if isinstance(value, SecretStr):
            return value
        if isinstance(value, str):
            return SecretStr(value)
        raise InvalidSetting(loc, "Input should be a valid string")
    if hint is str:
        if isinstance(value, str):
            return value
        raise InvalidSetting(loc, "Input should be a valid string")
    raise TypeError(f"settings cannot hold {hint!r}")  # a new field's type: teach coerce() first


def _bounded(spec: Setting, value: Any, loc: Loc) -> Any:
    """`value` when it lies within the field's bounds (None always does)."""
    if value is None:
        return None
    if spec.ge is not None and not value >= spec.ge:
        raise InvalidSetting(loc, f"Input should be greater than or equal to {spec.ge:g}")
    if spec.gt is not None and not value > spec.gt:
        raise InvalidSetting(loc, f"Input should be greater than {spec.gt:g}")
    if spec.le is not None and not value <= spec.le:
        raise InvalidSetting(loc, f"Input should be less than or equal to {spec.le:g}")
    return value
