"""All table models; importing this module registers every table on ``SQLModel.metadata``."""

from sqlmodel import SQLModel

from platform_core.models.audit import AuditLog
from platform_core.models.chats import Chat, ChatMessage
from platform_core.models.engine import (
    NodeType,
    WorkflowTemplate,
    WorkflowTemplateEdge,
    WorkflowTemplateNode,
)
from platform_core.models.executions import (
    HumanInterventionTask,
    WorkflowExecution,
    WorkflowNodeExecution,
)
from platform_core.models.knowledge import KnowledgeBase, KnowledgeDocument
from platform_core.models.login import LoginFailure
from platform_core.models.providers import Provider, ServiceConfig
from platform_core.models.ratelimit import RateLimitCounter
from platform_core.models.store import (
    Agent,
    AgentCategory,
    AgentReview,
    AgentUsage,
    AgentVersion,
    AgentVersionTransition,
)
from platform_core.models.tenancy import ApiKey, RefreshToken, Tenant, TenantQuota, User
from platform_core.models.tools import MCPTool, MCPTopicServer, ToolGrant
from platform_core.models.usage import TenantTokenUsage, TokenReservation

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
)
# Tables shared by all tenants (tenant_id NULL) that tenants may also add their own rows to.
TENANT_OPTIONAL_TABLES: tuple[str, ...] = (
    "workflow_templates",
    "workflow_template_nodes",
    "workflow_template_edges",
)

__all__ = [
    "TENANT_OPTIONAL_TABLES",
    "TENANT_OWNED_TABLES",
    "Agent",
    "AgentCategory",
    "AgentReview",
    "AgentUsage",
    "AgentVersion",
    "AgentVersionTransition",
    "ApiKey",
    "AuditLog",
    "Chat",
    "ChatMessage",
    "HumanInterventionTask",
    "KnowledgeBase",
    "KnowledgeDocument",
    "LoginFailure",
    "MCPTool",
    "MCPTopicServer",
    "NodeType",
    "Provider",
    "RateLimitCounter",
    "RefreshToken",
    "ServiceConfig",
    "Tenant",
    "TenantQuota",
    "TenantTokenUsage",
    "TokenReservation",
    "ToolGrant",
    "User",
    "WorkflowExecution",
    "WorkflowNodeExecution",
    "WorkflowTemplate",
    "WorkflowTemplateEdge",
    "WorkflowTemplateNode",
    "metadata",
]
