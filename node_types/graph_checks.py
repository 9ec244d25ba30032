"""Graph-shape checks over an adjacency list: reachability and cycles.

Adjacency maps a node name (or `__start__`) to the ordered list of names its edges can
lead to. Every traversal follows list order, so results are deterministic.
"""

from __future__ import annotations

from node_types.ir import END, START


def reachable_from_start(adjacency: dict[str, list[str]]) -> list[str]:
    """Names reachable from `__start__` (including `__end__` if reachable), in BFS order."""
    return _bfs(START, adjacency)


def reaching_end(adjacency: dict[str, list[str]]) -> list[str]:
    """Names from which `__end__` can be reached."""
    reverse: dict[str, list[str]] = {}
    for source in sorted(adjacency):
        for target in adjacency[source]:
            reverse.setdefault(target, []).append(source)
    return _bfs(END, reverse)


def find_cycle(adjacency: dict[str, list[str]]) -> list[str] | None:
    """One cycle as a list of names (first name repeated at the end), or None."""
    white, grey, black = 0, 1, 2
    color: dict[str, int] = {}
    for root in sorted(adjacency):
        if color.get(root, white) != white:
            continue
        # Iterative DFS: (node, next child index); the path is the grey stack.
        stack: list[tuple[str, int]] = [(root, 0)]
        color[root] = grey
        while stack:
            node, i = stack[-1]
            children = adjacency.get(node, [])
            if i < len(children):
                stack[-1] = (node, i + 1)
                child = children[i]
                state = color.get(child, white)
                if state == grey:
                    path = [n for n, _ in stack]
                    return path[path.index(child) :] + [child]
                if state == white:
                    color[child] = grey
                    stack.append((child, 0))
            else:
                color[node] = black
                stack.pop()
    return None


def _bfs(origin: str, adjacency: dict[str, list[str]]) -> list[str]:
    seen = [origin]
    known = {origin}
    cursor = 0
    while cursor < len(seen):
        for target in adjacency.get(seen[cursor], []):
            if target not in known:
                known.add(target)
                seen.append(target)
        cursor += 1
    return seen
