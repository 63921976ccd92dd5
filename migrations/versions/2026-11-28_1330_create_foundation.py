"""Create the foundation: tenant, api_key, seeker, application, rejection.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(40), nullable=False)


def _ts(name: str, *, nullable: bool = False) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "tenant",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_tenant"),
        sa.UniqueConstraint("name", name="uq_tenant_name"),
    )
    op.create_table(
        "api_key",
        _id(),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.String(500), nullable=False),
        _ts("created_at"),
        _ts("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name="fk_api_key_tenant_id_tenant", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_api_key"),
        sa.UniqueConstraint("key_hash", name="uq_api_key_key_hash"),
    )
    op.create_index("ix_api_key_tenant_id_id", "api_key", ["tenant_id", "id"])

    op.create_table(
        "seeker",
        _id(),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=True),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(35), nullable=True),
        sa.Column("target_roles", sa.JSON(), nullable=False),
        sa.Column("strengths", sa.JSON(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name="fk_seeker_tenant_id_tenant", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_seeker"),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_seeker_tenant_id_external_id"),
    )
    op.create_index("ix_seeker_tenant_id_id", "seeker", ["tenant_id", "id"])

    op.create_table(
        "application",
        _id(),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("seeker_id", sa.String(40), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("job_url", sa.String(2048), nullable=True),
        sa.Column("external_id", sa.String(255), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seeker_id"], ["seeker.id"], name="fk_application_seeker_id_seeker", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name="fk_application_tenant_id_tenant", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_application"),
        sa.UniqueConstraint(
            "tenant_id",
            "source",
            "external_id",
            name="uq_application_tenant_id_source_external_id",
        ),
    )
    op.create_index("ix_application_seeker_id_id", "application", ["seeker_id", "id"])
    op.create_index(
        "ix_application_seeker_id_applied_on", "application", ["seeker_id", "applied_on"]
    )

    op.create_table(
        "rejection",
        _id(),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("seeker_id", sa.String(40), nullable=False),
        sa.Column("application_id", sa.String(40), nullable=True),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("ended_by", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("reason_detail", sa.Text(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("missing_skills", sa.JSON(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=True),
        _ts("occurred_at"),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name="fk_rejection_application_id_application",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["seeker_id"], ["seeker.id"], name="fk_rejection_seeker_id_seeker", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name="fk_rejection_tenant_id_tenant", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rejection"),
        sa.UniqueConstraint(
            "tenant_id", "source", "external_id", name="uq_rejection_tenant_id_source_external_id"
        ),
    )
    op.create_index("ix_rejection_seeker_id_id", "rejection", ["seeker_id", "id"])
    op.create_index("ix_rejection_seeker_id_occurred_at", "rejection", ["seeker_id", "occurred_at"])


def downgrade() -> None:
    """Undo this revision."""
    for table in ("rejection", "application", "seeker", "api_key", "tenant"):
        op.drop_table(table)
