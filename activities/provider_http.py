"""HTTP clients for calls to model providers, pinned to the addresses the policy allowed.

An ``llm`` node's provider URL is checked against the outbound URL policy when its
target is resolved, but litellm's own clients resolve the name again when they connect:
a name that answers with a public address for the check and with an internal one a
moment later (DNS rebinding) would reach the inside. These clients connect only to
addresses they resolved and checked themselves, at connect time
(``platform_core.outbound.PinnedNetworkBackend``), as the MCP and ``http_get`` clients
do. litellm takes them through its ``client`` argument: an OpenAI SDK client for the
OpenAI-shaped routes, its own HTTP handler for Anthropic's.
"""

from __future__ import annotations

from typing import Any

import httpx
import httpx2
import openai
from litellm.llms.custom_httpx.http_handler import AsyncHTTPHandler

from platform_core.outbound import OutboundPolicy, pinned_transport

# Providers stream for minutes; connecting is quick or not at all.
TIMEOUT = httpx.Timeout(600.0, connect=10.0)
# The litellm routes whose calls go through its HTTP handler, not the OpenAI SDK.
HANDLER_ROUTES = frozenset({"anthropic"})


class ProviderHttp:
    """The worker's pooled, pinned HTTP clients for provider calls (one pool per route kind)."""

    def __init__(self, policy: OutboundPolicy) -> None:
        # The OpenAI SDK speaks httpx2, litellm's handler httpx. Redirects are not
        # followed: an API answer that redirects is an error to report.
        self._sdk_http = httpx2.AsyncClient(
            transport=pinned_transport(httpx2, policy),
            timeout=httpx2.Timeout(600.0, connect=10.0),
            follow_redirects=False,
        )
        self._handler = AsyncHTTPHandler(timeout=TIMEOUT, transport=pinned_transport(httpx, policy))

    def client_for(self, route: str, api_base: str | None, api_key: str) -> Any:
        """litellm's ``client`` argument for one call on ``route`` to ``api_base``.

        An SDK client is cheap to build (tens of microseconds) and shares the pinned
        connection pool, so one is built per call rather than cached with its key.
        """
        if route in HANDLER_ROUTES:
            return self._handler
        # Temporal owns retries: the SDK must not retry on its own.
        return openai.AsyncOpenAI(
            api_key=api_key, base_url=api_base, http_client=self._sdk_http, max_retries=0
        )
