"""Good standing of every open stream's caller in one query.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

An API process re-checks the callers of all its open SSE streams every few seconds
(``platform_api.auth.standing_monitor``). It used to read a user, a tenant and a key in
one tenant transaction per stream; with a thousand open streams that was a thousand
transactions per interval. ``agentpaas_stream_standing`` answers for many callers at
once, so it must cross tenants, which row-level security forbids the app role: it runs as
the owner. It may because it reveals nothing a caller does not already hold: it is given
ids the API took from requests it authenticated, answers only what standing is decided on
(statuses, the token version, when a key was revoked or expires), and pairs each user and
key with the tenant named beside it, so a user or key of another tenant reads as missing,
exactly as under that tenant's policy. The API calls it only for its open streams.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "agentpaas_app"
SIGNATURE = "agentpaas_stream_standing(uuid[], uuid[], uuid[])"


def upgrade() -> None:
    # One row per position of the arrays (``ord`` from 1), NULL columns where a row is
    # missing; a NULL key id means the caller holds no API key.
    op.execute(
        """
        CREATE FUNCTION agentpaas_stream_standing(
            p_user_ids uuid[], p_tenant_ids uuid[], p_key_ids uuid[]
        )
        RETURNS TABLE (
            ord bigint, tenant_status varchar, user_status varchar, token_version integer,
            key_id uuid, key_revoked_at timestamptz, key_expires_at timestamptz
        )
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT c.ord, t.status, u.status, u.token_version, k.id, k.revoked_at, k.expires_at
            FROM unnest(p_user_ids, p_tenant_ids, p_key_ids)
                 WITH ORDINALITY AS c(user_id, tenant_id, key_id, ord)
            LEFT JOIN tenants t ON t.id = c.tenant_id
            LEFT JOIN users u ON u.id = c.user_id AND u.tenant_id = c.tenant_id
            LEFT JOIN api_keys k ON k.id = c.key_id AND k.tenant_id = c.tenant_id
            ORDER BY c.ord
        $$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
