"""Agent definitions and scripted models the observability tests run."""

from __future__ import annotations

import uuid
from typing import Any

from activities.scripted_llm import ScriptedReply, register_script

FAST_RETRY = {"max_attempts": 3, "initial_interval_seconds": 0.1, "backoff_coefficient": 1.0}


def draft_then_review(draft_model: str, review_model: str) -> dict[str, Any]:
    """Two LLM nodes in a row: ``draft`` then ``review``."""
    return {
        "state": {"messages": {"reducer": "add_messages"}},
        "nodes": [
            {"name": "draft", "type": "llm", "config": {"model": draft_model}, "retry": FAST_RETRY},
            {
                "name": "review",
                "type": "llm",
                "config": {"model": review_model},
                "retry": FAST_RETRY,
            },
        ],
        "edges": [
            {"source": "__start__", "target": "draft"},
            {"source": "draft", "target": "review"},
            {"source": "review", "target": "__end__"},
        ],
    }


def scripted_model(text: str, *, failures: int = 0) -> str:
    """Register a script under a fresh name answering ``text`` after ``failures`` errors.

    A fresh name per test keeps metric series labelled by model to this test alone.
    """
    name = f"obs-{uuid.uuid4().hex[:10]}"
    left = {"failures": failures}

    def script(messages: list[dict[str, Any]], params: dict[str, Any]) -> ScriptedReply:
        if left["failures"] > 0:
            left["failures"] -= 1
            raise RuntimeError("scripted provider outage")
        return ScriptedReply(text=text)

    register_script(name, script)
    return f"scripted/{name}"
