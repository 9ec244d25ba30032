"""Tool store routes: browse the catalogue (developers), install and uninstall (admins)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from platform_api.api.deps import CurrentCaller, ServicesDep, TemporalDep, TenantSession
from platform_api.api.pagination import page_params
from platform_api.errors import ServiceUnavailable
from platform_api.paging import Page, PageParams
from platform_api.tool_store import catalog, service
from platform_api.tool_store.schemas import InstallationPublic, InstallRequest, StoreEntryPublic
from platform_api.tools import jobs
from platform_core.crypto import key_ring_from_settings
from platform_core.outbound import OutboundPolicy
from platform_core.tool_catalog import CatalogEntry

logger = logging.getLogger(__name__)

# Who may call what (developers browse, admins install): platform_api/access/rules.py.
router = APIRouter(prefix="/api/v1/tool-store", tags=["tool store"])
Paging = Annotated[PageParams, Depends(page_params)]
EntryId = Annotated[str, Path(max_length=64, description="A catalogue entry's id.")]


def _public(entry: CatalogEntry, installed: InstallationPublic | None) -> StoreEntryPublic:
    return StoreEntryPublic(
        id=entry.id,
        name=entry.name,
        description=entry.description,
        url_template=entry.url_template,
        parameters=entry.parameters,
        credentials=catalog.credential_fields(entry),
        tags=entry.tags,
        homepage=entry.homepage,
        bundled=entry.bundled,
        installed=installed is not None,
        installation=installed,
    )


@router.get("/entries", response_model=Page[StoreEntryPublic])
async def list_entries(
    caller: CurrentCaller,
    session: TenantSession,
    services: ServicesDep,
    page: Paging,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in names, descriptions, tags.")
    ] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    installed: Annotated[bool | None, Query(description="Only (un)installed entries.")] = None,
) -> Page[StoreEntryPublic]:
    """Search the store: bundled tools first, then the catalogue, with installed state."""
    entries = [
        e for e in catalog.all_entries(services.settings) if service.matches(e, q=q, tag=tag)
    ]
    state = await service.installations(session, entry_ids=[e.id for e in entries])
    if installed is not None:
        entries = [e for e in entries if (e.id in state) == installed]
    chosen = entries[page.offset : page.offset + page.limit]
    return Page(
        items=[_public(e, state.get(e.id)) for e in chosen],
        total=len(entries),
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/tags", response_model=list[str])
async def list_tags(caller: CurrentCaller, services: ServicesDep) -> list[str]:
    """Every tag of the store's entries, sorted."""
    return sorted({t for e in catalog.all_entries(services.settings) for t in e.tags})


@router.get("/installations", response_model=Page[InstallationPublic])
async def list_installations(
    caller: CurrentCaller, session: TenantSession, services: ServicesDep, page: Paging
) -> Page[InstallationPublic]:
    """What the tenant has installed from the store, with discovery status and tools."""
    ids = [e.id for e in catalog.all_entries(services.settings)]
    state = await service.installations(session, entry_ids=ids)
    found = [state[i] for i in ids if i in state]
    return Page(
        items=found[page.offset : page.offset + page.limit],
        total=len(found),
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/entries/{entry_id}", response_model=StoreEntryPublic)
async def get_entry(
    entry_id: EntryId, caller: CurrentCaller, session: TenantSession, services: ServicesDep
) -> StoreEntryPublic:
    """One entry with its parameters, credential fields and installed state."""
    entry = catalog.get_entry_or_raise(services.settings, entry_id)
    state = await service.installations(session, entry_ids=[entry.id])
    return _public(entry, state.get(entry.id))


@router.post("/entries/{entry_id}/install", response_model=StoreEntryPublic, status_code=201)
async def install_entry(
    entry_id: EntryId,
    body: InstallRequest,
    caller: CurrentCaller,
    services: ServicesDep,
    temporal: TemporalDep,
) -> StoreEntryPublic:
    """Install: register the server (URL rendered and checked), discover its tools, grant them."""
    settings = services.settings
    entry = catalog.get_entry_or_raise(settings, entry_id)
    async with services.database.tenant_session(caller.tenant_id) as session:
        server_id = await service.install(
            session=session,
            tenant_id=caller.tenant_id,
            user_id=caller.user_id,
            entry=entry,
            data=body,
            ring=key_ring_from_settings(settings),
            policy=OutboundPolicy.from_settings(settings),
        )
    try:
        await jobs.check_server(
            client=temporal,
            settings=settings,
            tenant_id=caller.tenant_id,
            server_id=server_id,
            mode="discover",
        )
    except ServiceUnavailable as exc:  # installed; discovery can be run again from Tools
        logger.warning("tool store: %s installed but not discovered: %s", entry.id, exc.detail)
    async with services.database.tenant_session(caller.tenant_id) as session:
        state = await service.installations(session, entry_ids=[entry.id])
    return _public(entry, state.get(entry.id))


@router.delete("/entries/{entry_id}/install", status_code=204)
async def uninstall_entry(
    entry_id: EntryId,
    caller: CurrentCaller,
    session: TenantSession,
    services: ServicesDep,
    force: Annotated[
        bool, Query(description="Uninstall even if published agent versions use its tools.")
    ] = False,
) -> Response:
    """Uninstall: remove the server, its tools and grants; 409 listing the versions using it."""
    entry = catalog.get_entry_or_raise(services.settings, entry_id)
    await service.uninstall(session=session, tenant_id=caller.tenant_id, entry=entry, force=force)
    return Response(status_code=204)
