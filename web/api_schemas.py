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
_COUNT: Schema = {"type": "integer", "minimum": 0}
_MS: Schema = {"type": ["number", "null"], "minimum": 0, "description": "milliseconds; null without calls"}
_SHARE: Schema = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
_COST: Schema = {
    "type": ["number", "null"],
    "minimum": 0,
    "description": "estimated USD of the rows with a known price; null when every price is unknown",
}
_TIME: Schema = {"type": "string", "format": "date-time"}
_MAYBE_TIME: Schema = {"type": ["string", "null"], "format": "date-time"}


def _object(properties: dict[str, Schema]) -> Schema:
    """An object schema whose properties are all required."""
    return {"type": "object", "required": list(properties), "properties": properties}


_WINDOW = _object(
    {
        "calls": _COUNT,
        "successes": _COUNT,
        "success_rate": _SHARE,
        "failures": {"type": "object", "additionalProperties": _COUNT, "description": "calls by failure outcome"},
        "p50_ms": _MS,
        "p95_ms": _MS,
    }
)

_ALERT_KIND: Schema = {"type": "string", "enum": ["price", "spread", "volume_spike"]}
_DIRECTION: Schema = {"type": "string", "enum": ["above", "below"]}
_SIDE: Schema = {"type": ["string", "null"], "enum": ["buy", "sell", None]}
_CLOCK: Schema = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
_QUIET: Schema = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "required": ["timezone", "start", "end"],
    "properties": {"timezone": {"type": "string"}, "start": _CLOCK, "end": _CLOCK},
    "description": "local hours when alerts wait (start inclusive, end exclusive, may wrap midnight); null: none",
}
_ALERT_SCHEMAS: dict[str, Schema] = {
    "AlertTarget": _object(
        {
            "platform": {"type": "string"},
            "kind": {"type": "string", "enum": ["dm", "channel", "chat", "email", "push"]},
            "address": {"type": "string"},
        }
    ),
    "Alert": _object(
        {
            "id": {"type": "integer"},
            "kind": _ALERT_KIND,
            "type_id": {"type": "integer"},
            "item": {"type": ["string", "null"]},
            "side": _SIDE,
            "direction": _DIRECTION,
            "threshold": {"type": "number", "description": "ISK (price), percent (spread), x average (volume)"},
            "hysteresis": {"type": "number", "minimum": 0},
            "cooldown_minutes": {"type": "number", "minimum": 0},
            "region_id": {"type": "integer"},
            "location_id": {"type": ["integer", "null"], "description": "null: the whole region"},
            "place": {"type": "string"},
            "target": ref("AlertTarget"),
            "state": {"type": "string", "enum": ["armed", "fired", "paused"]},
            "snoozed_until": {**_MAYBE_TIME, "description": "set while an active rule is snoozed (/alert snooze)"},
            "last_fired_at": _MAYBE_TIME,
            "created_at": _TIME,
        }
    ),
    "AlertList": _object({"alerts": {"type": "array", "items": ref("Alert")}}),
    "AlertCreate": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type_id", "kind", "direction", "threshold"],
        "description": "place: hub (its station) or region_id (region-wide); default the account's hub. "
        "target: one of the account's chat identities (default the most recently seen); alerts go to its DM",
        "properties": {
            "type_id": {"type": "integer", "minimum": 1},
            "kind": _ALERT_KIND,
            "side": _SIDE,
            "direction": _DIRECTION,
            "threshold": {"type": "number", "minimum": 0},
            "hub": {"type": "string", "enum": ["Jita", "Amarr", "Dodixie", "Rens", "Hek"]},
            "region_id": {"type": "integer"},
            "hysteresis": {"type": "number", "minimum": 0},
            "cooldown_minutes": {"type": "number", "minimum": 0, "maximum": 10080},
            "target": {
                "type": "object",
                "additionalProperties": False,
                "required": ["platform", "address"],
                "properties": {"platform": {"type": "string"}, "address": {"type": "string"}},
            },
        },
    },
    "AlertPreferences": _object({"quiet": _QUIET, "max_rules": _COUNT}),
    "AlertPreferencesUpdate": {
        "type": "object",
        "additionalProperties": False,
        "required": ["quiet"],
        "properties": {"quiet": _QUIET},
    },
    "WatchedItem": _object({"type_id": {"type": "integer"}, "name": {"type": ["string", "null"]}, "added_at": _TIME}),
    "Watchlist": _object(
        {
            "items": {"type": "array", "items": ref("WatchedItem")},
            "digest": _object(
                {"enabled": {"type": "boolean"}, "hour": {"type": "integer", "minimum": 0, "maximum": 23}}
            ),
        }
    ),
    "WatchlistAdd": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type_id"],
        "properties": {"type_id": {"type": "integer", "minimum": 1}},
    },
}

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
            "characters": {"type": "array", "items": ref("Character")},
            "csrf_token": {"type": "string", "description": "send back as X-CSRF-Token on PUT/POST/DELETE"},
        },
    },
    "Character": _object(
        {
            "character_id": {"type": "integer"},
            "name": {"type": "string"},
            "scopes": {"type": "array", "items": {"type": "string"}},
            "token_status": {"type": "string", "enum": ["ok", "invalid", "revoked"]},
            "access_expires_at": _MAYBE_TIME,
            "linked_at": _TIME,
        }
    ),
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
    "UsageLine": _object(
        {
            "day": {"type": "string", "format": "date"},
            "provider": {"type": "string"},
            "model": {"type": "string"},
            "requests": _COUNT,
            "answers": _COUNT,
            "cached": _COUNT,
            "cached_share": _SHARE,
            "input_tokens": _COUNT,
            "output_tokens": _COUNT,
            "cost_usd": _COST,
            "unknown_cost": {**_COUNT, "description": "rows whose model has no known price (not counted as 0)"},
            "p50_ms": _MS,
            "p95_ms": _MS,
            "failures": _COUNT,
        }
    ),
    "AccountUsage": _object(
        {
            "account_id": {"type": "integer"},
            "display_name": {"type": ["string", "null"]},
            "answers": _COUNT,
            "cost_usd": _COST,
            "unknown_cost": _COUNT,
            "last_at": _TIME,
        }
    ),
    "UsageReport": _object(
        {
            "days": {"type": "integer", "minimum": 1, "maximum": 90},
            "since": _TIME,
            "until": _TIME,
            "lines": {"type": "array", "items": ref("UsageLine")},
            "top_accounts": {"type": "array", "items": ref("AccountUsage"), "maxItems": 10},
        }
    ),
    "ProviderHealth": _object(
        {
            "provider": {"type": "string"},
            "status": {"type": "string", "enum": ["healthy", "degraded", "down", "idle"]},
            "last_hour": _WINDOW,
            "last_day": _WINDOW,
            "last_success_at": _MAYBE_TIME,
            "last_failure_at": _MAYBE_TIME,
        }
    ),
    "ProviderHealthList": _object(
        {"checked_at": _TIME, "providers": {"type": "array", "items": ref("ProviderHealth")}}
    ),
    **_ALERT_SCHEMAS,
}
