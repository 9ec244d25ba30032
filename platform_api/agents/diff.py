"""Differences between two versions of an agent, as JSON-pointer changes."""

from __future__ import annotations

from typing import Any

from platform_core.models import AgentVersion

COMPARED = (
    "workflow_definition",
    "workflow_template_id",
    "template_parameters",
    "system_prompt",
    "tool_dependencies",
    "rag_enabled",
    "model_params_override",
    "service_dependencies",
    "input_schema",
    "plan_hash",
)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def json_changes(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """Every added, removed or changed value between two JSON documents."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[dict[str, Any]] = []
        for key in sorted(set(old) | set(new), key=str):
            here = f"{path}/{_escape(str(key))}"
            if key not in old:
                changes.append({"op": "added", "path": here, "new": new[key]})
            elif key not in new:
                changes.append({"op": "removed", "path": here, "old": old[key]})
            else:
                changes += json_changes(old[key], new[key], here)
        return changes
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            change
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for change in json_changes(a, b, f"{path}/{i}")
        ]
    if old == new:
        return []
    return [{"op": "changed", "path": path or "/", "old": old, "new": new}]


def version_diff(old: AgentVersion, new: AgentVersion) -> list[dict[str, Any]]:
    """What changed from ``old`` to ``new`` (definitions, parameters, settings)."""

    def document(version: AgentVersion) -> dict[str, Any]:
        values = {field: getattr(version, field) for field in COMPARED}
        values["workflow_template_id"] = (
            str(values["workflow_template_id"]) if values["workflow_template_id"] else None
        )
        # The compiled plan shows what a template produced, so template versions compare too.
        values["compiled_definition"] = (version.execution_plan or {}).get("definition")
        return values

    return json_changes(document(old), document(new))
