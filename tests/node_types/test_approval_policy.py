"""The approval policy's pure rules: when a stage is settled, who speaks for whom, and
which policies cannot be met."""

from __future__ import annotations

from typing import Any

import pytest

from node_types import approval
from node_types.validation import validate_definition
from tests.helpers import approval_agent


def _tally(assignees: dict[str, list[str]], quorum: int) -> approval.StageTally:
    policy = approval.policy_of(
        {"approval": {"stages": [{"assignees": assignees, "quorum": quorum}]}}
    )
    assert policy is not None
    return approval.new_tally(policy, 0)


def _answer(tally: approval.StageTally, who: str, agreed: bool) -> None:
    tally.answers.append(approval.Answer(who, who, agreed, {"approved": agreed}, "t"))


@pytest.mark.parametrize(
    ("size", "quorum", "noes", "decision"),
    [
        (3, 2, 1, None),  # one no of three: two yes's are still possible
        (3, 2, 2, "rejected"),  # two no's: out of reach
        (4, 2, 2, None),
        (4, 2, 3, "rejected"),
        (3, 3, 1, "rejected"),  # unanimity: any no rejects
        (3, 1, 2, None),
        (3, 1, 3, "rejected"),
    ],
)
def test_named_people_reject_once_agreement_is_out_of_reach(
    size: int, quorum: int, noes: int, decision: str | None
) -> None:
    tally = _tally({"users": [f"u{i}" for i in range(size)]}, quorum)
    for i in range(noes):
        _answer(tally, f"u{i}", False)
    assert tally.size == size and tally.decision == decision


def test_a_role_or_group_stage_is_settled_by_quorum_either_way() -> None:
    tally = _tally({"roles": ["reviewer"]}, 2)
    assert tally.size is None
    _answer(tally, "a", True)
    _answer(tally, "b", False)
    assert tally.decision is None and tally.still_needed == 1
    _answer(tally, "c", True)
    assert tally.decision == "approved" and tally.still_needed == 0
    veto = _tally({"groups": ["finance"]}, 2)
    _answer(veto, "a", False)
    _answer(veto, "b", False)
    assert veto.decision == "rejected"


def test_assignees_are_matched_by_id_email_role_or_group() -> None:
    assignees = {"users": ["Ana@Example.com", "u-1"], "roles": ["admin"], "groups": ["fin"]}
    assert approval.is_assignee(assignees, approval.Person("x", "ana@example.com"))
    assert approval.is_assignee(assignees, approval.Person("u-1"))
    assert approval.is_assignee(assignees, approval.Person("y", role="admin"))
    assert approval.is_assignee(assignees, approval.Person("z", groups=("ops", "fin")))
    assert not approval.is_assignee(assignees, approval.Person("w", "w@x", "reviewer", ("ops",)))


def test_named_people_are_kept_in_lower_case_as_they_are_compared() -> None:
    policy = approval.policy_of(
        {"approval": {"stages": [{"assignees": {"users": ["Ana@Example.com"]}}]}}
    )
    assert policy is not None
    assert policy["stages"][0]["assignees"]["users"] == ["ana@example.com"]


def test_a_delegate_speaks_for_the_delegator_who_no_longer_speaks() -> None:
    tally = _tally({"users": ["a", "b"]}, 2)
    tally.delegations["a"] = "d"
    assert tally.voice_of(approval.Person("d")) == "a"
    assert tally.voice_of(approval.Person("a")) is None
    assert tally.voice_of(approval.Person("b")) == "b"


def _problems(policy: dict[str, Any]) -> list[tuple[str, str]]:
    definition = approval_agent()
    definition["nodes"][0]["config"]["approval"] = policy  # type: ignore[index]
    return [(p.path, p.message) for p in validate_definition(definition)]


def test_policies_that_cannot_be_met_are_problems_at_their_place() -> None:
    assert _problems({"stages": [{"assignees": {"users": ["a", "b"]}, "quorum": 2}]}) == []
    too_many = _problems({"stages": [{"assignees": {"users": ["a"]}, "quorum": 2}]})
    assert too_many == [
        ("/nodes/0/config/approval/stages/0/quorum", "2 must agree but the stage names 1")
    ]
    no_target = _problems(
        {
            "stages": [
                {
                    "assignees": {"roles": ["reviewer"]},
                    "deadline": {
                        "after_seconds": 60,
                        "policy": "escalate",
                        "remind_before_seconds": 90,
                    },
                }
            ]
        }
    )
    assert [p for p, _ in no_target] == [
        "/nodes/0/config/approval/stages/0/deadline/escalate_to",
        "/nodes/0/config/approval/stages/0/deadline/remind_before_seconds",
    ]
    wrong_key = _problems({"decision_key": "ok", "stages": [{"assignees": {"roles": ["admin"]}}]})
    assert wrong_key == [
        ("/nodes/0/config/approval/decision_key", "the answer form needs a boolean field 'ok'")
    ]
    empty = _problems({"stages": []})
    assert empty and empty[0][0].startswith("/nodes/0/config/approval")
