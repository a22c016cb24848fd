"""JSON Schemas (OpenAPI 3.1 dialect) of the API's bodies: one place, used by the document and the tests."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


_LEVEL: Schema = {"type": "integer", "minimum": 0, "maximum": 5}
_STANDING: Schema = {"type": "number", "minimum": -10, "maximum": 10}
_HUB: Schema = {"type": ["string", "null"], "enum": ["Jita", "Amarr", "Dodixie", "Rens", "Hek", None]}

COMPONENTS: dict[str, Schema] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }
        },
    },
    "Identity": {
        "type": "object",
        "required": ["platform", "external_id", "display_name", "last_seen_at"],
        "properties": {
            "platform": {"type": "string"},
            "external_id": {"type": "string"},
            "display_name": {"type": "string"},
            "last_seen_at": {"type": "string", "format": "date-time"},
        },
    },
    "Account": {
        "type": "object",
        "required": ["id", "role", "identities", "characters", "csrf_token"],
        "properties": {
            "id": {"type": "integer"},
            "role": {"type": "string", "enum": ["user", "admin"]},
            "identities": {"type": "array", "items": ref("Identity")},
            "characters": {"type": "array", "items": {"type": "object"}},
            "csrf_token": {"type": "string", "description": "send back as X-CSRF-Token on PUT/POST/DELETE"},
        },
    },
    "Skills": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "accounting": _LEVEL,
            "broker_relations": _LEVEL,
            "advanced_broker_relations": _LEVEL,
            "faction_standing": _STANDING,
            "corp_standing": _STANDING,
        },
    },
    "Settings": {
        "type": "object",
        "additionalProperties": False,
        "required": ["default_hub", "skills"],
        "properties": {"default_hub": _HUB, "skills": ref("Skills")},
    },
    "SettingsUpdate": {
        "type": "object",
        "additionalProperties": False,
        "description": "replaces the settings; omitted skills take their defaults",
        "properties": {"default_hub": _HUB, "skills": ref("Skills")},
    },
    "AccountSummary": {
        "type": "object",
        "required": ["id", "role", "created_at", "identities"],
        "properties": {
            "id": {"type": "integer"},
            "role": {"type": "string", "enum": ["user", "admin"]},
            "created_at": {"type": "string", "format": "date-time"},
            "identities": {"type": "integer", "minimum": 0},
        },
    },
    "AccountList": {
        "type": "object",
        "required": ["accounts"],
        "properties": {"accounts": {"type": "array", "items": ref("AccountSummary")}},
    },
    "RoleChange": {
        "type": "object",
        "additionalProperties": False,
        "required": ["role"],
        "properties": {"role": {"type": "string", "enum": ["user", "admin"]}},
    },
    "RoleResult": {
        "type": "object",
        "required": ["id", "role"],
        "properties": {"id": {"type": "integer"}, "role": {"type": "string", "enum": ["user", "admin"]}},
    },
}
