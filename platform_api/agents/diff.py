"""Differences between two versions of an agent, as JSON-pointer changes."""

from __future__ import annotations

from typing import Any

from platform_api.agents.schemas import VersionDiff
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


def _definition(version: AgentVersion) -> dict[str, Any]:
    # The compiled plan holds the definition for inline and template versions alike.
    definition = (version.execution_plan or {}).get("definition")
    return definition if isinstance(definition, dict) else {}


def drawn_edges(definition: dict[str, Any]) -> list[dict[str, str]]:
    """The definition's edges as the graph draws them: one line per source → target.

    A conditional edge draws one line per outcome (and one for its default), a fan-out
    one line per target, so a changed mapping shows as lines added and removed.
    """
    lines: list[dict[str, str]] = []
    for edge in definition.get("edges") or []:
        kind = edge.get("type", "normal")
        source = edge.get("source", "")
        if kind == "conditional":
            for outcome, target in sorted((edge.get("mapping") or {}).items()):
                lines.append({"source": source, "target": target, "kind": kind, "label": outcome})
            if edge.get("default"):
                lines.append(
                    {"source": source, "target": edge["default"], "kind": kind, "label": ""}
                )
        elif kind == "fanout":
            targets = edge.get("targets") or ([edge["target"]] if edge.get("target") else [])
            label = f"each {edge['over']}" if edge.get("over") else ""
            for target in targets:
                lines.append({"source": source, "target": target, "kind": kind, "label": label})
        else:
            lines.append(
                {"source": source, "target": edge.get("target", ""), "kind": kind, "label": ""}
            )
    return lines


def _without_position(node: dict[str, Any]) -> dict[str, Any]:
    # Moving a node on the canvas is not a change a reviewer needs to read.
    return {k: v for k, v in node.items() if k != "position"}


def graph_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Nodes and edges added, removed or changed between two definitions, by node name."""
    old_nodes = {n["name"]: n for n in before.get("nodes") or [] if "name" in n}
    new_nodes = {n["name"]: n for n in after.get("nodes") or [] if "name" in n}
    changed = []
    for name in sorted(set(old_nodes) & set(new_nodes)):
        changes = json_changes(
            _without_position(old_nodes[name]), _without_position(new_nodes[name])
        )
        if changes:
            changed.append({"name": name, "changes": changes})

    def key(line: dict[str, str]) -> tuple[str, ...]:
        return (line["source"], line["target"], line["kind"], line["label"])

    old_lines = {key(line): line for line in drawn_edges(before)}
    new_lines = {key(line): line for line in drawn_edges(after)}
    return {
        "nodes_added": sorted(set(new_nodes) - set(old_nodes)),
        "nodes_removed": sorted(set(old_nodes) - set(new_nodes)),
        "nodes_changed": changed,
        "edges_added": [new_lines[k] for k in sorted(set(new_lines) - set(old_lines))],
        "edges_removed": [old_lines[k] for k in sorted(set(old_lines) - set(new_lines))],
        "state_changes": json_changes(before.get("state") or {}, after.get("state") or {}),
    }


def diff_of(old: AgentVersion | None, new: AgentVersion) -> VersionDiff:
    """The whole diff from ``old`` (None: nothing yet, so everything is added) to ``new``."""
    before = _definition(old) if old is not None else {}
    return VersionDiff.model_validate(
        {
            "from": old.version if old is not None else None,
            "to": new.version,
            "changes": version_diff(old, new) if old is not None else [],
            "graph": graph_diff(before, _definition(new)),
        }
    )
