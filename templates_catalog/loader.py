"""Load the template catalogue from the JSON files shipped in templates/."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from templates_catalog.spec import TemplateSpec

_PACKAGE = "templates_catalog"
_FOLDER = "templates"


class UnknownTemplate(KeyError):
    """No template of that name is in the catalogue."""


def load_catalog() -> list[TemplateSpec]:
    """Every template, sorted by name (fresh copies: callers may modify them)."""
    return [t.model_copy(deep=True) for t in _load()]


def get_template(name: str) -> TemplateSpec:
    """The template called `name`; raises UnknownTemplate."""
    for template in _load():
        if template.name == name:
            return template.model_copy(deep=True)
    raise UnknownTemplate(name)


@lru_cache(maxsize=1)
def _load() -> tuple[TemplateSpec, ...]:
    # The files never change at run time, so read them once per process.
    folder = resources.files(_PACKAGE).joinpath(_FOLDER)
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".json")),
        key=lambda entry: entry.name,
    )
    templates = []
    for entry in files:
        template = TemplateSpec.model_validate(json.loads(entry.read_text(encoding="utf-8")))
        if f"{template.name}.json" != entry.name:
            raise ValueError(f"{entry.name}: the file name must be the template name + .json")
        templates.append(template)
    return tuple(sorted(templates, key=lambda t: t.name))
