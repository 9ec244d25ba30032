"""Knowledge documents keep their uploaded bytes for the ingestion workflow.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Ingestion runs on a worker, possibly another machine than the API that took the
upload, so the bytes live with the document row (row-level security already covers
``knowledge_documents``). Re-ingesting after a failure needs no re-upload.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("knowledge_documents", sa.Column("content", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("knowledge_documents", "content")
