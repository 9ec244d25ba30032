"""The benchmark's graph: ``__start__ → n1 → … → nN → __end__`` of no-op nodes.

The same chain three ways: a platform definition (``llm`` nodes, run by ``node.llm``),
the input the hand-written workflows carry, and a LangGraph StateGraph with the same
state (a ``messages`` list merged with LangGraph's own ``add_messages``).
"""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages

# The conversation every run starts from (the platform's chat input in miniature).
CHAIN_INPUTS: dict[str, Any] = {"messages": [{"role": "user", "content": "benchmark"}]}


def node_names(nodes: int) -> list[str]:
    """``n1`` … ``nN``."""
    return [f"n{i}" for i in range(1, nodes + 1)]


def chain_definition(nodes: int) -> dict[str, Any]:
    """A platform definition: ``nodes`` activity-executed ``llm`` nodes in a chain."""
    names = ["__start__", *node_names(nodes), "__end__"]
    return {
        "state": {"messages": {"reducer": "add_messages"}},
        "nodes": [
            {"name": name, "type": "llm", "config": {"model": "scripted/echo"}}
            for name in node_names(nodes)
        ],
        "edges": [
            {"source": source, "target": target}
            for source, target in zip(names, names[1:], strict=False)
        ],
        # Room for every node of a long chain (the default limit is 25 steps).
        "max_steps": max(25, nodes),
    }


class ChainState(TypedDict):
    """LangGraph state of the chain."""

    messages: Annotated[list[Any], add_messages]


async def _noop(state: ChainState) -> dict[str, Any]:
    return {}


def langgraph_chain(nodes: int, checkpointer: Any = None) -> Any:
    """The chain as a compiled LangGraph graph of async no-op nodes."""
    graph = StateGraph(ChainState)
    previous = START
    for name in node_names(nodes):
        graph.add_node(name, _noop)
        graph.add_edge(previous, name)
        previous = name
    graph.add_edge(previous, END)
    return graph.compile(checkpointer=checkpointer)
