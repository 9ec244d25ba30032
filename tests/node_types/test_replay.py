"""Replay keys and verdicts: the same call has the same key whatever the key order; any
change of node, type, settings or input makes another; runs compare by path, then answer."""

from __future__ import annotations

from node_types.replay import call_key, compare, path_of


def test_a_call_key_is_the_request_not_its_spelling() -> None:
    config = {"model": "m", "temperature": 0}
    state = {"messages": [{"role": "user", "content": "hi"}], "n": 1}
    key = call_key("answer", "llm", config, state)
    assert key == call_key(
        "answer", "llm", {"temperature": 0, "model": "m"}, dict(reversed(state.items()))
    )
    assert (
        len(
            {
                key,
                call_key("other", "llm", config, state),
                call_key("answer", "tool", config, state),
                call_key("answer", "llm", {**config, "temperature": 1}, state),
                call_key("answer", "llm", config, {**state, "n": 2}),
            }
        )
        == 5
    )


def test_runs_compare_by_path_then_by_answer_with_a_line_diff() -> None:
    assert path_of([(2, "c"), (0, "a"), (1, "b")]) == ["a", "b", "c"]
    same = compare(["a", "b"], "one\ntwo", ["a", "b"], "one\ntwo")
    assert same["verdict"] == "same" and same["answer_diff"] == ""
    changed = compare(["a", "b"], "one\ntwo", ["a", "b"], "one\n2")
    assert changed["verdict"] == "different_answer"
    assert changed["answer_diff"].splitlines()[-2:] == ["-two", "+2"]
    assert compare(["a", "b"], "x", ["a", "c"], "x")["verdict"] == "different_path"
