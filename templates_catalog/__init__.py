"""Declarative workflow templates: loader, instantiation and DB row derivation."""

from templates_catalog.instantiate import (
    TemplateDefinitionInvalid,
    TemplateParametersInvalid,
    instantiate,
)
from templates_catalog.loader import UnknownTemplate, get_template, load_catalog
from templates_catalog.rows import edge_rows, node_rows
from templates_catalog.spec import TemplateSpec

__all__ = [
    "TemplateDefinitionInvalid",
    "TemplateParametersInvalid",
    "TemplateSpec",
    "UnknownTemplate",
    "edge_rows",
    "get_template",
    "instantiate",
    "load_catalog",
    "node_rows",
]
