"""Tasks of an approval policy's stage: who may answer or delegate, and what was said.

The workflow decides (quorum, exactly-once, delegation); this module reads what its
activities recorded on the task row (``assignee_rule``: the stage's assignees, tally
and delegations) and in ``human_task_answers``, to show the inbox who may act and who
has, and to filter "my" tasks in SQL.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.dialects.postgresql import array
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from node_types import approval
from platform_api.auth.caller import Caller
from platform_api.human_tasks.schemas import AnswerPublic, TaskPolicy
from platform_core.approval_people import group_names_of
from platform_core.models import HumanInterventionTask, HumanTaskAnswer, User


def stage_of(task: HumanInterventionTask) -> dict[str, Any] | None:
    """The stage a task asks, or None for a single-answer task."""
    rule = task.assignee_rule or {}
    return rule if "stage" in rule else None


def policy_public(stage: dict[str, Any]) -> TaskPolicy:
    """The stage as the inbox shows it."""
    return TaskPolicy.model_validate(
        {
            "stage": stage.get("stage", 0),
            "stage_name": stage.get("stage_name"),
            "stages": stage.get("stages", 1),
            "quorum": stage.get("quorum", 1),
            "of": stage.get("of"),
            "assignees": stage.get("assignees") or {},
            "delegations": stage.get("delegations") or [],
        }
    )


async def person_of(session: AsyncSession, caller: Caller) -> approval.Person:
    """The caller as assignees name people: id, e-mail, role and groups."""
    groups = await group_names_of(session, caller.user_id)
    return approval.Person(str(caller.user_id), caller.email, caller.role, tuple(groups))


async def person_by_id(session: AsyncSession, user_id: uuid.UUID) -> approval.Person | None:
    """An active user of the tenant as a Person, or None."""
    user = await session.get(User, user_id)
    if user is None or user.status != "active":
        return None
    groups = await group_names_of(session, user.id)
    return approval.Person(str(user.id), user.email, user.role, tuple(groups))


def voice_of(stage: dict[str, Any], person: approval.Person) -> str | None:
    """Whose voice the person speaks on this stage (after delegation), or None."""
    tally = approval.StageTally(
        index=int(stage.get("stage", 0)),
        name=stage.get("stage_name"),
        assignees=approval.assignees_of(stage.get("assignees") or {}),
        quorum=int(stage.get("quorum", 1)),
        decision_key=str(stage.get("decision_key") or approval.DECISION_KEY),
        delegations={d["from"]: d["to"] for d in stage.get("delegations") or []},
    )
    return tally.voice_of(person)


async def answers_of(session: AsyncSession, task_id: uuid.UUID) -> list[AnswerPublic]:
    """Every answer to the task, oldest first, with the names of who gave it and for whom."""
    rows = (
        (
            await session.execute(
                select(HumanTaskAnswer)
                .where(col(HumanTaskAnswer.task_id) == task_id)
                .order_by(col(HumanTaskAnswer.answered_at), col(HumanTaskAnswer.id))
            )
        )
        .scalars()
        .all()
    )
    voices = {_uuid_or_none(a.voice) for a in rows} - {None}
    names = await names_of(session, {a.answered_by for a in rows} | voices)  # type: ignore[operator]
    answers = []
    for answer in rows:
        voice = _uuid_or_none(answer.voice)
        on_behalf_of = voice if voice != answer.answered_by else None
        answers.append(
            AnswerPublic(
                by=answer.answered_by,
                by_name=names.get(str(answer.answered_by)),
                on_behalf_of=on_behalf_of,
                on_behalf_of_name=names.get(str(on_behalf_of)) if on_behalf_of else None,
                agreed=answer.agreed,
                input=answer.human_input,
                note=answer.note,
                at=answer.answered_at,
            )
        )
    return answers


async def names_of(session: AsyncSession, ids: set[uuid.UUID]) -> dict[str, str]:
    """Display names (else e-mails) of the tenant's users, by id as text."""
    if not ids:
        return {}
    rows = await session.execute(
        select(col(User.id), col(User.display_name), col(User.email)).where(
            col(User.id).in_(list(ids))
        )
    )
    return {str(user_id): name or email for user_id, name, email in rows.all()}


async def named_policy(session: AsyncSession, stage: dict[str, Any]) -> TaskPolicy:
    """The stage as the inbox shows it, with the names of who delegated to whom."""
    policy = policy_public(stage)
    ids = {_uuid_or_none(x) for d in policy.delegations for x in (d.from_, d.to)} - {None}
    names = await names_of(session, ids)  # type: ignore[arg-type]
    for delegation in policy.delegations:
        delegation.from_name = names.get(delegation.from_)
        delegation.to_name = names.get(delegation.to)
    return policy


def heard(answers: list[AnswerPublic], voice: str) -> bool:
    """Whether this voice has answered already."""
    return any(str(a.on_behalf_of or a.by) == voice for a in answers)


def eligible_clause(person: approval.Person) -> Any:
    """SQL: the task's stage names the person, or someone delegated their part to them."""
    rule = col(HumanInterventionTask.assignee_rule)
    names = [person.user_id, person.email.lower()] if person.email else [person.user_id]
    conditions = [
        rule["assignees"]["users"].has_any(array(names)),
        rule["delegations"].contains([{"to": person.user_id}]),
    ]
    if person.role:
        conditions.append(rule["assignees"]["roles"].has_key(person.role))
    if person.groups:
        conditions.append(rule["assignees"]["groups"].has_any(array(list(person.groups))))
    # `?`: the row is a stage of a policy (its rule has a "stage" key).
    return and_(rule.op("?")("stage"), or_(*conditions) if conditions else false())


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
