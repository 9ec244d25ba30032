"""Where an ``llm`` node's call goes: model, endpoint and key, from its bound ServiceConfig.

The run carries only the config id; the key is loaded and opened here, at call time,
so it never enters workflow history, and it is handed to litellm explicitly so a
worker's own environment keys are never sent to a tenant's endpoint. The endpoint's
address is checked against the outbound URL policy at each call too, not only when the
provider was saved: a name that has since been pointed inward is refused; and the
call connects only to addresses checked again as it connects (``provider_http``), so a
name that changes its answer in between (DNS rebinding) reaches nothing inside.

When the run's user pays (``personal_key_id``), the node's bound config still names the
model, its parameters and (unless the user's key has its own) the endpoint; only the
key differs, and it must be for the same provider kind. The tenant's switch is checked
again here: a tenant that has since forbidden personal keys pays with its own key.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import bindparam, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.exceptions import ApplicationError

from activities.provider_http import ProviderHttp
from platform_core.db import Database
from platform_core.models import PersonalProviderKey, Provider, ServiceConfig, Tenant
from platform_core.models.personal_keys import personal_key_associated_data, personal_keys_allowed
from platform_core.outbound import (
    OutboundPolicy,
    UnresolvableHost,
    UnsafeOutboundUrl,
    check_outbound_url,
)
from temporal_workflows.contracts import NodeActivityInput

LLM_SERVICE = "llm_service"
REFUSED_URL = "UnsafeOutboundUrl"
UNREACHABLE = "ProviderUnreachable"
# kind -> (litellm route prefix, default api_base)
ROUTES: dict[str, tuple[str, str | None]] = {
    "openai": ("openai", None),
    "anthropic": ("anthropic", None),
    "zhipu": ("zai", "https://open.bigmodel.cn/api/paas/v4"),
    "openai_compatible": ("openai", None),
}
# Keyless servers (a local vLLM or Ollama) still get an explicit key, never the worker's.
NO_KEY = "no-key"


PERSONAL_KEY_UNUSABLE = "PersonalKeyUnusable"
TENANT_PAYS: dict[str, Any] = {"payer": "tenant"}


class CredentialOpener(Protocol):
    """Opens a sealed credential envelope of one ServiceConfig row (the worker wires it)."""

    def __call__(self, envelope: str, *, tenant_id: str, config_id: int) -> str: ...


class EnvelopeOpener(Protocol):
    """Opens any sealed envelope bound to ``associated_data`` (``KeyRing.decrypt``)."""

    def __call__(self, envelope: str, *, associated_data: bytes) -> str: ...


@dataclass
class LlmTarget:
    """Everything litellm needs for one call, plus what accounting needs."""

    model: str
    api_base: str | None = None
    api_key: str | None = field(default=None, repr=False)
    params: dict[str, Any] = field(default_factory=dict)
    max_output_tokens: int | None = None
    input_cost_per_token: Decimal | None = None
    output_cost_per_token: Decimal | None = None
    config_id: int | None = None
    # The pinned HTTP client litellm calls the provider through (None: the scripted model).
    client: Any = field(default=None, repr=False)
    # Whose key pays, for the node's record: the tenant, or a user's key (id, label, hint).
    paid_by: dict[str, Any] = field(default_factory=lambda: dict(TENANT_PAYS))
    # The user whose own key pays (their usage, not the tenant's quota, is charged).
    personal_key_owner: uuid.UUID | None = None

    def call_kwargs(self) -> dict[str, Any]:
        """Endpoint, key and client arguments for ``litellm.acompletion``."""
        kwargs: dict[str, Any] = {}
        if self.api_base:
            kwargs["api_base"] = self.api_base
        if self.api_key is not None:
            kwargs["api_key"] = self.api_key
        if self.client is not None:
            kwargs["client"] = self.client
        return kwargs


def _unavailable(config_id: int, why: str) -> ApplicationError:
    return ApplicationError(
        f"service config {config_id} {why}", type="ServiceConfigUnavailable", non_retryable=True
    )


def litellm_model(kind: str, model: str) -> str:
    """The litellm model name for ``model`` served by a provider of ``kind``."""
    prefix = ROUTES[kind][0]
    return model if model.startswith(prefix + "/") else f"{prefix}/{model}"


# A config with its provider: built once (every model call reads it before its first token).
_CONFIG_WITH_PROVIDER = (
    select(ServiceConfig, Provider)
    .join(Provider, col(Provider.provider_id) == col(ServiceConfig.provider_id))
    .where(
        col(ServiceConfig.config_id) == bindparam("config"),
        col(ServiceConfig.tenant_id) == bindparam("tenant"),
    )
)


class LlmTargets:
    """Resolves a node's target; built once by the worker with the credential opener
    and the operator's outbound URL policy."""

    def __init__(
        self,
        database: Database,
        opener: CredentialOpener,
        policy: OutboundPolicy,
        http: ProviderHttp | None = None,
        unseal: EnvelopeOpener | None = None,
    ) -> None:
        self._db = database
        self._open = opener
        self._policy = policy
        self._http = http or ProviderHttp(policy)
        # Opens users' own keys; None: this worker refuses runs paid with them.
        self._unseal = unseal

    async def resolve(
        self,
        data: NodeActivityInput,
        node_model: str | None,
        *,
        session: AsyncSession | None = None,
    ) -> LlmTarget:
        """The bound config's endpoint and key (node's model wins), else the named model;
        read in ``session``'s transaction when given."""
        config_id = data.services.get(LLM_SERVICE)
        if config_id is None:
            return LlmTarget(model=node_model or data.default_model)
        return await self.resolve_config(
            data.tenant_id,
            config_id,
            node_model,
            personal_key_id=data.personal_key_id,
            session=session,
        )

    async def resolve_config(
        self,
        tenant_id: str,
        config_id: int,
        node_model: str | None = None,
        *,
        personal_key_id: str | None = None,
        session: AsyncSession | None = None,
    ) -> LlmTarget:
        """The endpoint, key and model of one service config of the tenant (node's model wins);
        with ``personal_key_id``, the user's own key (and endpoint, if it has one)."""
        personal: PersonalProviderKey | None = None
        async with self._db.session_or_new(tenant_id, session) as session:
            if personal_key_id is not None:
                personal = await self._personal_key(session, tenant_id, personal_key_id)
            row = (
                await session.execute(
                    _CONFIG_WITH_PROVIDER, {"config": config_id, "tenant": uuid.UUID(tenant_id)}
                )
            ).first()
        if row is None:
            raise _unavailable(config_id, "no longer exists")
        config, provider = row
        if not config.is_active or not provider.is_active:
            raise _unavailable(config_id, "(or its provider) has been deactivated")
        if provider.kind not in ROUTES:
            raise _unavailable(config_id, f"has an unknown provider kind {provider.kind!r}")
        api_base = provider.base_url or ROUTES[provider.kind][1]
        if api_base:
            await self._check(config_id, api_base)
        api_key = NO_KEY
        if config.credentials:
            try:
                api_key = self._open(config.credentials, tenant_id=tenant_id, config_id=config_id)
            except Exception:
                # The reason (tampering, a moved row, an unknown master key) stays
                # server-side: the message names the config only.
                raise _unavailable(config_id, "has credentials that failed verification") from None
        settings: dict[str, Any] = config.config_data or {}
        pricing: dict[str, Any] = config.pricing_config or {}
        limits: dict[str, Any] = config.limits_config or {}
        route = ROUTES[provider.kind][0]
        paid_by, owner = dict(TENANT_PAYS), None
        if personal is not None:
            api_base, api_key = await self._personal(personal, provider.kind, config_id, api_base)
            paid_by, owner = _paid_by(personal), personal.user_id
        return LlmTarget(
            model=litellm_model(provider.kind, node_model or str(settings.get("model") or "")),
            api_base=api_base,
            api_key=api_key,
            client=self._http.client_for(route, api_base, api_key),
            params=dict(settings.get("params") or {}),
            max_output_tokens=limits.get("max_output_tokens"),
            input_cost_per_token=_decimal(pricing.get("input_cost_per_token")),
            output_cost_per_token=_decimal(pricing.get("output_cost_per_token")),
            config_id=config_id,
            paid_by=paid_by,
            personal_key_owner=owner,
        )

    async def _personal_key(
        self, session: AsyncSession, tenant_id: str, key_id: str
    ) -> PersonalProviderKey | None:
        """The user's key paying for the run; None when the tenant now forbids personal keys."""
        tenant = await session.get(Tenant, uuid.UUID(tenant_id))
        if tenant is None or not personal_keys_allowed(tenant.settings):
            return None
        key = await session.get(PersonalProviderKey, uuid.UUID(key_id))
        if key is None:
            raise ApplicationError(
                "the personal model key chosen to pay for this agent no longer exists; "
                "choose another key or let the organisation pay",
                type=PERSONAL_KEY_UNUSABLE,
                non_retryable=True,
            )
        return key

    async def _personal(
        self, key: PersonalProviderKey, kind: str, config_id: int, api_base: str | None
    ) -> tuple[str | None, str]:
        """The endpoint and opened secret of a user's key for a provider of ``kind``."""
        if key.kind != kind:
            raise ApplicationError(
                f"the personal model key {key.label!r} is for {key.kind}, but this node's "
                f"model is served by a {kind} provider",
                type=PERSONAL_KEY_UNUSABLE,
                non_retryable=True,
            )
        if self._unseal is None:
            raise ApplicationError(
                "this worker cannot open personal model keys",
                type=PERSONAL_KEY_UNUSABLE,
                non_retryable=True,
            )
        if key.api_base:
            api_base = key.api_base
            await self._check(config_id, api_base)
        try:
            secret = self._unseal(
                key.credentials,
                associated_data=personal_key_associated_data(key.tenant_id, key.user_id, key.id),
            )
        except Exception:
            raise ApplicationError(
                f"the personal model key {key.label!r} failed verification",
                type=PERSONAL_KEY_UNUSABLE,
                non_retryable=True,
            ) from None
        return api_base, secret

    async def _check(self, config_id: int, url: str) -> None:
        """The provider URL's addresses, checked now (they may differ from when it was saved)."""
        try:
            await check_outbound_url(url, self._policy)
        except UnresolvableHost as exc:  # DNS may answer on the next attempt
            raise ApplicationError(
                f"service config {config_id}: the provider is unreachable: {exc}", type=UNREACHABLE
            ) from None
        except UnsafeOutboundUrl as exc:
            raise ApplicationError(
                f"service config {config_id}: the provider URL is refused by the outbound URL "
                f"policy: {exc}",
                type=REFUSED_URL,
                non_retryable=True,
            ) from None


def _paid_by(key: PersonalProviderKey) -> dict[str, Any]:
    """The record of a user's key paying: who, and which key (its label and hint only)."""
    return {
        "payer": "user",
        "user_id": str(key.user_id),
        "key_id": str(key.id),
        "key_label": key.label,
        "key_hint": key.credentials_hint,
    }


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
