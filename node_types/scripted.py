"""Deterministic scripted node outputs, for tests, demos and fake activities.

Every non-inline node type gets a fake "service" response that depends only on the node
name and the node's input (never on time, order or randomness), pushed through the
node type's real pure halves (`build_request`/`prepare` and `to_update`). Two engines
running the same plan with these outputs must therefore end in the same state.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from node_types import human, llm, rag, tool
from node_types.compiler import canonical_json
from node_types.plan import ExecutionPlan
from node_types.pregel import NodeFn, Task


def seed_of(node: str, node_input: dict[str, Any]) -> str:
    """A hex digest of the node name and its input: the only source of variation."""
    payload = canonical_json([node, node_input])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fake_json(schema: dict[str, Any], seed: str) -> Any:
    """A value matching a simple JSON Schema, chosen deterministically from `seed`."""
    number = int(seed[:8], 16)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][number % len(schema["enum"])]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        return {
            name: fake_json(sub, hashlib.sha256((seed + name).encode()).hexdigest())
            for name, sub in sorted((schema.get("properties") or {}).items())
        }
    if kind == "boolean":
        return number % 2 == 0
    if kind in ("integer", "number"):
        return number % 10
    if kind == "array":
        return []
    if kind == "null":
        return None
    return f"text-{seed[:6]}"


def scripted_node_fn(plan: ExecutionPlan) -> NodeFn:
    """A node function for `run_in_memory` / the LangGraph export with scripted outputs."""

    def run(task: Task, node_input: dict[str, Any]) -> dict[str, Any]:
        return scripted_update(plan, task, node_input)

    return run


def scripted_update(plan: ExecutionPlan, task: Task, node_input: dict[str, Any]) -> dict[str, Any]:
    """The state update a scripted service would cause for this task."""
    node = plan.node(task.node)
    seed = seed_of(node.name, node_input)
    if node.type == "llm":
        return llm.to_update(node.config, _llm_reply(node.name, node.config, node_input, seed))
    if node.type == "tool":
        calls = tool.prepare(node.config, node_input)
        results = [
            None
            if c.get("error")
            else {"content": {"tool": c["name"], "arguments": c["arguments"]}}
            for c in calls
        ]
        return tool.to_update(node.config, calls, results)
    if node.type == "rag":
        request = rag.prepare(node.config, node_input)
        passages = [
            {"text": f"Passage {i + 1} on: {request['query'][:60]}", "source": f"doc-{seed[i]}.md"}
            for i in range(min(request["top_k"], 2))
        ]
        return rag.to_update(node.config, passages)
    if node.type == "human":
        config = {**human.DEFAULT_CONFIG, **node.config}
        return human.to_update(config, fake_json(config["required_input_schema"], seed))
    raise ValueError(f"no scripted output for node type {node.type!r}")


def _llm_reply(
    name: str, config: dict[str, Any], node_input: dict[str, Any], seed: str
) -> dict[str, Any]:
    request = llm.build_request(config, node_input)
    if config.get("json_schema") is not None:
        return {"role": "assistant", "content": json.dumps(fake_json(config["json_schema"], seed))}
    tools = [
        *request.get("tool_names", []),
        *(t["function"]["name"] for t in request.get("tools", [])),
    ]
    if tools and request.get("tool_choice") != "none" and not _tool_results_since_user(request):
        call = {"id": f"call_{seed[:8]}", "function": {"name": tools[0], "arguments": "{}"}}
        return {"role": "assistant", "content": "", "tool_calls": [call]}
    return {"role": "assistant", "content": f"{name} says {seed[:8]}"}


def _tool_results_since_user(request: dict[str, Any]) -> bool:
    for message in reversed(request["messages"]):
        if message["role"] == "tool":
            return True
        if message["role"] == "user":
            return False
    return False
