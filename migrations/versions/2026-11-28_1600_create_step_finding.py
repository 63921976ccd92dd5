"""Create step_finding: what the sweep has already acted on.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "step_finding",
        sa.Column("seeker_id", sa.String(40), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("next_step_id", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["seeker.id"],
            name="fk_step_finding_seeker_id_seeker",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["next_step_id"],
            ["next_step.id"],
            name="fk_step_finding_next_step_id_next_step",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seeker_id", "key", name="pk_step_finding"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("step_finding")
