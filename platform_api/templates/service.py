"""Workflow templates: the shared catalog plus each tenant's own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from platform_api.auth.caller import Caller
from platform_api.definitions import check_parameter_schema, instantiate_template
from platform_api.errors import Conflict, Forbidden, NotFound, ValidationFailed
from platform_api.paging import Page, PageParams, page_of, paginate
from platform_api.templates.schemas import (
    TemplateCreate,
    TemplateDetail,
    TemplateEdgePublic,
    TemplateNodePublic,
    TemplateSummary,
    TemplateUpdate,
)
from platform_core.models import (
    NodeType,
    WorkflowTemplate,
    WorkflowTemplateEdge,
    WorkflowTemplateNode,
)
from templates_catalog import edge_rows, node_rows


def summary(row: WorkflowTemplate) -> TemplateSummary:
    """The list view of a template."""
    return TemplateSummary(
        id=row.id,
        name=row.name,
        display_name=row.display_name,
        description=row.description,
        category=row.category,
        version=row.version,
        status=row.status,
        usage_count=row.usage_count,
        shared=row.tenant_id is None,
        updated_at=row.updated_at,
    )


async def list_templates(
    *, session: AsyncSession, category: str | None, query: str | None, page: PageParams
) -> Page[TemplateSummary]:
    """Shared and own templates (RLS shows exactly those), filtered and paginated."""
    conditions: list[ColumnElement[bool]] = []
    if category:
        conditions.append(col(WorkflowTemplate.category) == category)
    if query:
        like = f"%{query.strip()}%"
        conditions.append(
            or_(
                col(WorkflowTemplate.name).ilike(like),
                col(WorkflowTemplate.display_name).ilike(like),
                col(WorkflowTemplate.description).ilike(like),
            )
        )
    rows, total = await paginate(
        session,
        select(WorkflowTemplate)
        .where(*conditions)
        .order_by(
            col(WorkflowTemplate.category), col(WorkflowTemplate.name), col(WorkflowTemplate.id)
        ),
        page,
    )
    return page_of(rows, total, page, summary)


async def get_template(*, session: AsyncSession, template_id: uuid.UUID) -> WorkflowTemplate:
    """A template the tenant can see (shared or its own); others are not found."""
    row = await session.get(WorkflowTemplate, template_id)
    if row is None:
        raise NotFound("template not found")
    return row


async def detail(*, session: AsyncSession, row: WorkflowTemplate) -> TemplateDetail:
    """A template with its nodes and edges."""
    nodes = (
        await session.execute(
            select(WorkflowTemplateNode, col(NodeType.type_name))
            .join(NodeType, col(NodeType.id) == WorkflowTemplateNode.node_type_id)
            .where(col(WorkflowTemplateNode.template_id) == row.id)
            .order_by(col(WorkflowTemplateNode.node_name))
        )
    ).all()
    edges = (
        await session.execute(
            select(WorkflowTemplateEdge)
            .where(col(WorkflowTemplateEdge.template_id) == row.id)
            .order_by(col(WorkflowTemplateEdge.execution_order))
        )
    ).scalars()
    base = summary(row).model_dump()
    return TemplateDetail(
        **base,
        template_definition=row.template_definition,
        parameter_schema=row.parameter_schema,
        nodes=[
            TemplateNodePublic(
                node_name=node.node_name,
                node_type=type_name,
                node_config=node.node_config,
                position_config=node.position_config,
                parent_nodes=node.parent_nodes,
                child_nodes=node.child_nodes,
            )
            for node, type_name in nodes
        ],
        edges=[TemplateEdgePublic.model_validate(e, from_attributes=True) for e in edges],
    )


async def write_structure(
    session: AsyncSession, row: WorkflowTemplate, definition: dict[str, Any]
) -> None:
    """(Re)write the denormalised node and edge rows of a template."""
    type_ids = dict(
        (await session.execute(select(col(NodeType.type_name), col(NodeType.id)))).all()
    )
    await session.execute(
        delete(WorkflowTemplateNode).where(col(WorkflowTemplateNode.template_id) == row.id)
    )
    await session.execute(
        delete(WorkflowTemplateEdge).where(col(WorkflowTemplateEdge.template_id) == row.id)
    )
    for node in node_rows(definition):
        type_name = node.pop("node_type")
        node["position_config"] = node.get("position_config") or {}
        session.add(
            WorkflowTemplateNode(
                tenant_id=row.tenant_id,
                template_id=row.id,
                node_type_id=type_ids[type_name],
                **node,
            )
        )
    for edge in edge_rows(definition):
        session.add(WorkflowTemplateEdge(tenant_id=row.tenant_id, template_id=row.id, **edge))


def _check_instantiable(row: WorkflowTemplate) -> None:
    # A template must produce a valid agent with its default parameters.
    check_parameter_schema(row.parameter_schema, prefix="/body/parameter_schema")
    instantiate_template(row, {}, prefix="/body/parameter_schema")


async def create_template(
    *, session: AsyncSession, caller: Caller, data: TemplateCreate
) -> WorkflowTemplate:
    """A tenant template, validated by instantiating it with its defaults."""
    row = WorkflowTemplate(
        tenant_id=caller.tenant_id,
        name=data.name,
        display_name=data.display_name,
        description=data.description,
        category=data.category,
        version=data.version,
        parameter_schema=data.parameter_schema,
        template_definition=data.definition,
        created_by=caller.user_id,
    )
    _check_instantiable(row)
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"template {data.name!r} version {data.version} already exists") from exc
    await write_structure(session, row, data.definition)
    return row


def _own(row: WorkflowTemplate) -> None:
    if row.tenant_id is None:
        raise Forbidden("catalog templates are read-only; create your own template instead")


async def update_template(
    *, session: AsyncSession, row: WorkflowTemplate, data: TemplateUpdate
) -> WorkflowTemplate:
    """Change a tenant's own template; the result must still instantiate."""
    _own(row)
    changes = data.model_dump(exclude_unset=True)
    if "definition" in changes:
        if changes["definition"] is None:
            raise ValidationFailed(
                "definition cannot be null",
                errors=[{"path": "/body/definition", "message": "must be an object"}],
            )
        row.template_definition = changes.pop("definition")
    if changes.get("parameter_schema") is None:
        changes.pop("parameter_schema", None)
    for key, value in changes.items():
        if value is not None:
            setattr(row, key, value)
    _check_instantiable(row)
    row.updated_at = datetime.now(UTC)
    session.add(row)
    await write_structure(session, row, row.template_definition)
    return row


async def delete_template(*, session: AsyncSession, row: WorkflowTemplate) -> None:
    """Delete a tenant's own template unless agent versions are built on it."""
    _own(row)
    try:
        await session.delete(row)
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("agent versions use this template; deprecate it instead") from exc


async def count_use(session: AsyncSession, template_id: uuid.UUID) -> None:
    """Count one more agent version built from a template (shared ones included)."""
    await session.execute(text("SELECT agentpaas_count_template_use(:id)"), {"id": template_id})
