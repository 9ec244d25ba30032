"""Reading an agent version's graph from its compiled plan, for a chat or a recorded run."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from node_types.ir import END, START, ConditionalEdge, FanoutEdge, NormalEdge, edge_targets
from node_types.plan import PlanNode, parse_plan
from platform_api.auth.caller import Caller
from platform_api.chats.service import get_own_chat
from platform_api.errors import NotFound
from platform_api.executions.service import get_execution_for
from platform_api.run_graph.schemas import (
    EdgeKind,
    RunGraph,
    RunGraphEdge,
    RunGraphFanOut,
    RunGraphNode,
    RunGraphPosition,
)
from platform_core.models import AgentVersion


async def get_for_execution(
    *, session: AsyncSession, caller: Caller, execution_id: uuid.UUID
) -> RunGraph:
    """The graph of the version a run ran on (404 when the caller may not read the run)."""
    execution = await get_execution_for(session=session, caller=caller, execution_id=execution_id)
    return await get_for_version(session=session, version_id=execution.agent_version_id)


async def get_for_chat(*, session: AsyncSession, caller: Caller, chat_id: uuid.UUID) -> RunGraph:
    """The graph of the version the caller's chat is locked to (its next run's graph)."""
    chat = await get_own_chat(session=session, caller=caller, chat_id=chat_id)
    return await get_for_version(session=session, version_id=chat.agent_version_id)


async def get_for_version(*, session: AsyncSession, version_id: uuid.UUID) -> RunGraph:
    """The graph of one version of the session's tenant."""
    version = await session.get(AgentVersion, version_id)
    if version is None:
        raise NotFound("agent version not found")
    return graph_of_version(version)


def graph_of_version(version: AgentVersion) -> RunGraph:
    """Nodes (start and end included) and drawn edges of a version's compiled plan.

    The plan's own edges are kept in definition order; a conditional or static fan-out
    edge becomes one drawn edge per target, all sharing the definition edge's index.
    """
    plan = parse_plan(version.execution_plan)
    descriptions = {spec.name: spec.description for spec in plan.definition.nodes}
    nodes = [
        _marker(START, "start"),
        *(_plan_node(node, descriptions.get(node.name)) for node in plan.nodes),
        _marker(END, "end"),
    ]
    edges: list[RunGraphEdge] = []
    for group, edge in enumerate(plan.definition.edges):
        edges += _drawn(group, edge)
    return RunGraph(
        agent_id=version.agent_id,
        agent_version_id=version.id,
        version=version.version,
        plan_hash=plan.plan_hash,
        name=plan.definition.name,
        start=START,
        end=END,
        nodes=nodes,
        edges=edges,
    )


def _marker(name: str, role: Literal["start", "end"]) -> RunGraphNode:
    return RunGraphNode(
        id=name, role=role, type=role, label=name, description=None, execution=None, position=None
    )


def _plan_node(node: PlanNode, description: str | None) -> RunGraphNode:
    position = RunGraphPosition(x=node.position.x, y=node.position.y) if node.position else None
    return RunGraphNode(
        id=node.name,
        role="node",
        type=node.type,
        label=node.name,
        description=description,
        execution=node.execution,
        position=position,
    )


def _drawn(group: int, edge: NormalEdge | ConditionalEdge | FanoutEdge) -> list[RunGraphEdge]:
    """The drawn edges of the definition's edge number `group`, one per target."""
    if isinstance(edge, ConditionalEdge):
        return [
            _edge(
                group,
                edge,
                target,
                condition=edge.condition,
                outcomes=sorted(o for o, t in edge.mapping.items() if t == target),
                is_default=edge.default == target,
            )
            for target in edge_targets(edge)
        ]
    if isinstance(edge, NormalEdge):
        return [_edge(group, edge, edge.target)]
    targets = edge_targets(edge)
    fan_out = RunGraphFanOut(
        dynamic=edge.is_dynamic,
        over=edge.over,
        item_key=edge.item_key if edge.is_dynamic else None,
        targets=len(targets),
    )
    return [_edge(group, edge, target, fan_out=fan_out) for target in targets]


_KINDS: dict[str, EdgeKind] = {
    "normal": "normal",
    "conditional": "conditional",
    "fanout": "fan_out",
}


def _edge(
    group: int,
    edge: NormalEdge | ConditionalEdge | FanoutEdge,
    target: str,
    *,
    condition: str | None = None,
    outcomes: list[str] | None = None,
    is_default: bool = False,
    fan_out: RunGraphFanOut | None = None,
) -> RunGraphEdge:
    return RunGraphEdge(
        id=f"{group}:{edge.source}->{target}",
        group=group,
        source=edge.source,
        target=target,
        kind=_KINDS[edge.type],
        condition=condition,
        outcomes=outcomes or [],
        is_default=is_default,
        fan_out=fan_out,
    )
