"""Replaying recorded calls: the key that says a node call is the same call, and how two
runs of one conversation compare.

A recorded call replays for a candidate version's node when the node's name, type and
whole configuration (its model, prompt, tool, parameters) and its input are the same: the
call would be the same request. Pure and deterministic: the workflow computes the key of
the call it is about to make; the API computes it from the recorded run's node records.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal

Verdict = Literal["same", "different_answer", "different_path"]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def call_key(node: str, node_type: str, config: dict[str, Any], node_input: Any) -> str:
    """The identity of one node call: same key, same request (so the same recorded answer)."""
    digest = hashlib.sha256(_canonical([node, node_type, config, node_input]).encode())
    return digest.hexdigest()


def path_of(tasks: Iterable[tuple[int, str]]) -> list[str]:
    """The nodes a run went through, step by step (a step's nodes by name)."""
    return [node for _, node in sorted(tasks)]


def compare(
    recorded_path: Sequence[str],
    recorded_answer: str | None,
    path: Sequence[str],
    answer: str | None,
) -> dict[str, Any]:
    """How the candidate's run of a conversation differs from the recorded one."""
    verdict: Verdict
    if list(path) != list(recorded_path):
        verdict = "different_path"
    elif (answer or "") != (recorded_answer or ""):
        verdict = "different_answer"
    else:
        verdict = "same"
    diff = "\n".join(
        difflib.unified_diff(
            (recorded_answer or "").splitlines(),
            (answer or "").splitlines(),
            fromfile="recorded",
            tofile="candidate",
            lineterm="",
        )
    )
    return {
        "verdict": verdict,
        "recorded_path": list(recorded_path),
        "path": list(path),
        "recorded_answer": recorded_answer,
        "answer": answer,
        "answer_diff": diff,
    }
