"""Create goal and goal_check_in.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _owner(column: str, table: str, owner: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{owner}.id"], name=f"fk_{table}_{column}_{owner}", ondelete="CASCADE"
    )


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "goal",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("seeker_id", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("recommendation_key", sa.String(64), nullable=True),
        sa.Column("next_step_id", sa.String(40), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _owner("seeker_id", "goal", "seeker"),
        _owner("tenant_id", "goal", "tenant"),
        sa.PrimaryKeyConstraint("id", name="pk_goal"),
        sa.UniqueConstraint("next_step_id", name="uq_goal_next_step_id"),
    )
    op.create_index("ix_goal_seeker_id_id", "goal", ["seeker_id", "id"])
    op.create_index("ix_goal_seeker_id_status", "goal", ["seeker_id", "status"])
    op.create_table(
        "goal_check_in",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("goal_id", sa.String(40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _owner("goal_id", "goal_check_in", "goal"),
        _owner("tenant_id", "goal_check_in", "tenant"),
        sa.PrimaryKeyConstraint("id", name="pk_goal_check_in"),
    )
    op.create_index("ix_goal_check_in_goal_id_id", "goal_check_in", ["goal_id", "id"])
    op.create_index(
        "ix_goal_check_in_goal_id_occurred_at", "goal_check_in", ["goal_id", "occurred_at"]
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("goal_check_in")
    op.drop_table("goal")
