"""Temporal's RPC failures as problems: an ended run is a conflict, an outage is a 503.

Every RPC error used to read as "the run has ended" (409), so a reviewer completing an
open task while the Temporal server restarted was told the task was not open.
"""

from __future__ import annotations

from temporalio.service import RPCError, RPCStatusCode

from platform_api.errors import Conflict, ServiceUnavailable

# What clients are asked to wait before trying again while Temporal is unreachable.
TEMPORAL_RETRY_AFTER_SECONDS = 5
# The server answered: the workflow is gone or will not take this (a real conflict).
_ENDED = {RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION, RPCStatusCode.ALREADY_EXISTS}


def temporal_problem(exc: RPCError, *, ended: str) -> Exception:
    """The domain error for `exc`: Conflict(`ended`) when the run has ended, else a 503."""
    if exc.status in _ENDED:
        return Conflict(ended)
    return ServiceUnavailable(
        "the workflow service cannot be reached right now; nothing was changed, try again",
        headers={"Retry-After": str(TEMPORAL_RETRY_AFTER_SECONDS)},
    )
