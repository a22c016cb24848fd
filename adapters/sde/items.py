"""Row generators for item data: categories, groups, market groups, types and their other-language names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from adapters.sde.archive import SdeArchive
from adapters.sde.fields import (
    RecordError,
    english_name,
    flag,
    optional_int,
    optional_number,
    other_languages,
    record_key,
    required_int,
)

CategoryRow = tuple[int, str, bool]
GroupRow = tuple[int, int, str, bool]
MarketGroupRow = tuple[int, int | None, str, bool]
TypeRow = tuple[int, str, int, int | None, int | None, float | None, float | None, int, float | None, bool]
TypeNameRow = tuple[int, str, str]


def category_rows(archive: SdeArchive) -> Iterator[CategoryRow]:
    """(category_id, name, published) from categories.jsonl."""

    def convert(record: dict[str, Any]) -> CategoryRow:
        category_id = record_key(record)
        name = english_name(record, "name", f"Category {category_id}")
        return category_id, name, flag(record, "published")

    return archive.rows("categories.jsonl", convert)


def group_rows(archive: SdeArchive) -> Iterator[GroupRow]:
    """(group_id, category_id, name, published) from groups.jsonl."""

    def convert(record: dict[str, Any]) -> GroupRow:
        group_id = record_key(record)
        name = english_name(record, "name", f"Group {group_id}")
        return group_id, required_int(record, "categoryID"), name, flag(record, "published")

    return archive.rows("groups.jsonl", convert)


def market_group_rows(archive: SdeArchive) -> Iterator[MarketGroupRow]:
    """(market_group_id, parent_id, name, has_types) from marketGroups.jsonl."""

    def convert(record: dict[str, Any]) -> MarketGroupRow:
        market_group_id = record_key(record)
        name = english_name(record, "name", f"Market group {market_group_id}")
        return market_group_id, optional_int(record, "parentGroupID"), name, flag(record, "hasTypes")

    return archive.rows("marketGroups.jsonl", convert)


def type_rows(archive: SdeArchive) -> Iterator[TypeRow]:
    """Rows of sde_types from types.jsonl, with the category looked up through the group."""
    category_of_group = {group_id: category_id for group_id, category_id, _, _ in group_rows(archive)}

    def convert(record: dict[str, Any]) -> TypeRow:
        type_id = record_key(record)
        group_id = required_int(record, "groupID")
        portion_size = optional_int(record, "portionSize")
        return (
            type_id,
            english_name(record, "name", f"Type {type_id}"),
            group_id,
            category_of_group.get(group_id),
            optional_int(record, "marketGroupID"),
            optional_number(record, "volume"),
            None,  # packaged volume: not in the SDE (ESI /universe/types gives it)
            portion_size if portion_size is not None else 1,
            optional_number(record, "basePrice"),
            flag(record, "published"),
        )

    yield from archive.rows("types.jsonl", convert)


def type_name_rows(archive: SdeArchive) -> Iterator[TypeNameRow]:
    """(type_id, language, name) of each published market type's name in the other client languages (0023)."""
    for line_number, record in archive.records("types.jsonl"):
        try:
            if not flag(record, "published") or record.get("marketGroupID") is None:
                continue
            type_id = record_key(record)
        except RecordError as error:
            raise archive.error("types.jsonl", line_number, str(error)) from None
        for language, name in other_languages(record, "name"):
            yield type_id, language, name


def build_number(archive: SdeArchive) -> str | None:
    """The SDE build from _sde.jsonl (`{"_key": "sde", "buildNumber": ...}`), if the export has one."""
    for _, record in archive.records("_sde.jsonl"):
        if record.get("_key") == "sde" and record.get("buildNumber") is not None:
            return str(record["buildNumber"])
    return None
