"""Platform settings: one pydantic-settings class read from ``AGENTPAAS_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Development defaults. They are public, so any other environment must override them.
DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-0123456789abcdef"
DEV_MASTER_KEY = "00112233445566778899aabbccddeeff"
DEV_APP_DB_PASSWORD = "agentpaas-app-dev"
# The tenant setting (a key of ``tenants.settings``) that overrides the platform's audit
# retention, and the range it may take (validated by the tenant API; ignored when invalid).
AUDIT_RETENTION_SETTING = "audit_retention_days"
AUDIT_RETENTION_MIN_DAYS = 7
AUDIT_RETENTION_MAX_DAYS = 3650


class Settings(BaseSettings):
    """Everything the API, the worker and the CLI read from the environment."""

    model_config = SettingsConfigDict(env_prefix="AGENTPAAS_", env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("./.agentpaas")

    # External services; empty means "start the embedded one under data_dir".
    database_url: str | None = Field(
        default=None,
        description="URL of the API and worker: a role that neither owns tables nor bypasses RLS.",
    )
    database_admin_url: str | None = Field(
        default=None, description="URL of the table owner, used by migrations and seeding."
    )
    app_db_password: SecretStr = SecretStr(DEV_APP_DB_PASSWORD)
    temporal_address: str | None = None
    temporal_namespace: str = "default"
    temporal_task_queue: str = "agentpaas-runs"
    # Runs carry TenantId/AgentId/... search attributes; the cluster must define them.
    temporal_search_attributes: bool = True
    qdrant_url: str | None = None

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    temporal_port: int = 7233
    temporal_ui_port: int = 8233

    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_issuer: str = "agentpaas"
    jwt_audience: str = "agentpaas-api"
    access_token_minutes: int = 15
    refresh_token_days: int = 7
    bcrypt_rounds: int = 12
    master_key: SecretStr = SecretStr(DEV_MASTER_KEY)
    # Comma-separated hex keys that still decrypt (rotation): re-wrap, then remove them.
    previous_master_keys: SecretStr = SecretStr("")

    default_model: str = "scripted/echo"
    demo_tenant: str = "demo"
    demo_admin_email: str = "admin@demo.agentpaas.dev"
    demo_admin_password: SecretStr = SecretStr("agentpaas-demo")
    # The tenant whose admins administer the platform (tenants, plans, suspension).
    platform_tenant: str = "platform"
    # Password of the demo admin's account in the platform tenant. Unset: the demo admin's
    # password in development (the same email in two tenants: the 202 login flow), and no
    # platform admin account is seeded elsewhere until one is set.
    platform_admin_password: SecretStr | None = None

    # Login throttling: failed logins counted in PostgreSQL (shared by every API replica).
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_ip: int = Field(default=50, ge=1)
    login_failure_window_seconds: int = Field(default=900, ge=1)
    # How often each API process re-checks, in one query, that the callers of all its open
    # SSE streams are still in good standing.
    stream_standing_check_seconds: float = Field(default=20.0, gt=0)
    # How long a stream goes on while that check cannot reach the database (standing
    # unknown, not lost) before it ends with an `error` event.
    stream_standing_outage_seconds: float = Field(default=120.0, gt=0)

    # API rate limits: requests per window, per credential (a user or an API key) and per
    # client IP, counted in PostgreSQL so every replica shares them; 0 disables a limit.
    rate_limit_per_credential: int = Field(default=600, ge=0)
    rate_limit_per_ip: int = Field(default=1200, ge=0)
    rate_limit_window_seconds: int = Field(default=60, ge=1, le=86_400)

    log_level: str = "INFO"
    # Prometheus endpoints besides the API's /metrics, each only when its port is set:
    # a split worker's own metrics, and the Temporal SDK's (pollers, slots, latencies).
    worker_metrics_port: int | None = None
    temporal_metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"

    # Outbound URLs (MCP servers, providers, HTTP tools) may not reach loopback, private,
    # link-local or metadata addresses except these: CIDRs, hosts or host:port entries
    # (comma-separated or a JSON list in AGENTPAAS_OUTBOUND_ALLOW_LIST).
    outbound_allow_list: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # A tool result larger than this (UTF-8 bytes of its JSON) is truncated with a marker.
    tool_result_max_bytes: int = Field(default=64 * 1024, ge=1024)
    # The tool store's catalogue (JSON) the platform admin manages; see README "Tool store".
    # The default ships inside this package, so it is there in every install and image.
    tool_catalog_path: Path = Path(__file__).resolve().parent / "default_tool_catalog.json"
    # How long a node waits for PostgreSQL or Qdrant to come back before its run fails
    # (apart from the node's own retry budget, which stays for its own errors).
    infrastructure_patience_seconds: int = Field(default=600, ge=10)

    # Retention: Temporal Schedules (created at worker start) run sweeps that delete in
    # batches of `retention_batch_size` rows per statement. Intervals in minutes.
    retention_schedules: bool = True
    # (At most 10,000: the audit function deletes no more per call.)
    retention_batch_size: int = Field(default=1000, ge=1, le=10_000)
    retention_expired_chats_every_minutes: int = Field(default=60, ge=1)
    retention_run_events_every_minutes: int = Field(default=360, ge=1)
    retention_audit_logs_every_minutes: int = Field(default=1440, ge=1)
    retention_deleted_tenants_every_minutes: int = Field(default=1440, ge=1)
    retention_token_reservations_every_minutes: int = Field(default=60, ge=1)
    # Notification e-mails and webhook deliveries whose dispatch never started (Temporal
    # was away when they were recorded) are sent by this sweep.
    retention_stranded_notifications_every_minutes: int = Field(default=2, ge=1)
    # Audit rows older than this go, unless the tenant's `audit_retention_days` setting
    # says otherwise (7–3650).
    retention_audit_days: int = Field(
        default=180, ge=AUDIT_RETENTION_MIN_DAYS, le=AUDIT_RETENTION_MAX_DAYS
    )
    # A finished run's event log shrinks to its final `done` event after this long (the
    # run's message, node records and execution row keep its outcome).
    retention_run_events_days: int = Field(default=7, ge=1)
    # A soft-deleted tenant's data is purged this long after it was deleted (at least the
    # 7 days the audit function keeps any tenant's audit rows).
    retention_deleted_tenant_grace_days: int = Field(default=30, ge=AUDIT_RETENTION_MIN_DAYS)
    # Settled and released token reservations (the monthly usage keeps their totals).
    retention_closed_reservation_days: int = Field(default=30, ge=1)

    # E-mail notifications go through this SMTP server (unset: no e-mail is sent; the
    # in-app notifications still are). Sent by a worker activity, never by a request.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_from: str = "AgentPaaS <noreply@agentpaas.local>"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = Field(default=20.0, gt=0)

    @field_validator("outbound_allow_list", mode="before")
    @classmethod
    def _split_allow_list(cls, value: object) -> object:
        """Accept a JSON list or a comma-separated string from the environment."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        """Outside development, the public default secrets are a misconfiguration."""
        if len(self.jwt_secret.get_secret_value().encode()) < 32:
            raise ValueError("AGENTPAAS_JWT_SECRET must be at least 32 bytes")
        master_keys = [self.master_key.get_secret_value()] + [
            k for k in self.previous_master_keys.get_secret_value().split(",") if k.strip()
        ]
        if not all(_is_key_hex(k) for k in master_keys):
            raise ValueError(
                "AGENTPAAS_MASTER_KEY (and AGENTPAAS_PREVIOUS_MASTER_KEYS) must be hex of "
                "at least 16 bytes"
            )
        if self.environment == "production":
            defaults = {
                "AGENTPAAS_JWT_SECRET": self.jwt_secret.get_secret_value() == DEV_JWT_SECRET,
                "AGENTPAAS_MASTER_KEY": self.master_key.get_secret_value() == DEV_MASTER_KEY,
                "AGENTPAAS_APP_DB_PASSWORD": (
                    self.app_db_password.get_secret_value() == DEV_APP_DB_PASSWORD
                ),
            }
            bad = [name for name, is_default in defaults.items() if is_default]
            if bad:
                raise ValueError(
                    "refusing to start in production with default secrets: " + ", ".join(bad)
                )
        return self

    @property
    def resolved_data_dir(self) -> Path:
        """The data directory as an absolute path."""
        return self.data_dir.expanduser().resolve()


def _is_key_hex(text: str) -> bool:
    try:
        return len(bytes.fromhex(text.strip())) >= 16
    except ValueError:
        return False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
