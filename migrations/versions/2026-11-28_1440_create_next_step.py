"""Create next_step: recommendations made concrete for one seeker.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status IN ('open', 'snoozed')")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "next_step",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("seeker_id", sa.String(40), nullable=False),
        sa.Column("recommendation_key", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_ids", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("draft_message", sa.Text(), nullable=True),
        sa.Column("suggested_goal", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seeker_id"], ["seeker.id"], name="fk_next_step_seeker_id_seeker", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name="fk_next_step_tenant_id_tenant", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_next_step"),
    )
    op.create_index(
        "uq_next_step_active_recommendation",
        "next_step",
        ["seeker_id", "recommendation_key"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_index(
        "ix_next_step_seeker_id_status_priority", "next_step", ["seeker_id", "status", "priority"]
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("next_step")
