"""Names and payloads of the retention sweeps (Temporal Schedules → workflow → activities).

Each sweep is one schedule driving :data:`RETENTION_WORKFLOW` with its ``sweep`` name.
The workflow asks :data:`LIST_TENANTS_ACTIVITY` for a page of tenants, each with the
cutoff the sweep applies to it, then runs the sweep's activity once per tenant until it
says it is done. Cutoffs are computed from the ``now`` the workflow fixed when it started,
so a retried activity or a replay deletes against the same boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RETENTION_WORKFLOW = "RetentionSweep"
LIST_TENANTS_ACTIVITY = "retention.list_tenants"

# Sweep name → its activity (the name is also the schedule id's suffix).
EXPIRED_CHATS = "expired_chats"
RUN_EVENTS = "run_events"
AUDIT_LOGS = "audit_logs"
DELETED_TENANTS = "deleted_tenants"
TOKEN_RESERVATIONS = "token_reservations"
# Not a deletion: notification events whose e-mails or webhook deliveries still wait after
# a few minutes (their dispatch could not be started: Temporal was away) are sent now.
STRANDED_NOTIFICATIONS = "stranded_notifications"
SWEEP_ACTIVITIES: dict[str, str] = {
    EXPIRED_CHATS: "retention.expired_chats",
    RUN_EVENTS: "retention.run_events",
    AUDIT_LOGS: "retention.audit_logs",
    DELETED_TENANTS: "retention.deleted_tenants",
    TOKEN_RESERVATIONS: "retention.token_reservations",
    STRANDED_NOTIFICATIONS: "retention.stranded_notifications",
}
SCHEDULE_ID_PREFIX = "agentpaas-retention-"


def schedule_id(sweep: str) -> str:
    """The id of the schedule that runs ``sweep`` (what the Temporal UI lists)."""
    return SCHEDULE_ID_PREFIX + sweep.replace("_", "-")


@dataclass
class RetentionInput:
    """One sweep over every tenant; ``now`` and ``after`` carry over a continue-as-new."""

    sweep: str
    now: str | None = None  # ISO 8601; None: the workflow's start time
    after_tenant_id: str | None = None  # resume after this tenant (ids in order)
    deleted: int = 0  # rows deleted by earlier runs of this chain
    tenants: int = 0  # tenants swept by earlier runs of this chain
    tenants_per_page: int = 100  # tenants one run lists (then it continues as new)


@dataclass
class TenantPageInput:
    """Which tenants to list for a sweep, and from where."""

    sweep: str
    now: str
    after_tenant_id: str | None
    limit: int


@dataclass
class TenantWork:
    """One tenant's share of a sweep: rows older than ``cutoff`` go."""

    sweep: str
    tenant_id: str
    cutoff: str  # ISO 8601
    now: str  # ISO 8601


@dataclass
class TenantPage:
    """Tenants to sweep (only those the sweep applies to) and where the listing ended."""

    tenants: list[TenantWork] = field(default_factory=list)
    last_tenant_id: str | None = None  # the last id looked at: the next page starts after it
    complete: bool = True  # no tenant after this page


@dataclass
class SweepResult:
    """What one activity call deleted (or released); ``more`` when its time budget ran out."""

    deleted: int
    more: bool = False


@dataclass
class RetentionReport:
    """A finished sweep (the workflow's result, shown in the Temporal UI)."""

    sweep: str
    now: str
    tenants: int
    deleted: int
