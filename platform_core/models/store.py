"""The store around published agents: categories, who used what, ratings and reviews."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from platform_core.models.base import (
    created_at,
    long_text,
    tenant_fk,
    updated_at,
    uuid_pk,
)


class AgentCategory(SQLModel, table=True):
    """A node in the store's category tree: shared by every tenant, or one tenant's own.

    Shared categories (``tenant_id`` NULL) are seeded and read-only to tenants; a tenant's
    admins add their own beside and below them. Row-level security shows a tenant the
    shared ones and its own (as for workflow templates). Names are unique among the
    shared ones and within a tenant (NULLS NOT DISTINCT makes NULL one owner).
    """

    __tablename__ = "agent_categories"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id",
            "name",
            name="uq_agent_categories_tenant_name",
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID | None = tenant_fk(nullable=True)
    name: str = Field(max_length=100)
    parent_id: uuid.UUID | None = Field(
        default=None, foreign_key="agent_categories.id", ondelete="SET NULL", index=True
    )
    description: str | None = long_text()
    created_at: datetime = created_at()


class AgentUsage(SQLModel, table=True):
    """That a user uses an agent, and how often."""

    __tablename__ = "agent_usages"
    __table_args__ = (UniqueConstraint("user_id", "agent_id", name="uq_agent_usages_user_agent"),)

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    agent_id: uuid.UUID = Field(foreign_key="agents.id", ondelete="CASCADE", index=True)
    first_used_at: datetime = created_at()
    last_used_at: datetime = created_at()
    usage_count: int = Field(default=1)


class AgentReview(SQLModel, table=True):
    """A user's rating and written review of an agent (one per user per agent)."""

    __tablename__ = "agent_reviews"
    __table_args__ = (
        UniqueConstraint("user_id", "agent_id", name="uq_agent_reviews_user_agent"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="ck_agent_reviews_rating"),
    )

    id: uuid.UUID = uuid_pk()
    tenant_id: uuid.UUID = tenant_fk()
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    agent_id: uuid.UUID = Field(foreign_key="agents.id", ondelete="CASCADE", index=True)
    rating: int
    comment: str | None = long_text()
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
