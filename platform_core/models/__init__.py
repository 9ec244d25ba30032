"""All table models, one module per domain of ``platform_api`` (agents, store, templates,
executions, human_tasks, tenancy, auth, apikeys, quotas, …); importing this package
registers every table on ``SQLModel.metadata``."""

from sqlmodel import SQLModel

from platform_core.models.agents import Agent, AgentVersion, AgentVersionTransition
from platform_core.models.apikeys import ApiKey
from platform_core.models.audit import AuditLog
from platform_core.models.auth import LoginFailure, RefreshToken
from platform_core.models.chats import Chat, ChatMessage
from platform_core.models.executions import WorkflowExecution, WorkflowNodeExecution
from platform_core.models.human_tasks import (
    HumanInterventionTask,
    HumanTaskAnswer,
    UserGroup,
    UserGroupMember,
)
from platform_core.models.identity import IdentityProvider, OidcLoginAttempt
from platform_core.models.knowledge import KnowledgeBase, KnowledgeDocument
from platform_core.models.node_catalog import NodeType
from platform_core.models.notifications import Notification, Webhook, WebhookDelivery
from platform_core.models.personal_keys import AgentPayerChoice, PersonalProviderKey
from platform_core.models.providers import Provider, ServiceConfig
from platform_core.models.quotas import (
    BudgetWait,
    TenantTokenUsage,
    TokenBudget,
    TokenReservation,
)
from platform_core.models.ratelimit import RateLimitCounter
from platform_core.models.replay_checks import ReplayCheck
from platform_core.models.run_events import RunEvent, RunEventStream
from platform_core.models.store import AgentCategory, AgentReview, AgentUsage
from platform_core.models.templates import (
    WorkflowTemplate,
    WorkflowTemplateEdge,
    WorkflowTemplateNode,
)
from platform_core.models.tenancy import Tenant, TenantQuota, User
from platform_core.models.tool_store import ToolInstallation
from platform_core.models.tools import MCPTool, MCPTopicServer, ToolGrant

metadata = SQLModel.metadata

# Tables whose rows belong to one tenant: row-level security applies to each of them.
TENANT_OWNED_TABLES: tuple[str, ...] = (
    "users",
    "api_keys",
    "tenant_quotas",
    "refresh_tokens",
    "agents",
    "agent_versions",
    "agent_usages",
    "agent_reviews",
    "agent_version_transitions",
    "chats",
    "chat_messages",
    "workflow_executions",
    "workflow_node_executions",
    "human_intervention_tasks",
    "human_task_answers",
    "user_groups",
    "user_group_members",
    "providers",
    "service_configs",
    "mcp_topic_servers",
    "mcp_tools",
    "tool_grants",
    "knowledge_bases",
    "knowledge_documents",
    "audit_logs",
    "token_reservations",
    "tenant_token_usage",
    "run_events",
    "run_event_streams",
    "identity_providers",
    "oidc_login_attempts",
    "notifications",
    "webhooks",
    "webhook_deliveries",
    "replay_checks",
    "tool_installations",
    "personal_provider_keys",
    "agent_payer_choices",
    "token_budgets",
    "budget_waits",
)
# Tables shared by all tenants (tenant_id NULL) that tenants may also add their own rows to.
TENANT_OPTIONAL_TABLES: tuple[str, ...] = (
    "agent_categories",
    "workflow_templates",
    "workflow_template_nodes",
    "workflow_template_edges",
)

__all__ = [
    "ReplayCheck",
    "TENANT_OPTIONAL_TABLES",
    "TENANT_OWNED_TABLES",
    "Agent",
    "AgentCategory",
    "AgentPayerChoice",
    "AgentReview",
    "AgentUsage",
    "AgentVersion",
    "AgentVersionTransition",
    "ApiKey",
    "AuditLog",
    "BudgetWait",
    "Chat",
    "ChatMessage",
    "HumanInterventionTask",
    "HumanTaskAnswer",
    "UserGroup",
    "UserGroupMember",
    "IdentityProvider",
    "KnowledgeBase",
    "KnowledgeDocument",
    "LoginFailure",
    "MCPTool",
    "MCPTopicServer",
    "NodeType",
    "Notification",
    "OidcLoginAttempt",
    "PersonalProviderKey",
    "Provider",
    "RateLimitCounter",
    "RunEvent",
    "RunEventStream",
    "RefreshToken",
    "ServiceConfig",
    "Tenant",
    "TenantQuota",
    "TenantTokenUsage",
    "TokenBudget",
    "TokenReservation",
    "ToolGrant",
    "ToolInstallation",
    "User",
    "Webhook",
    "WebhookDelivery",
    "WorkflowExecution",
    "WorkflowNodeExecution",
    "WorkflowTemplate",
    "WorkflowTemplateEdge",
    "WorkflowTemplateNode",
    "metadata",
]
