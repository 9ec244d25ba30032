"""The tool store's catalogue file: MCP servers a tenant may install, validated when loaded.

The platform admin manages one JSON file (``AGENTPAAS_TOOL_CATALOG_PATH``, by default
``platform_core/default_tool_catalog.json``)::

    {"entries": [{"id": "weather", "name": {"zh-CN": "天气", "en": "Weather"},
                  "description": {"zh-CN": "…", "en": "…"},
                  "url_template": "https://{host}/mcp",
                  "parameters": [{"name": "host", "kind": "host", "label": {…}}],
                  "credentials": [{"name": "api_token", "sent_as": "bearer", "label": {…}}],
                  "tags": ["weather"], "homepage": "https://example.org"}]}

A bad file raises :class:`CatalogError` whose message names the entry and the field, so
it shows at start-up (or in the log when the file changes), never as a 500 later.
Rendering an entry's URL validates every parameter value; the rendered URL still goes
through the outbound URL policy where it is registered.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ENTRY_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
LOCALES = ("zh-CN", "en")
# What a parameter of each kind may hold: a host (with an optional port), or one
# path segment. Neither can add a path, query, fragment or user info to the URL.
KIND_PATTERNS = {
    "host": r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::[0-9]{1,5})?",
    "segment": r"[A-Za-z0-9._~-]{1,128}",
}
# Characters no rendered value may carry, whatever the entry's own pattern says.
STRUCTURAL = set("/?#@\\%") | set(string.whitespace)


class CatalogError(ValueError):
    """The catalogue file is unreadable or an entry is invalid (the message says where)."""


class Localized(BaseModel):
    """A text in both UI languages."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    zh_cn: str = Field(alias="zh-CN", min_length=1, max_length=2000)
    en: str = Field(min_length=1, max_length=2000)


class CatalogParameter(BaseModel):
    """A value the installer fills into the URL template."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    kind: Literal["host", "segment"] = "segment"
    label: Localized
    description: Localized | None = None
    # A stricter rule than the kind's own (full match), e.g. one vendor's domain.
    pattern: str | None = Field(default=None, max_length=500)
    default: str | None = Field(default=None, max_length=253)
    example: str | None = Field(default=None, max_length=253)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return value

    def problem(self, value: str) -> str | None:
        """Why ``value`` may not fill this parameter, or None when it may."""
        if not value:
            return "required"
        if set(value) & STRUCTURAL:
            return "must not contain '/', '?', '#', '@', '\\', '%' or spaces"
        if not re.fullmatch(KIND_PATTERNS[self.kind], value):
            return f"not a valid {self.kind}"
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            return f"must match {self.pattern}"
        return None


class CatalogCredential(BaseModel):
    """A secret the installer gives; sent as the server's bearer token (the credential model)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    label: Localized
    description: Localized | None = None
    # Tool servers hold one sealed credential, sent as `Authorization: Bearer …`.
    sent_as: Literal["bearer"] = "bearer"
    required: bool = True


class CatalogEntry(BaseModel):
    """One installable MCP server."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ENTRY_ID_PATTERN)
    name: Localized
    description: Localized
    url_template: str = Field(min_length=1, max_length=1000)
    parameters: list[CatalogParameter] = Field(default_factory=list, max_length=16)
    credentials: list[CatalogCredential] = Field(default_factory=list, max_length=1)
    tags: list[str] = Field(default_factory=list, max_length=16)
    homepage: str | None = Field(default=None, max_length=1000)
    # Set for the platform's own bundled tools (not read from the file).
    bundled: bool = Field(default=False, exclude=True)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        if any(not re.fullmatch(r"[\w.+-]{1,32}", t) for t in value):
            raise ValueError("each tag is 1-32 letters, digits, '_', '.', '+' or '-'")
        return value

    @field_validator("homepage")
    @classmethod
    def _homepage(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http(s) URL")
        return value

    @model_validator(mode="after")
    def _template_matches_parameters(self) -> CatalogEntry:
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError("parameters: names must be unique")
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(self.url_template) if f}
        except ValueError as exc:
            raise ValueError(f"url_template: {exc}") from None
        if used != set(names):
            raise ValueError(
                f"url_template: placeholders {sorted(used)} must be the parameters {sorted(names)}"
            )
        for parameter in self.parameters:
            if parameter.default is not None and parameter.problem(parameter.default):
                raise ValueError(f"parameters.{parameter.name}.default: invalid")
        sample = {p.name: p.default or p.example or "example.org" for p in self.parameters}
        parts = urlsplit(self.url_template.format(**sample))
        if parts.scheme not in ("http", "https") or parts.fragment or "@" in parts.netloc:
            raise ValueError("url_template: must render an http(s) URL without user info")
        return self

    def render_url(self, values: dict[str, str]) -> tuple[str, dict[str, str]]:
        """The URL for ``values`` and, per parameter name, why a value was refused."""
        filled = {p.name: values.get(p.name) or p.default or "" for p in self.parameters}
        errors = {
            p.name: problem for p in self.parameters if (problem := p.problem(filled[p.name]))
        }
        unknown = set(values) - set(filled)
        errors.update(dict.fromkeys(sorted(unknown), "no such parameter"))
        if errors:
            return "", errors
        return self.url_template.format(**filled), {}


class _CatalogFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[dict[str, object]] = Field(max_length=1000)


def parse_catalog(document: object, *, source: str = "catalogue") -> list[CatalogEntry]:
    """Validate a parsed catalogue document; the error names the entry and the field."""
    try:
        raw = _CatalogFile.model_validate(document).entries
    except ValidationError as exc:
        raise CatalogError(f"{source}: {_first_error(exc)}") from None
    entries: list[CatalogEntry] = []
    for index, item in enumerate(raw):
        label = f"entry {index}" + (f" ({item['id']!r})" if isinstance(item.get("id"), str) else "")
        try:
            entry = CatalogEntry.model_validate(item)
        except ValidationError as exc:
            raise CatalogError(f"{source}: {label}: {_first_error(exc)}") from None
        if any(e.id == entry.id for e in entries):
            raise CatalogError(f"{source}: {label}: id: duplicate id {entry.id!r}")
        entries.append(entry)
    return entries


def load_catalog(path: Path) -> list[CatalogEntry]:
    """Read and validate the catalogue file at ``path`` (a missing file is an error)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}: not JSON: {exc}") from None
    return parse_catalog(document, source=str(path))


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
