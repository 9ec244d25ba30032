"""Knowledge routes: knowledge bases, document upload and status, deletion, search."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, Query, Response, UploadFile
from fastapi.responses import StreamingResponse

from platform_api.api.deps import (
    CurrentCaller,
    ServicesDep,
    TemporalDep,
    TenantSession,
)
from platform_api.api.pagination import page_params
from platform_api.errors import ValidationFailed
from platform_api.knowledge import jobs, service
from platform_api.knowledge.schemas import (
    DocumentPublic,
    KnowledgeBaseCreate,
    KnowledgeBasePublic,
    KnowledgeBaseUpdate,
    PassagePublic,
    SearchRequest,
    SearchResponse,
    UploadResult,
)
from platform_api.paging import Page, PageParams
from platform_api.streaming.responses import sse_response
from platform_api.streaming.sse import parse_last_event_id
from platform_api.streaming.workflow_stream import workflow_stream_frames
from temporal_workflows import contracts as c

router = APIRouter(prefix="/api/v1/knowledge-bases", tags=["knowledge"])
DocumentStatus = Annotated[
    str | None, Query(pattern=r"^(pending|processing|ready|failed|deleting)$")
]


@router.post("", response_model=KnowledgeBasePublic, status_code=201)
async def create_knowledge_base(
    body: KnowledgeBaseCreate, caller: CurrentCaller, session: TenantSession
) -> KnowledgeBasePublic:
    """Create an empty knowledge base (its embedding model is fixed from now on)."""
    row = await service.create(session=session, caller=caller, data=body)
    return KnowledgeBasePublic.model_validate(row)


@router.get("", response_model=Page[KnowledgeBasePublic])
async def list_knowledge_bases(
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[KnowledgeBasePublic]:
    """The tenant's knowledge bases."""
    return await service.get_all(session=session, page=page)


@router.get("/{knowledge_base_id}", response_model=KnowledgeBasePublic)
async def get_knowledge_base(
    knowledge_base_id: uuid.UUID, caller: CurrentCaller, session: TenantSession
) -> KnowledgeBasePublic:
    """One knowledge base."""
    row = await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
    return KnowledgeBasePublic.model_validate(row)


@router.patch("/{knowledge_base_id}", response_model=KnowledgeBasePublic)
async def update_knowledge_base(
    knowledge_base_id: uuid.UUID,
    body: KnowledgeBaseUpdate,
    caller: CurrentCaller,
    session: TenantSession,
) -> KnowledgeBasePublic:
    """Rename or re-describe a knowledge base."""
    row = await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
    row = await service.update_base(session=session, row=row, data=body)
    return KnowledgeBasePublic.model_validate(row)


@router.delete("/{knowledge_base_id}", status_code=204)
async def delete_knowledge_base(
    knowledge_base_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> Response:
    """Delete a knowledge base and its documents; its vectors are deleted on a worker."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        row = await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
        purge = await service.delete_base(session=session, row=row)
    await jobs.start_purge(client=temporal, settings=services.settings, purge=purge)
    return Response(status_code=204)


@router.post(
    "/{knowledge_base_id}/documents",
    response_model=UploadResult,
    status_code=202,
    responses={200: {"model": UploadResult, "description": "The same bytes were already there."}},
)
async def upload_document(
    knowledge_base_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
    response: Response,
    file: Annotated[UploadFile, File(description="Text, Markdown, HTML or PDF.")],
    metadata: Annotated[
        str | None, Form(description="A JSON object of filterable fields.", max_length=20_000)
    ] = None,
) -> UploadResult:
    """Upload a document: 202 while it is ingested; 200 when its bytes were already there."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        base = await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
        filename = (file.filename or "").strip()
        content_type = service.content_type_for(filename, file.content_type)
        content = service.check_content(content_type, await file.read(service.MAX_UPLOAD_BYTES + 1))
        fields = service.parse_metadata(_json_object(metadata))
        row, action = await service.store_upload(
            session=session,
            caller=caller,
            base=base,
            filename=filename,
            content_type=content_type,
            content=content,
            metadata=fields,
        )
    if action == "unchanged":
        response.status_code = 200
    else:
        await jobs.start_ingestion(
            client=temporal, database=services.database, settings=services.settings, row=row
        )
    return UploadResult(action=action, document=service.document_public(row))


def _json_object(raw: str | None) -> object:
    if raw is None or not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ValidationFailed(
            "invalid document metadata",
            errors=[{"path": "/body/metadata", "message": f"not JSON: {exc}"}],
        ) from exc


@router.get("/{knowledge_base_id}/documents", response_model=Page[DocumentPublic])
async def list_documents(
    knowledge_base_id: uuid.UUID,
    caller: CurrentCaller,
    session: TenantSession,
    page: Annotated[PageParams, Depends(page_params)],
    status: DocumentStatus = None,
) -> Page[DocumentPublic]:
    """A knowledge base's documents with their ingestion status."""
    base = await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
    return await service.get_documents(session=session, base=base, status=status, page=page)


@router.get("/{knowledge_base_id}/documents/{document_id}", response_model=DocumentPublic)
async def get_document(
    knowledge_base_id: uuid.UUID,
    document_id: uuid.UUID,
    caller: CurrentCaller,
    session: TenantSession,
) -> DocumentPublic:
    """One document and its ingestion status."""
    base = await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
    row = await service.get_document_or_raise(session=session, base=base, document_id=document_id)
    return service.document_public(row)


@router.delete(
    "/{knowledge_base_id}/documents/{document_id}", response_model=DocumentPublic, status_code=202
)
async def delete_document(
    knowledge_base_id: uuid.UUID,
    document_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> DocumentPublic:
    """Delete a document: status ``deleting`` until a worker has removed its vectors and row."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        base = await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
        row = await service.get_document_or_raise(
            session=session, base=base, document_id=document_id
        )
        purge = await service.mark_deleting(session=session, base=base, row=row)
    await jobs.start_purge(client=temporal, settings=services.settings, purge=purge)
    return service.document_public(row)


@router.get("/{knowledge_base_id}/documents/{document_id}/events", response_class=StreamingResponse)
async def document_events(
    knowledge_base_id: uuid.UUID,
    document_id: uuid.UUID,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """The latest ingestion's progress as SSE (parsed, each batch indexed, done)."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        base = await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
        row = await service.get_document_or_raise(
            session=session, base=base, document_id=document_id
        )
    frames = workflow_stream_frames(
        temporal,
        c.document_workflow_id(str(row.id)),
        from_offset=parse_last_event_id(last_event_id),
    )
    return sse_response(frames, services=services, caller=caller)


@router.post("/{knowledge_base_id}/search", response_model=SearchResponse)
async def search(
    knowledge_base_id: uuid.UUID,
    body: SearchRequest,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> SearchResponse:
    """Search one knowledge base exactly as a ``rag`` node would (for debugging it)."""
    async with services.database.tenant_session(caller.tenant_id) as session:
        await service.get_or_raise(session=session, knowledge_base_id=knowledge_base_id)
    result = await jobs.run_search(
        client=temporal,
        settings=services.settings,
        request=c.KnowledgeSearchInput(
            tenant_id=str(caller.tenant_id),
            query=body.query,
            knowledge_base_ids=[str(knowledge_base_id)],
            top_k=body.top_k,
            score_threshold=body.score_threshold,
            filters=body.filters,
            hybrid=body.hybrid,
        ),
    )
    return SearchResponse(passages=[PassagePublic.model_validate(p) for p in result.passages])
