"""Identity providers: sign-in with a tenant's OpenID Connect provider.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

``identity_providers`` holds one provider per tenant: issuer, client id, the client
secret as an SM4 envelope bound to the tenant (like provider API keys, never
returned), allowed e-mail domains, the claim → role mapping, just-in-time creation,
and ``local_login_enabled`` (password login off for the tenant while a provider is
configured). ``oidc_login_attempts`` holds each started sign-in (hashed state, nonce,
PKCE verifier) for the callback to spend once. Both are tenant tables under
row-level security.

Before a sign-in the tenant is known only by its name, and the app role sees no
tenant row without one set; ``agentpaas_oidc_tenant(name)`` (security definer) answers
the id of an active tenant with an enabled provider, and nothing for any other name,
so an unknown tenant and one without a provider look alike.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
NEW_TENANT_TABLES = ("identity_providers", "oidc_login_attempts")


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    ]


def upgrade() -> None:
    op.create_table(
        "identity_providers",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("client_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("client_secret", sa.Text(), nullable=False),
        sa.Column(
            "client_secret_hint", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False
        ),
        sa.Column("scopes", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column(
            "allowed_domains",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column("role_claim", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column(
            "role_mapping",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("default_role", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("jit_provisioning", sa.Boolean(), nullable=False),
        sa.Column("local_login_enabled", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "default_role IN ('admin', 'developer', 'reviewer', 'user', 'viewer')",
            name="ck_identity_providers_default_role",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    op.create_table(
        "oidc_login_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("state_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("code_verifier", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("redirect_uri", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("state_hash"),
    )
    op.create_index(
        op.f("ix_oidc_login_attempts_tenant_id"), "oidc_login_attempts", ["tenant_id"], unique=False
    )
    for table in NEW_TENANT_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )
    op.execute(
        """
        CREATE FUNCTION agentpaas_oidc_tenant(p_name text) RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT t.id FROM tenants t JOIN identity_providers p ON p.tenant_id = t.id
            WHERE t.name = p_name AND t.status = 'active' AND p.enabled
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION agentpaas_oidc_tenant(text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION agentpaas_oidc_tenant(text) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS agentpaas_oidc_tenant(text)")
    op.drop_index(op.f("ix_oidc_login_attempts_tenant_id"), table_name="oidc_login_attempts")
    op.drop_table("oidc_login_attempts")
    op.drop_table("identity_providers")
