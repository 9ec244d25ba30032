"""Field types for request bodies: the rules the input policy cannot see from the outside.

The input policy (``input_policy.py``) refuses what no field may hold (NUL, lone
surrogates, NaN, deep nesting); these annotated types carry the rules that depend on
what a field means, written once and used by every schema:

- :data:`FutureDatetime`: an instant that must lie ahead (an expiry). ``2000-01-01``, or
  ``12345`` (which JSON Schema's ``date-time`` never allowed but pydantic reads as
  seconds after 1970), is a 422 naming the field instead of a key or chat born expired.
- :data:`JsonObject`: a free JSON object (settings, model parameters, a JSON Schema),
  at most :data:`MAX_JSON_FIELD_BYTES` once serialised.
- :data:`Secret`: a write-only credential, at most :data:`MAX_SECRET_BYTES` in UTF-8.

Each says its limit in the OpenAPI document; fields with a description of their own
append :data:`JSON_LIMIT_NOTE` or :data:`SECRET_LIMIT_NOTE` to it.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, SecretStr
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

MAX_JSON_FIELD_BYTES = 64 * 1024
MAX_SECRET_BYTES = 4 * 1024


def _size_label(limit: int) -> str:
    return f"{limit // 1024} KiB" if limit % 1024 == 0 else f"{limit} bytes"


JSON_LIMIT_NOTE = f"At most {_size_label(MAX_JSON_FIELD_BYTES)} as JSON."
SECRET_LIMIT_NOTE = f"At most {_size_label(MAX_SECRET_BYTES)} (UTF-8)."
FUTURE_NOTE = "Must be in the future."


def json_size(value: Any) -> int:
    """Bytes of ``value`` as compact UTF-8 JSON (the size it takes in a ``jsonb`` column)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return len(text.encode("utf-8", "surrogatepass"))


class _Rule(ABC):
    """An after-validator that also documents itself in the field's JSON Schema."""

    note = ""

    @abstractmethod
    def check(self, value: Any) -> Any:
        """The value if it keeps the rule; raises ValueError (a 422 naming the field) if not."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The type's own description; a field's description replaces it, so fields that
        # describe themselves repeat the note (JSON_LIMIT_NOTE, SECRET_LIMIT_NOTE).
        value = handler(schema)
        value["description"] = f"{value.get('description', '')} {self.note}".strip()
        return value


class InTheFuture(_Rule):
    """The instant must lie after now (naive values are read as UTC)."""

    note = FUTURE_NOTE

    def check(self, value: datetime) -> datetime:
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        if aware <= datetime.now(UTC):
            raise ValueError(f"must be in the future (got {aware.isoformat()}, which has passed)")
        return aware


class JsonAtMost(_Rule):
    """The value, serialised as JSON, takes at most ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.note = f"At most {_size_label(limit)} as JSON."

    def check(self, value: Any) -> Any:
        size = json_size(value)
        if size > self.limit:
            raise ValueError(f"is {size} bytes as JSON; at most {_size_label(self.limit)} allowed")
        return value


class SecretAtMost(_Rule):
    """A secret of at most ``limit`` bytes in UTF-8 (its value never shows in the error)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.note = f"At most {_size_label(limit)} (UTF-8)."

    def check(self, value: SecretStr) -> SecretStr:
        size = len(value.get_secret_value().encode("utf-8", "surrogatepass"))
        if size > self.limit:
            raise ValueError(f"is {size} bytes; at most {_size_label(self.limit)} allowed")
        return value

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        value = super().__get_pydantic_json_schema__(schema, handler)
        value["maxLength"] = self.limit  # never more characters than bytes: a form's bound
        return value


FutureDatetime = Annotated[datetime, InTheFuture()]
JsonObject = Annotated[dict[str, Any], JsonAtMost(MAX_JSON_FIELD_BYTES)]
Secret = Annotated[SecretStr, SecretAtMost(MAX_SECRET_BYTES)]
