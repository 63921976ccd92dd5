"""idempotency_record: the API key and seeker a stored response belongs to; index step findings.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("idempotency_record") as batch:
        batch.add_column(sa.Column("api_key_id", sa.String(40), nullable=True))
        batch.add_column(sa.Column("seeker_id", sa.String(40), nullable=True))
        batch.create_index("ix_idempotency_record_tenant_id_seeker_id", ["tenant_id", "seeker_id"])
    op.create_index("ix_step_finding_next_step_id", "step_finding", ["next_step_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_step_finding_next_step_id", table_name="step_finding")
    with op.batch_alter_table("idempotency_record") as batch:
        batch.drop_index("ix_idempotency_record_tenant_id_seeker_id")
        batch.drop_column("seeker_id")
        batch.drop_column("api_key_id")
