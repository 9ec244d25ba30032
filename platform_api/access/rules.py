"""Who may call which route: the one table, and the one dependency that enforces it.

Every route of the API has a rule here — its minimum role and the API-key scope it
needs — and ``platform_api.api.access_check.enforce_access_policy`` (installed app-wide)
checks it on every request, after authentication (401 first, then 403). Routers do
not guard themselves; a route without a rule is refused to everyone (fail closed),
and a test lists routes without rules.

Roles (a user holds exactly one; ``ROLE_HOLDS`` says which minimums it satisfies):

* ``viewer`` — a read-only member: the ``GET`` routes of the tenant's member areas.
* ``user`` — a viewer who chats: chats, messages, runs and their controls, ratings.
* ``developer`` — a user who builds: agents, versions, templates, knowledge bases,
  tool servers.
* ``reviewer`` — a user who reviews: the human-task inbox and store submissions.
* ``admin`` — holds every tenant role, plus tenant administration (users, providers,
  usage, audit log).
* ``platform_admin`` — not a tenant role but a flag on the caller (operators of
  the whole platform: tenants, plans); those routes ignore the tenant role.

Scopes: a logged-in user (JWT) is limited by role only. An API key acts as its owner
(same role) and is further limited to its scopes; a rule with scope ``None`` is for
logged-in users only (API keys managing API keys, changing passwords, logging out
everywhere, platform administration).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from platform_api.auth.caller import Caller

PUBLIC: Final = "public"
PLATFORM_ADMIN: Final = "platform_admin"
TENANT_ROLES: Final = ("admin", "developer", "reviewer", "user", "viewer")

# Which minimum roles each tenant role satisfies.
ROLE_HOLDS: Final[dict[str, frozenset[str]]] = {
    "admin": frozenset(TENANT_ROLES),
    "developer": frozenset({"developer", "user", "viewer"}),
    "reviewer": frozenset({"reviewer", "user", "viewer"}),
    "user": frozenset({"user", "viewer"}),
    "viewer": frozenset({"viewer"}),
}


@dataclass(frozen=True)
class Rule:
    """The minimum role for a route and the API-key scope it needs (None: JWT only)."""

    role: str
    scope: str | None


def _public() -> Rule:
    return Rule(PUBLIC, None)


# (method or "*", path template or area prefix ending in "/", rule). A prefix "P/"
# covers "P" itself and every path below it. Exact entries win over prefixes, and
# a longer prefix wins over a shorter one, so an area can carry exceptions.
RULES: Final[tuple[tuple[str, str, Rule], ...]] = (
    # Public: health, logging in and out, Prometheus scraping.
    ("GET", "/api/v1/health", _public()),
    ("POST", "/api/auth/login", _public()),
    ("POST", "/api/auth/login-with-tenant", _public()),
    ("POST", "/api/auth/refresh", _public()),
    ("POST", "/api/auth/logout", _public()),
    ("POST", "/api/auth/oidc/{tenant_slug}/start", _public()),
    ("POST", "/api/auth/oidc/callback", _public()),
    ("GET", "/metrics", _public()),
    # The caller's own account.
    ("GET", "/api/auth/me", Rule("viewer", "chat:read")),
    ("POST", "/api/auth/logout-all", Rule("viewer", None)),
    ("POST", "/api/auth/password", Rule("viewer", None)),
    ("*", "/api/v1/api-keys/", Rule("viewer", None)),
    # Everyone's own notifications (services filter on the caller) and e-mail choices.
    ("GET", "/api/v1/notifications", Rule("viewer", "chat:read")),
    ("*", "/api/v1/notifications/", Rule("viewer", None)),
    ("*", "/api/v1/me/notification-settings", Rule("viewer", None)),
    # Everyone's own settings (language, theme, e-mail, default model parameters).
    ("*", "/api/v1/me/preferences", Rule("viewer", None)),
    # Everyone's own model keys and who pays per agent (services filter on the caller).
    ("*", "/api/v1/me/provider-keys/", Rule("user", None)),
    ("*", "/api/v1/me/agents/", Rule("user", None)),
    # Chatting with agents.
    ("POST", "/api/v1/chat/completions", Rule("user", "chat:write")),
    ("GET", "/api/v1/chat/history", Rule("viewer", "chat:read")),
    ("GET", "/api/v1/chats/", Rule("viewer", "chat:read")),
    ("*", "/api/v1/chats/", Rule("user", "chat:write")),
    ("GET", "/api/v1/executions/", Rule("viewer", "chat:read")),
    ("*", "/api/v1/executions/", Rule("user", "chat:write")),
    ("*", "/api/v1/tool-grants/", Rule("user", "chat:write")),
    # The store.
    ("GET", "/api/v1/agents/", Rule("viewer", "chat:read")),
    ("GET", "/api/v1/categories", Rule("viewer", "chat:read")),
    ("PUT", "/api/v1/agents/{agent_id}/reviews/mine", Rule("user", "chat:write")),
    ("POST", "/api/v1/agents/{agent_id}/execute", Rule("user", "agent:execute")),
    # The OpenAI-compatible API.
    ("GET", "/v1/models", Rule("user", "agent:execute")),
    ("POST", "/v1/chat/completions", Rule("user", "agent:execute")),
    # Building agents.
    ("GET", "/api/v1/node-types", Rule("viewer", "agent:manage")),
    ("GET", "/api/v1/templates/", Rule("viewer", "agent:manage")),
    ("*", "/api/v1/templates/", Rule("developer", "agent:manage")),
    ("*", "/api/v1/developer/", Rule("developer", "agent:manage")),
    ("GET", "/api/v1/knowledge-bases/", Rule("viewer", "chat:read")),
    ("*", "/api/v1/knowledge-bases/", Rule("developer", "agent:manage")),
    ("*", "/api/v1/tool-servers/", Rule("developer", "agent:manage")),
    ("GET", "/api/v1/tools/", Rule("viewer", "chat:read")),
    ("PATCH", "/api/v1/tools/", Rule("developer", "agent:manage")),
    # The tool store: developers browse it, tenant admins install and uninstall.
    ("GET", "/api/v1/tool-store/", Rule("developer", "agent:manage")),
    ("*", "/api/v1/tool-store/", Rule("admin", "tenant:manage")),
    # Reviewing.
    ("*", "/api/v1/reviews/", Rule("reviewer", "review:complete")),
    # A stage of an approval policy may name anyone (a role, a group, a person): they see
    # and answer the tasks that name them; the service shows others nothing more.
    ("GET", "/api/v1/reviews/tasks", Rule("viewer", "review:complete")),
    ("GET", "/api/v1/reviews/tasks/{task_id}", Rule("viewer", "review:complete")),
    ("POST", "/api/v1/reviews/tasks/{task_id}/complete", Rule("user", "review:complete")),
    ("POST", "/api/v1/reviews/tasks/{task_id}/delegate", Rule("user", "review:complete")),
    # Groups of people: everyone reads them (and the people directory), admins manage them.
    ("GET", "/api/v1/groups/", Rule("viewer", "chat:read")),
    ("*", "/api/v1/groups/", Rule("admin", "tenant:manage")),
    ("GET", "/api/v1/people", Rule("viewer", "chat:read")),
    # Trying a submission opens a sandbox chat of the reviewer's own (its messages then need
    # chat:write like any chat); it is a reviewer's step, so it needs the reviewer's scope.
    ("POST", "/api/v1/reviews/versions/{version_id}/sandbox", Rule("reviewer", "review:complete")),
    ("POST", "/api/v1/reviews/tasks/{task_id}/cancel", Rule("admin", "tenant:manage")),
    # Administering the tenant.
    ("*", "/api/v1/providers/", Rule("admin", "tenant:manage")),
    ("*", "/api/v1/service-configs/", Rule("admin", "tenant:manage")),
    # Developers pick a node's model from the tenant's configs (names and models; keys never).
    ("GET", "/api/v1/service-configs", Rule("developer", "agent:manage")),
    ("*", "/api/v1/users/", Rule("admin", "tenant:manage")),
    ("*", "/api/v1/tenant/identity-provider", Rule("admin", "tenant:manage")),
    ("*", "/api/v1/tenant/personal-keys", Rule("admin", "tenant:manage")),
    # The store's categories of the tenant's own (the shared ones are read-only to tenants).
    ("*", "/api/v1/categories/", Rule("admin", "tenant:manage")),
    ("*", "/api/v1/usage/", Rule("admin", "tenant:manage")),
    ("*", "/api/v1/budgets/", Rule("admin", "tenant:manage")),
    ("*", "/api/v1/audit-logs/", Rule("admin", "tenant:manage")),
    ("*", "/api/v1/webhooks/", Rule("admin", "tenant:manage")),
    # Administering the platform.
    ("*", "/api/v1/platform/", Rule(PLATFORM_ADMIN, None)),
)


def _covers(pattern: str, path: str) -> bool:
    if pattern.endswith("/"):
        return path == pattern[:-1] or path.startswith(pattern)
    return path == pattern


def rule_for(method: str, path: str) -> Rule | None:
    """The rule of a route (``method`` + path template), or None when it has none."""
    method = method.upper()
    best: tuple[tuple[bool, int, bool], Rule] | None = None
    for rule_method, pattern, rule in RULES:
        if rule_method not in ("*", method) or not _covers(pattern, path):
            continue
        # Exact beats prefix, longer beats shorter, a named method beats "*".
        rank = (not pattern.endswith("/"), len(pattern), rule_method != "*")
        if best is None or rank > best[0]:
            best = (rank, rule)
    return None if best is None else best[1]


def refusal(caller: Caller, rule: Rule | None) -> str | None:
    """Why ``caller`` may not call a route with ``rule`` (None: it may)."""
    if rule is None:
        return "this route has no access rule"
    if rule.role == PLATFORM_ADMIN:
        if not caller.platform_admin:
            return "requires a platform administrator"
    elif rule.role not in ROLE_HOLDS.get(caller.role, frozenset()):
        return f"requires the role {rule.role!r} or above"
    if rule.scope is None:
        if caller.scopes is not None:
            return "API keys cannot call this route; log in to do that"
    elif not caller.has_scope(rule.scope):
        return f"this API key lacks the scope {rule.scope!r}"
    return None


# Rules inside a route: a route's rule lets the caller in; these say whose records they
# may then see or change. Services ask these instead of comparing role names themselves.
RUN_READERS: Final = ("developer", "reviewer")  # see any run of the tenant, not only their own
AGENT_MANAGERS: Final = ("admin",)  # manage any agent of the tenant, not only their own
TASK_OVERRIDERS: Final = ("admin",)  # act on a human task claimed by someone else


def may_read_others_runs(caller: Caller) -> bool:
    """True when the caller may read runs that other users started."""
    return caller.has_role(*RUN_READERS)


def may_manage_any_agent(caller: Caller) -> bool:
    """True when the caller may manage agents that another developer owns."""
    return caller.has_role(*AGENT_MANAGERS)


def may_act_on_others_tasks(caller: Caller) -> bool:
    """True when the caller may complete or release a task another reviewer claimed."""
    return caller.role in TASK_OVERRIDERS


def platform_admin_refusal(caller: Caller) -> str | None:
    """Why the caller may not reach across tenants (None: a logged-in platform admin)."""
    return refusal(caller, Rule(PLATFORM_ADMIN, None))
