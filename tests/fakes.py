"""Scripted stand-ins for node activities whose real versions arrive with later issues.

Registered under the real activity names (``node.tool``)
so the workflow cannot tell; they use the node types' own pure halves (prepare /
to_update), so what they return has exactly the shape the real activities will.
"""

from __future__ import annotations

import json
from typing import Any

from temporalio import activity

from node_types import tool
from temporal_workflows.contracts import NodeActivityInput, NodeActivityResult, node_activity_name


@activity.defn(name=node_activity_name("tool"))
async def fake_tool_node(data: NodeActivityInput) -> NodeActivityResult:
    """Answer every call with a deterministic text naming the tool and its arguments."""
    calls = tool.prepare(data.config, data.node_input)
    results: list[dict[str, Any] | None] = [
        None
        if call.get("error")
        else {
            "content": f"fake {call['name']} result for {json.dumps(call['arguments'])}",
            "is_error": False,
        }
        for call in calls
    ]
    return NodeActivityResult(update=tool.to_update(data.config, calls, results))


FAKE_NODE_ACTIVITIES = [fake_tool_node]
