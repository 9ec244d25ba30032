"""Connecting to Temporal the same way from the API, the worker and the CLI."""

from __future__ import annotations

from temporalio.client import Client


async def connect_temporal(address: str, namespace: str = "default") -> Client:
    """A Temporal client for ``address``."""
    return await Client.connect(address, namespace=namespace)
