"""Create idempotency_record; add tenant.rate_limit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 16:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "idempotency_record",
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name="fk_idempotency_record_tenant_id_tenant",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "key", name="pk_idempotency_record"),
    )
    op.create_index("ix_idempotency_record_expires_at", "idempotency_record", ["expires_at"])
    with op.batch_alter_table("tenant") as batch:
        batch.add_column(sa.Column("rate_limit", sa.String(64), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("tenant") as batch:
        batch.drop_column("rate_limit")
    op.drop_index("ix_idempotency_record_expires_at", table_name="idempotency_record")
    op.drop_table("idempotency_record")
