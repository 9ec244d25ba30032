"""WorkflowTemplateNode / WorkflowTemplateEdge row fields derived from a definition."""

from __future__ import annotations

from templates_catalog import edge_rows, get_template, instantiate, load_catalog, node_rows


def test_code_review_rows() -> None:
    definition = instantiate(get_template("code_review"), {})
    nodes = {row["node_name"]: row for row in node_rows(definition)}
    assert list(nodes) == ["code_analyzer", "security_reviewer", "performance_checker", "summarize"]
    assert nodes["summarize"]["parent_nodes"] == [
        "code_analyzer",
        "performance_checker",
        "security_reviewer",
    ]
    assert nodes["summarize"]["child_nodes"] == ["__end__"]
    assert nodes["code_analyzer"]["parent_nodes"] == ["__start__"]
    assert nodes["code_analyzer"]["node_type"] == "llm"
    assert nodes["code_analyzer"]["position_config"] == {"x": 100.0, "y": 150.0}
    edges = edge_rows(definition)
    fanout = edges[0]
    assert fanout == {
        "from_node": "__start__",
        "to_node": None,
        "edge_type": "fanout",
        "condition_function": None,
        "condition_mapping": None,
        "fanout_targets": ["code_analyzer", "security_reviewer", "performance_checker"],
        "fanout_condition": None,
        "execution_order": 0,
        "timeout_seconds": None,
        "retry_policy": None,
    }
    assert [e["execution_order"] for e in edges] == list(range(len(edges)))


def test_conditional_and_dynamic_edges() -> None:
    definition = {
        "state": {
            "messages": {"type": "array", "reducer": "add_messages"},
            "topics": {"type": "array"},
        },
        "nodes": [
            {"name": "plan", "type": "llm", "config": {"output_key": "topics"}},
            {
                "name": "work",
                "type": "llm",
                "config": {"include_history": False},
                "retry": {"max_attempts": 2},
                "timeouts": {"start_to_close_seconds": 30},
            },
        ],
        "edges": [
            {"source": "__start__", "target": "work"},
            {
                "type": "conditional",
                "source": "work",
                "condition": "len(messages) > 3",
                "mapping": {"true": "__end__"},
                "default": "plan",
            },
            {
                "type": "fanout",
                "source": "plan",
                "target": "work",
                "over": "topics",
                "item_key": "topic",
            },
        ],
        "max_steps": 9,
    }
    first, conditional, dynamic = edge_rows(definition)
    assert first["to_node"] == "work"
    assert first["timeout_seconds"] == 30 and first["retry_policy"] == {"max_attempts": 2}
    assert conditional["condition_function"] == "len(messages) > 3"
    assert conditional["condition_mapping"] == {"mapping": {"true": "__end__"}, "default": "plan"}
    assert dynamic["fanout_targets"] == ["work"]
    assert dynamic["fanout_condition"] == {"over": "topics", "item_key": "topic", "include": []}
    nodes = {row["node_name"]: row for row in node_rows(definition)}
    assert nodes["work"]["parent_nodes"] == ["__start__", "plan"]
    assert nodes["work"]["child_nodes"] == ["__end__", "plan"]


def test_every_template_yields_rows_for_every_node_and_edge() -> None:
    for template in load_catalog():
        params = {"action_tool": "x"} if template.name == "approval_gated_action" else {}
        definition = instantiate(template, params)
        assert len(node_rows(definition)) == len(definition["nodes"])
        assert len(edge_rows(definition)) == len(definition["edges"])
