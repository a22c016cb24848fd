"""Typed field access on SDE JSONL records: ids, numbers, flags and localized text (English, other languages)."""

from __future__ import annotations

from typing import Any


class RecordError(ValueError):
    """One record has a missing or mistyped field; the archive adds file and line."""


def record_key(record: dict[str, Any]) -> int:
    """The record's integer `_key` (the id in CCP's JSONL encoding)."""
    value = record.get("_key")
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"_key must be an integer, got {value!r}")
    return value


def optional_int(record: dict[str, Any], field: str) -> int | None:
    """An integer field, or None when absent or null."""
    value = record.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{field} must be an integer, got {value!r}")
    return value


def required_int(record: dict[str, Any], field: str) -> int:
    """An integer field that must be present."""
    value = optional_int(record, field)
    if value is None:
        raise RecordError(f"{field} is missing")
    return value


def optional_number(record: dict[str, Any], field: str) -> float | None:
    """A numeric field as float, or None when absent or null."""
    value = record.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(f"{field} must be a number, got {value!r}")
    return float(value)


def required_number(record: dict[str, Any], field: str) -> float:
    """A numeric field that must be present."""
    value = optional_number(record, field)
    if value is None:
        raise RecordError(f"{field} is missing")
    return value


def flag(record: dict[str, Any], field: str, default: bool = False) -> bool:
    """A boolean field (`default` when absent)."""
    value = record.get(field)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RecordError(f"{field} must be true or false, got {value!r}")
    return value


def english(value: Any) -> str | None:
    """English text of a localized dict (`{"en": ...}`), any language as a fallback, or a plain string."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        text = value.get("en")
        if isinstance(text, str) and text:
            return text
        for text in value.values():
            if isinstance(text, str) and text:
                return text
    return None


def english_name(record: dict[str, Any], field: str, fallback: str) -> str:
    """The English text of a localized field, or `fallback` when it has none."""
    return english(record.get(field)) or fallback


CLIENT_LANGUAGES = ("de", "es", "fr", "ja", "ko", "ru", "zh")  # the EVE client's languages besides English


def other_languages(record: dict[str, Any], field: str) -> list[tuple[str, str]]:
    """(language, text) of a localized field in each client language whose text differs from the English one."""
    value = record.get(field)
    if not isinstance(value, dict):
        return []
    shown = english(value)
    found = []
    for language in CLIENT_LANGUAGES:
        text = value.get(language)
        if isinstance(text, str) and (text := " ".join(text.split())) and text != shown:
            found.append((language, text))
    return found
