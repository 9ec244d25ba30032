"""Validation of data flow: every key read is declared and written by something."""

from __future__ import annotations

from dataclasses import dataclass

from node_types.errors import Problem
from node_types.ir import ConditionalEdge, FanoutEdge, edge_targets
from node_types.problem_codes import ProblemCode
from node_types.validation_parts import DefinitionParts, expression_keys, usable_config

NEVER_WRITTEN = "which no node writes, no input provides and has no default"


@dataclass
class _Read:
    key: str
    path: str
    node: str | None  # None for reads by edges (they read the source's view of the state)


def dataflow_problems(parts: DefinitionParts) -> list[Problem]:
    """Reads of undeclared / never-written keys; writes, inputs and output naming unknown keys."""
    problems: list[Problem] = []
    declared = set(parts.state)
    written = _provided_keys(parts, problems)
    payload_keys, pulled = _send_payloads(parts)
    for read in _reads(parts):
        payload = payload_keys.get(read.node or "", [])
        if read.key in payload:
            continue  # the Send payload provides it
        # A node that only ever runs as a Send target sees its payload, not the state.
        sees_state = read.node is None or read.node in pulled or read.node not in payload_keys
        if not sees_state:
            message = f"reads {read.key!r}, which is not in its Send payload (add it to `include`)"
            code = ProblemCode.STATE_READ_NOT_IN_PAYLOAD
            problems.append(Problem.at(read.path, message, code, key=read.key))
        elif read.key not in declared:
            message = f"reads {read.key!r}, which is not a declared state key"
            code = ProblemCode.STATE_READ_UNDECLARED
            problems.append(Problem.at(read.path, message, code, key=read.key))
        elif read.key not in written:
            message = f"reads state key {read.key!r}, {NEVER_WRITTEN}"
            code = ProblemCode.STATE_READ_NEVER_WRITTEN
            problems.append(Problem.at(read.path, message, code, key=read.key))
    for i, edge in parts.edges:
        if isinstance(edge, FanoutEdge):
            for j, key in enumerate(edge.include):
                if key not in declared:
                    problems.append(_unknown_key(f"/edges/{i}/include/{j}", key))
    return problems


def _unknown_key(path: str, key: str) -> Problem:
    return Problem.at(path, f"unknown state key {key!r}", ProblemCode.STATE_UNKNOWN_KEY, key=key)


def _provided_keys(parts: DefinitionParts, problems: list[Problem]) -> set[str]:
    raw_state = parts.raw.get("state") if isinstance(parts.raw.get("state"), dict) else {}
    provided = {k for k, v in raw_state.items() if isinstance(v, dict) and "default" in v}
    inputs = parts.raw.get("inputs")
    if inputs is None:
        inputs = ["messages"] if "messages" in parts.state else []
    for j, key in enumerate(inputs if isinstance(inputs, list) else []):
        if key not in parts.state:
            problems.append(_unknown_key(f"/inputs/{j}", key))
        provided.add(key)
    output = parts.raw.get("output")
    if isinstance(output, str) and output not in parts.state:
        problems.append(_unknown_key("/output", output))
    for i, node in parts.nodes:
        usable = usable_config(node)
        derived = usable[0].state_writes(usable[1]) if usable else []
        for key in derived:
            if key not in parts.state:
                message = f"writes {key!r}, which is not a declared state key"
                code = ProblemCode.STATE_WRITE_UNDECLARED
                problems.append(Problem.at(f"/nodes/{i}/config", message, code, key=key))
        for j, key in enumerate(node.writes or []):
            if key not in parts.state:
                problems.append(_unknown_key(f"/nodes/{i}/writes/{j}", key))
        provided |= set(derived) | set(node.writes or [])
    return provided


def _send_payloads(parts: DefinitionParts) -> tuple[dict[str, list[str]], set[str]]:
    payloads: dict[str, list[str]] = {}
    pulled: set[str] = set()
    for _, edge in parts.edges:
        if isinstance(edge, FanoutEdge) and edge.target is not None:
            payloads.setdefault(edge.target, []).extend([edge.item_key, *edge.include])
        else:
            pulled |= set(edge_targets(edge))
    return payloads, pulled


def _reads(parts: DefinitionParts) -> list[_Read]:
    reads: list[_Read] = []
    for i, node in parts.nodes:
        base = f"/nodes/{i}"
        usable = usable_config(node)
        if usable is not None:
            entry, config = usable
            reads += [_Read(k, f"{base}/config", node.name) for k in entry.state_reads(config)]
            for path, kind, text in entry.config_expressions(config):
                reads += [
                    _Read(k, f"{base}/config{path}", node.name) for k in expression_keys(text, kind)
                ]
        reads += [_Read(k, f"{base}/reads/{j}", node.name) for j, k in enumerate(node.reads or [])]
    for i, edge in parts.edges:
        if isinstance(edge, ConditionalEdge):
            keys = expression_keys(edge.condition, "expression")
            reads += [_Read(k, f"/edges/{i}/condition", None) for k in keys]
        elif isinstance(edge, FanoutEdge) and edge.over is not None:
            reads += [
                _Read(k, f"/edges/{i}/over", None) for k in expression_keys(edge.over, "expression")
            ]
    return reads
