"""Approval policies of a `human` node: who may answer, how many must agree, in what order.

A policy is a list of sequential stages. Each stage names its assignees (roles, groups
of users, named users by id or e-mail), a quorum M (how many distinct people must agree)
and an optional deadline with a reminder and what happens when it passes (escalate to
other assignees, reject, fail). Stage 2 is asked only once stage 1 has approved.

A stage is *approved* when M distinct assignees agree (the answer's ``decision_key``,
``approved`` by default, is true). It is *rejected* as soon as agreement can no longer be
reached: with N named people, when more than N − M have disagreed; when the stage names a
role or a group (whose membership can change while the task waits), when M have
disagreed. An assignee may delegate their part to someone else, who then answers for them:
one person, one voice, whoever speaks it.

Everything here is pure and deterministic: the workflow tallies answers with it, the API
uses it to say who may answer and what is still needed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from node_types.errors import ConfigProblem
from node_types.problem_codes import ProblemCode

ASSIGNEES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "roles": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 50},
            "maxItems": 20,
        },
        "groups": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 100},
            "maxItems": 50,
        },
        "users": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 255},
            "maxItems": 200,
        },
    },
}

STAGE_DEADLINE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["after_seconds", "policy"],
    "properties": {
        "after_seconds": {"type": "number", "exclusiveMinimum": 0},
        "remind_before_seconds": {"type": ["number", "null"], "exclusiveMinimum": 0},
        "policy": {"enum": ["escalate", "reject", "fail"]},
        "escalate_to": {"anyOf": [ASSIGNEES_SCHEMA, {"type": "null"}]},
        "escalate_priority": {"type": ["integer", "null"], "minimum": 1, "maximum": 10},
    },
}

STAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["assignees"],
    "properties": {
        "name": {"type": ["string", "null"], "maxLength": 100},
        "assignees": ASSIGNEES_SCHEMA,
        "quorum": {"type": "integer", "minimum": 1, "maximum": 100},
        "deadline": {"anyOf": [STAGE_DEADLINE_SCHEMA, {"type": "null"}]},
    },
}

POLICY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["stages"],
    "properties": {
        "decision_key": {"type": "string", "minLength": 1, "maxLength": 64},
        "on_rejection": {"enum": ["branch", "fail"]},
        "stages": {"type": "array", "minItems": 1, "maxItems": 10, "items": STAGE_SCHEMA},
    },
}

DECISION_KEY = "approved"


@dataclass(frozen=True)
class Person:
    """Who answers: their id, e-mail, role and the names of their groups."""

    user_id: str
    email: str = ""
    role: str = ""
    groups: tuple[str, ...] = ()


@dataclass
class Answer:
    """One person's answer to a stage (``voice``: whose voice it is, after delegation)."""

    by: str
    voice: str
    agreed: bool
    input: dict[str, Any]
    at: str
    note: str | None = None

    def public(self) -> dict[str, Any]:
        """The answer as the node's output and the records show it."""
        return {
            "by": self.by,
            "on_behalf_of": self.voice if self.voice != self.by else None,
            "agreed": self.agreed,
            "input": copy.deepcopy(self.input),
            "at": self.at,
        }


@dataclass
class StageTally:
    """A stage's assignees, delegations and answers; decides when it is settled."""

    index: int
    name: str | None
    assignees: dict[str, list[str]]
    quorum: int
    decision_key: str
    delegations: dict[str, str] = field(default_factory=dict)  # voice -> delegate's id
    answers: list[Answer] = field(default_factory=list)

    @property
    def size(self) -> int | None:
        """N: how many people the stage names, when it names only people."""
        if self.assignees.get("roles") or self.assignees.get("groups"):
            return None
        return len(set(self.assignees.get("users") or []))

    @property
    def agreements(self) -> int:
        """How many distinct voices agreed."""
        return sum(1 for a in self.answers if a.agreed)

    @property
    def disagreements(self) -> int:
        """How many distinct voices disagreed."""
        return sum(1 for a in self.answers if not a.agreed)

    @property
    def decision(self) -> str | None:
        """``approved``, ``rejected`` (agreement out of reach) or None (still open)."""
        if self.agreements >= self.quorum:
            return "approved"
        size = self.size
        out_of_reach = (
            self.disagreements > size - self.quorum
            if size is not None
            else self.disagreements >= self.quorum
        )
        return "rejected" if out_of_reach else None

    @property
    def still_needed(self) -> int:
        """How many more agreeing answers the stage needs."""
        return max(self.quorum - self.agreements, 0)

    def voice_of(self, person: Person) -> str | None:
        """Whose voice ``person`` speaks here, or None when they may not answer.

        A delegate speaks for the assignee who delegated to them; an assignee who
        delegated no longer speaks for themselves.
        """
        for voice, delegate in self.delegations.items():
            if delegate == person.user_id:
                return voice
        if person.user_id in self.delegations:
            return None
        return person.user_id if is_assignee(self.assignees, person) else None

    def has_answered(self, voice: str) -> bool:
        """Whether this voice has been heard already."""
        return any(a.voice == voice for a in self.answers)

    def escalate(self, extra: dict[str, list[str]]) -> None:
        """Add the escalation's assignees to the stage's (nobody already asked is dropped)."""
        merged = {key: list(values) for key, values in self.assignees.items()}
        for key, values in extra.items():
            merged[key] = list(dict.fromkeys([*merged.get(key, []), *values]))
        self.assignees = merged

    def public(self) -> dict[str, Any]:
        """What the task row keeps of the stage (the inbox shows it)."""
        return {
            "stage": self.index,
            "stage_name": self.name,
            "quorum": self.quorum,
            "of": self.size,
            "assignees": copy.deepcopy(self.assignees),
            "delegations": [{"from": v, "to": d} for v, d in self.delegations.items()],
            "decision_key": self.decision_key,
            "agreements": self.agreements,
            "disagreements": self.disagreements,
            "still_needed": self.still_needed,
        }

    def outcome(self, decision: str) -> dict[str, Any]:
        """The stage as the node's output shows it."""
        return {
            "name": self.name,
            "decision": decision,
            "answers": [a.public() for a in self.answers],
        }


def is_assignee(assignees: dict[str, list[str]], person: Person) -> bool:
    """Whether the person is named by the stage's roles, groups or users."""
    users = {u.lower() for u in assignees.get("users") or []}
    if person.user_id.lower() in users or (person.email and person.email.lower() in users):
        return True
    if person.role and person.role in (assignees.get("roles") or []):
        return True
    return bool(set(person.groups) & set(assignees.get("groups") or []))


def policy_of(config: dict[str, Any]) -> dict[str, Any] | None:
    """The node's approval policy with defaults filled in, or None (a plain task)."""
    policy = config.get("approval")
    if not policy:
        return None
    return {
        "decision_key": policy.get("decision_key") or DECISION_KEY,
        "on_rejection": policy.get("on_rejection") or "branch",
        "stages": [
            {
                "name": stage.get("name"),
                "assignees": assignees_of(stage["assignees"]),
                "quorum": stage.get("quorum") or 1,
                "deadline": stage.get("deadline"),
            }
            for stage in policy["stages"]
        ],
    }


def new_tally(policy: dict[str, Any], index: int) -> StageTally:
    """An empty tally for stage ``index``."""
    stage = policy["stages"][index]
    return StageTally(
        index=index,
        name=stage["name"],
        assignees=copy.deepcopy(stage["assignees"]),
        quorum=stage["quorum"],
        decision_key=policy["decision_key"],
    )


def agreed(decision_key: str, human_input: dict[str, Any]) -> bool:
    """Whether an answer agrees (its decision field is true)."""
    return human_input.get(decision_key) is True


def output(stages: list[dict[str, Any]]) -> dict[str, Any]:
    """The node's output: approved only when every stage approved."""
    approved = bool(stages) and all(s["decision"] == "approved" for s in stages)
    return {"approved": approved, "stages": stages}


def policy_problems(policy: dict[str, Any], input_schema: dict[str, Any]) -> list[tuple[str, str]]:
    """What the JSON Schema cannot say: quorums that cannot be met, a decision field the
    answer form lacks, an escalation with nobody to escalate to, a reminder after the
    deadline."""
    problems: list[ConfigProblem] = []
    key = policy.get("decision_key") or DECISION_KEY
    prop = (input_schema.get("properties") or {}).get(key) or {}
    if prop.get("type") != "boolean":
        problems.append(
            ConfigProblem(
                "/approval/decision_key",
                f"the answer form needs a boolean field {key!r}",
                ProblemCode.APPROVAL_DECISION_NOT_BOOLEAN,
                {"key": key},
            )
        )
    elif key not in (input_schema.get("required") or []):
        problems.append(
            ConfigProblem(
                "/approval/decision_key",
                f"the answer form must require {key!r}",
                ProblemCode.APPROVAL_DECISION_NOT_REQUIRED,
                {"key": key},
            )
        )
    for i, stage in enumerate(policy.get("stages") or []):
        base = f"/approval/stages/{i}"
        assignees = assignees_of(stage.get("assignees") or {})
        quorum = stage.get("quorum") or 1
        named_only = not assignees["roles"] and not assignees["groups"]
        named = len(set(assignees["users"]))
        if named_only and quorum > named:
            problems.append(
                ConfigProblem(
                    f"{base}/quorum",
                    f"{quorum} must agree but the stage names {named}",
                    ProblemCode.APPROVAL_QUORUM_TOO_LARGE,
                    {"quorum": quorum, "named": named},
                )
            )
        deadline = stage.get("deadline") or {}
        if deadline.get("policy") == "escalate" and not deadline.get("escalate_to"):
            problems.append(
                ConfigProblem(
                    f"{base}/deadline/escalate_to",
                    "escalate needs escalate_to",
                    ProblemCode.APPROVAL_ESCALATE_WITHOUT_TARGET,
                )
            )
        remind = deadline.get("remind_before_seconds")
        if remind is not None and remind >= deadline.get("after_seconds", 0):
            problems.append(
                ConfigProblem(
                    f"{base}/deadline/remind_before_seconds",
                    "the reminder must come before the deadline",
                    ProblemCode.APPROVAL_REMINDER_AFTER_DEADLINE,
                )
            )
    return problems


def assignees_of(raw: dict[str, Any]) -> dict[str, list[str]]:
    """Roles, groups and users, each a list (absent ones empty); users in lower case, as
    e-mails and ids are compared (the inbox's SQL filter matches them as stored)."""
    assignees = {key: list(raw.get(key) or []) for key in ("roles", "groups", "users")}
    assignees["users"] = [user.lower() for user in assignees["users"]]
    return assignees
