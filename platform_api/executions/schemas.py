"""Public shapes of executions and their node runs."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AliasPath, BaseModel, ConfigDict, Field

from platform_api.api.field_types import JSON_LIMIT_NOTE, JsonObject
from platform_api.quotas.budgets.schemas import BudgetWaitBrief


class NodeLogLine(BaseModel):
    """One line a node task logged."""

    at: datetime
    level: str
    logger: str
    message: str


class PaidBy(BaseModel):
    """Whose model key paid for a node's call: the organisation's, or a user's own."""

    payer: Literal["tenant", "user"]
    user_id: uuid.UUID | None = None
    key_id: uuid.UUID | None = None
    key_label: str | None = None
    key_hint: str | None = Field(default=None, description="The key masked, e.g. `sk-…abcd`.")


class NodeExecutionPublic(BaseModel):
    """One node task of a run."""

    model_config = ConfigDict(from_attributes=True)

    node_name: str
    node_type: str
    step: int
    task_id: str
    status: str
    input_state: dict[str, Any] | None
    output_state: dict[str, Any] | None
    started_at: datetime
    completed_at: datetime | None
    duration_ms: int | None
    retry_count: int
    error_message: str | None
    tokens_consumed: int | None
    cost_estimate: Decimal | None
    logs: list[NodeLogLine] = Field(
        default_factory=list,
        description="What the node logged while it ran (its calls, their timings, warnings), "
        "credentials masked.",
    )
    paid_by: PaidBy | None = Field(
        default=None,
        # The llm node's call record says whose key paid (other nodes pay no model).
        validation_alias=AliasPath("service_calls", 0, "paid_by"),
        description="For a model call: whose key paid for it.",
    )


class ExecutionPublic(BaseModel):
    """A run."""

    model_config = ConfigDict(from_attributes=True)

    execution_id: uuid.UUID
    workflow_id: str
    agent_id: uuid.UUID
    agent_version_id: uuid.UUID
    chat_id: uuid.UUID | None
    message_id: uuid.UUID | None
    status: str
    current_node: str | None
    final_result: dict[str, Any] | None
    error_info: dict[str, Any] | None
    total_nodes: int
    completed_nodes: int
    failed_nodes: int
    tokens_consumed: int
    cost_estimate: Decimal
    started_at: datetime
    completed_at: datetime | None
    paused_at: datetime | None
    waiting_for_budget: BudgetWaitBrief | None = Field(
        default=None,
        description="Set while the run waits for a token budget (its status stays running).",
    )


class ExecutionDetail(ExecutionPublic):
    """A run with its node executions, in step order."""

    nodes: list[NodeExecutionPublic]


class RetryResult(BaseModel):
    """The new run that retries a failed one."""

    execution_id: uuid.UUID
    retry_of: uuid.UUID
    reused_tasks: list[str]


NodeName = Annotated[str, Field(min_length=1, max_length=255)]


class Breakpoints(BaseModel):
    """Where a run pauses for its developer: before these nodes run, after these finish."""

    model_config = ConfigDict(extra="forbid")

    before: list[NodeName] = Field(default_factory=list, max_length=50)
    after: list[NodeName] = Field(default_factory=list, max_length=50)


class DebugView(BaseModel):
    """A debugged run as it stands: paused at a breakpoint or not, and its whole state."""

    status: str
    step: int
    paused: bool
    breakpoint: dict[str, Any] | None = Field(
        default=None,
        description="Where it is paused: step, the nodes it stopped before/after, the next nodes.",
    )
    state: dict[str, Any]
    breakpoints: Breakpoints


class StateEdit(BaseModel):
    """State keys to set on a paused run (checked against the agent's state schema)."""

    model_config = ConfigDict(extra="forbid")

    state: JsonObject


class RerunRequest(BaseModel):
    """Run an ended run again from one of its node tasks, optionally with the state edited."""

    model_config = ConfigDict(extra="forbid")

    task_id: str = Field(
        min_length=1, max_length=255, description="The node task to run again from."
    )
    state: JsonObject | None = Field(
        default=None,
        description="State keys to set before that task's step runs (the agent's state "
        "schema). " + JSON_LIMIT_NOTE,
    )


class RerunResult(BaseModel):
    """The new run, linked to the run it runs again."""

    execution_id: uuid.UUID
    rerun_of: uuid.UUID
    from_task: str
    reused_tasks: list[str]


class ExecuteRequest(BaseModel):
    """A direct run: structured input (validated), optionally a message, a version."""

    model_config = ConfigDict(extra="forbid")

    input: JsonObject = Field(
        default_factory=dict,
        description=f"The run's input, checked against its input schema. {JSON_LIMIT_NOTE}",
    )
    message: str | None = Field(default=None, min_length=1, max_length=32_000)
    version: str | None = Field(default=None, max_length=50)
    wait: bool = Field(default=False, description="Wait for the result (up to timeout).")
    timeout_seconds: float = Field(default=60, gt=0, le=600)
    stream: bool = Field(default=False, description="Answer with the run's SSE stream.")


class ExecuteResult(BaseModel):
    """A direct run's id and, when waited for, its outcome."""

    execution_id: uuid.UUID
    status: str
    answer: str | None = None
    output: dict[str, Any] | None = None
    error: str | None = None
