"""Derive WorkflowTemplateNode / WorkflowTemplateEdge row fields from a definition.

Plain dicts; the API layer adds ids, template_id, node_type_id and timestamps.
"""

from __future__ import annotations

from typing import Any

from node_types.ir import END, START, ConditionalEdge, FanoutEdge, NormalEdge, WorkflowDefinition
from node_types.ir import edge_targets as possible_targets


def node_rows(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per node: node_name, node_type, node_config, position_config, parents, children.

    parent_nodes / child_nodes list every node an edge can come from / lead to (including
    `__start__` / `__end__`), sorted.
    """
    parsed = WorkflowDefinition.model_validate(definition)
    parents: dict[str, set[str]] = {n.name: set() for n in parsed.nodes}
    children: dict[str, set[str]] = {n.name: set() for n in parsed.nodes}
    for edge in parsed.edges:
        for target in possible_targets(edge):
            if target in parents:
                parents[target].add(edge.source)
            if edge.source in children:
                children[edge.source].add(target)
    return [
        {
            "node_name": node.name,
            "node_type": node.type,
            "node_config": node.config,
            "position_config": node.position.model_dump() if node.position else None,
            "parent_nodes": sorted(parents[node.name]),
            "child_nodes": sorted(children[node.name]),
        }
        for node in parsed.nodes
    ]


def edge_rows(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per edge, in definition order (execution_order = index).

    to_node is None for conditional edges and fan-outs (their targets are in
    condition_mapping / fanout_targets); timeout_seconds and retry_policy come from the
    edge's single target node, if it has them.
    """
    parsed = WorkflowDefinition.model_validate(definition)
    nodes = {n.name: n for n in parsed.nodes}
    rows = []
    for order, edge in enumerate(parsed.edges):
        single = edge.target if isinstance(edge, NormalEdge) else None
        target_node = nodes.get(single) if single not in (None, START, END) else None
        rows.append(
            {
                "from_node": edge.source,
                "to_node": single,
                "edge_type": edge.type,
                "condition_function": edge.condition if isinstance(edge, ConditionalEdge) else None,
                "condition_mapping": _condition_mapping(edge),
                "fanout_targets": possible_targets(edge) if isinstance(edge, FanoutEdge) else None,
                "fanout_condition": _fanout_condition(edge),
                "execution_order": order,
                "timeout_seconds": _timeout(target_node),
                "retry_policy": _retry(target_node),
            }
        )
    return rows


def _condition_mapping(edge: Any) -> dict[str, Any] | None:
    if not isinstance(edge, ConditionalEdge):
        return None
    return {"mapping": dict(edge.mapping), "default": edge.default}


def _fanout_condition(edge: Any) -> dict[str, Any] | None:
    if not isinstance(edge, FanoutEdge) or edge.over is None:
        return None
    return {"over": edge.over, "item_key": edge.item_key, "include": list(edge.include)}


def _timeout(node: Any) -> int | None:
    if node is None or node.timeouts is None or node.timeouts.start_to_close_seconds is None:
        return None
    return int(node.timeouts.start_to_close_seconds)


def _retry(node: Any) -> dict[str, Any] | None:
    if node is None or node.retry is None:
        return None
    return node.retry.model_dump(exclude_none=True)
