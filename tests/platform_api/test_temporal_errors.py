"""Temporal RPC failures: an ended run is a 409, an unreachable server a 503 with Retry-After."""

from __future__ import annotations

from temporalio.service import RPCError, RPCStatusCode

from platform_api.api.temporal_errors import temporal_problem
from platform_api.errors import Conflict, ServiceUnavailable


def test_an_ended_run_is_a_conflict() -> None:
    for status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
        problem = temporal_problem(RPCError("gone", status, b""), ended="the task is not open")
        assert isinstance(problem, Conflict) and problem.detail == "the task is not open"


def test_an_unreachable_server_is_a_503_that_says_when_to_come_back() -> None:
    for status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
        problem = temporal_problem(RPCError("down", status, b""), ended="the task is not open")
        assert isinstance(problem, ServiceUnavailable)
        assert problem.status == 503 and problem.headers["Retry-After"].isdigit()
