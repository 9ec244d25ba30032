"""Sealing a topic server's bearer credential with the master key ring."""

from __future__ import annotations

import uuid

from platform_core.crypto import KeyRing, credentials_hint
from platform_core.models import MCPTopicServer


def server_associated_data(tenant_id: object, server_row_id: uuid.UUID) -> bytes:
    """What binds a server's credential to its row: table, tenant and row id."""
    return f"mcp_topic_servers/{tenant_id}/{server_row_id}".encode()


def seal(row: MCPTopicServer, ring: KeyRing, secret: str) -> None:
    """Store ``secret`` on the row as an envelope plus a hint."""
    row.credentials = ring.encrypt(
        secret, associated_data=server_associated_data(row.tenant_id, row.id)
    )
    row.credentials_hint = credentials_hint(secret)


def open_credential(row: MCPTopicServer, ring: KeyRing) -> str | None:
    """The server's bearer credential, or None for an open server."""
    if not row.credentials:
        return None
    return ring.decrypt(
        row.credentials, associated_data=server_associated_data(row.tenant_id, row.id)
    )


def scrub(text: str, secret: str | None) -> str:
    """``text`` with the secret masked (errors may echo what was sent)."""
    return text.replace(secret, "[redacted]") if secret and len(secret) >= 4 else text
