"""The demo tenant's knowledge base: a small bundled handbook the RAG demo agent answers from.

Seeding stores the handbook's documents (database only, in the seed's transaction); once
the worker runs, ``agentpaas dev`` starts the ingestion of any that are not ready yet, so a
first start indexes them and a later one finishes what an interrupted start left.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client

from platform_api.auth.caller import Caller
from platform_api.knowledge import jobs
from platform_api.knowledge import service as knowledge
from platform_api.knowledge.schemas import KnowledgeBaseCreate
from platform_core.db import Database
from platform_core.models import KnowledgeBase, KnowledgeDocument, User
from platform_core.settings import Settings

logger = logging.getLogger(__name__)

HANDBOOK_NAME = "AgentPaaS handbook"
HANDBOOK_DIR = Path(__file__).with_name("demo_handbook")
NOT_READY = ("pending", "failed")


async def seed_demo_knowledge(
    session: AsyncSession, *, tenant_id: uuid.UUID, admin: User
) -> KnowledgeBase:
    """The handbook knowledge base with its documents stored (not yet ingested)."""
    found: KnowledgeBase | None = (
        await session.execute(
            select(KnowledgeBase).where(
                col(KnowledgeBase.tenant_id) == tenant_id, col(KnowledgeBase.name) == HANDBOOK_NAME
            )
        )
    ).scalar_one_or_none()
    if found is not None:
        return found
    caller = Caller(user_id=admin.id, tenant_id=tenant_id, role=admin.role, email=admin.email)
    base = await knowledge.create(
        session=session,
        caller=caller,
        data=KnowledgeBaseCreate(
            name=HANDBOOK_NAME,
            description="关于 AgentPaaS 的小手册（演示）。A small handbook about AgentPaaS (demo).",
        ),
    )
    for path in sorted(HANDBOOK_DIR.glob("*.md")):
        await knowledge.store_upload(
            session=session,
            caller=caller,
            base=base,
            filename=path.name,
            content_type="text/markdown",
            content=path.read_bytes(),
            metadata={"source": "demo handbook"},
        )
    return base


async def ingest_demo_knowledge(
    *, client: Client, database: Database, settings: Settings, tenant_id: uuid.UUID
) -> int:
    """Start the ingestion of the handbook's documents that are not ready; how many started."""
    async with database.tenant_session(tenant_id) as session:
        rows = list(
            (
                await session.execute(
                    select(KnowledgeDocument)
                    .join(
                        KnowledgeBase, col(KnowledgeBase.id) == KnowledgeDocument.knowledge_base_id
                    )
                    .where(
                        col(KnowledgeBase.name) == HANDBOOK_NAME,
                        col(KnowledgeDocument.status).in_(NOT_READY),
                    )
                )
            ).scalars()
        )
    for row in rows:
        await jobs.start_ingestion(client=client, database=database, settings=settings, row=row)
    if rows:
        logger.info("ingesting %d demo handbook documents", len(rows))
    return len(rows)
