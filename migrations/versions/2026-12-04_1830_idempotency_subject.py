"""idempotency_subject: every seeker a stored response is about (it replaces the single seeker_id).

A stored response used to name its seeker by a column filled from the response body, which
missed responses that name no seeker (a check-in) and could name only one (a batch names many).
Existing links are carried over; responses that had none expire within 24 hours.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "idempotency_subject",
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("seeker_id", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "key"],
            ["idempotency_record.tenant_id", "idempotency_record.key"],
            name="fk_idempotency_subject_tenant_id_idempotency_record",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "key", "seeker_id", name="pk_idempotency_subject"),
    )
    op.create_index("ix_idempotency_subject_seeker_id", "idempotency_subject", ["seeker_id"])
    op.execute(
        "INSERT INTO idempotency_subject (tenant_id, key, seeker_id) "
        "SELECT tenant_id, key, seeker_id FROM idempotency_record WHERE seeker_id IS NOT NULL"
    )
    with op.batch_alter_table("idempotency_record") as batch:
        batch.drop_index("ix_idempotency_record_tenant_id_seeker_id")
        batch.drop_column("seeker_id")


def downgrade() -> None:
    """Revert this revision (a response about several seekers keeps one of them)."""
    with op.batch_alter_table("idempotency_record") as batch:
        batch.add_column(sa.Column("seeker_id", sa.String(40), nullable=True))
        batch.create_index("ix_idempotency_record_tenant_id_seeker_id", ["tenant_id", "seeker_id"])
    op.execute(
        "UPDATE idempotency_record SET seeker_id = (SELECT MIN(s.seeker_id) "
        "FROM idempotency_subject s WHERE s.tenant_id = idempotency_record.tenant_id "
        "AND s.key = idempotency_record.key)"
    )
    op.drop_index("ix_idempotency_subject_seeker_id", table_name="idempotency_subject")
    op.drop_table("idempotency_subject")
