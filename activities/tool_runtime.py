"""What the ``llm`` and ``tool`` activities need from the tool registry (injected by the worker).

The worker hands them ``activities.mcp_runtime.McpToolRuntime``; the activities depend on
this protocol only, so their tests can give them a scripted registry.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Protocol


class Progress(Protocol):
    """Receives a tool's progress notifications (the MCP client's progress callback)."""

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        """One notification."""


class ToolTarget(Protocol):
    """A callable tool of the run."""

    @property
    def tool_id(self) -> uuid.UUID: ...
    @property
    def name(self) -> str: ...
    @property
    def server_id(self) -> str: ...
    @property
    def input_schema(self) -> dict[str, Any]: ...
    @property
    def acts_on_behalf_of_user(self) -> bool: ...


class RunTools(Protocol):
    """The run's agent, user and tools by name."""

    @property
    def agent_id(self) -> uuid.UUID: ...
    @property
    def user_id(self) -> uuid.UUID | None: ...
    @property
    def tools(self) -> Mapping[str, ToolTarget]: ...


class CallOutcome(Protocol):
    """``status`` is ok, tool_error, refused (never sent) or failed (retryable)."""

    @property
    def status(self) -> str: ...
    @property
    def content(self) -> Any: ...


class ToolRuntime(Protocol):
    """Resolution, grants and calls, as the worker's registry provides them."""

    async def for_run(
        self, tenant_id: str, execution_id: str, *, server_id: str | None = None
    ) -> RunTools:
        """The tools the run's agent version may use (ValueError: they cannot be resolved)."""
        ...

    async def function_specs(self, tenant_id: str, execution_id: str) -> dict[str, Any]:
        """Function specs of the run's tools by name."""
        ...

    async def is_granted(
        self, tenant_id: str, *, user_id: uuid.UUID, agent_id: uuid.UUID, tool_id: uuid.UUID
    ) -> bool:
        """True when the user granted the agent the tool."""
        ...

    async def call(
        self, tenant_id: str, target: Any, arguments: dict[str, Any], progress: Progress
    ) -> CallOutcome:
        """Call the tool (with its time limit) and count the call."""
        ...
