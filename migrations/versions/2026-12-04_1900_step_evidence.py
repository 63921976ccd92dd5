"""Next steps keep the facts they rest on: evidence, counts, the supporting rejections, a scope;
`contact_name` on rejections and applications.

- `next_step.evidence` holds the facts of its most recent supporting events (the words are
  rendered from them), `tally` how many events each rule fired for, `rejection_count` how many
  rejections support it in all; `scope` lets a per-company step (a feedback request) stay open
  once per company, so the one-active-step index now includes it.
- `next_step_support` lists every rejection that supports a step, with what its rules found, so
  that deleting a rejection updates exactly the steps it supported, whatever their age.

Existing steps keep their words until their next change; their supporting rejections are carried
over from `rejection_ids` and `explanation`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status IN ('open', 'snoozed')")


def upgrade() -> None:
    """Apply this revision."""
    for table in ("rejection", "application"):
        op.add_column(table, sa.Column("contact_name", sa.String(200), nullable=True))
    op.drop_index("uq_next_step_active_recommendation", table_name="next_step")
    # Plain ADD COLUMN, with defaults for the rows there are (batch mode would rebuild the table on
    # SQLite, and dropping the old one cascades to the rows that refer to it: step findings).
    op.add_column(
        "next_step",
        sa.Column("scope", sa.String(200), nullable=False, server_default=sa.text("''")),
    )
    op.add_column(
        "next_step",
        sa.Column("evidence", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    op.add_column(
        "next_step", sa.Column("tally", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
    )
    op.add_column(
        "next_step",
        sa.Column("rejection_count", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.create_index(
        "uq_next_step_active_recommendation",
        "next_step",
        ["seeker_id", "recommendation_key", "scope"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_table(
        "next_step_support",
        sa.Column("next_step_id", sa.String(40), nullable=False),
        sa.Column("rejection_id", sa.String(40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["next_step_id"],
            ["next_step.id"],
            name="fk_next_step_support_next_step_id_next_step",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rejection_id"],
            ["rejection.id"],
            name="fk_next_step_support_rejection_id_rejection",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("next_step_id", "rejection_id", name="pk_next_step_support"),
    )
    op.create_index("ix_next_step_support_rejection_id", "next_step_support", ["rejection_id"])
    op.create_index(
        "ix_next_step_support_next_step_id_occurred_at",
        "next_step_support",
        ["next_step_id", "occurred_at"],
    )
    _carry_over_support()


def _carry_over_support() -> None:
    """Supporting rejections of existing steps, from their `rejection_ids` and `explanation`."""
    bind = op.get_bind()
    steps = sa.table(
        "next_step",
        sa.column("id", sa.String),
        sa.column("rejection_ids", sa.JSON),
        sa.column("explanation", sa.JSON),
        sa.column("rejection_count", sa.Integer),
    )
    rejections = sa.table(
        "rejection", sa.column("id", sa.String), sa.column("occurred_at", sa.DateTime)
    )
    support = sa.table(
        "next_step_support",
        sa.column("next_step_id", sa.String),
        sa.column("rejection_id", sa.String),
        sa.column("occurred_at", sa.DateTime(timezone=True)),
        sa.column("hits", sa.JSON),
    )
    for step in bind.execute(sa.select(steps)).mappings().all():
        ids = list(dict.fromkeys(step["rejection_ids"] or []))
        if not ids:
            continue
        when = dict(
            bind.execute(
                sa.select(rejections.c.id, rejections.c.occurred_at).where(rejections.c.id.in_(ids))
            ).all()
        )
        rows = []
        for rejection_id in ids:
            if rejection_id not in when:
                continue
            hits = [
                {
                    "rule_id": e["rule_id"],
                    "rule_version": e["rule_version"],
                    "key": e["rule_id"],
                    "facts": e.get("facts") or {},
                }
                for e in step["explanation"] or []
                if e.get("rejection_id") == rejection_id
            ]
            rows.append(
                {
                    "next_step_id": step["id"],
                    "rejection_id": rejection_id,
                    "occurred_at": when[rejection_id],
                    "hits": hits,
                }
            )
        if rows:
            bind.execute(sa.insert(support), rows)
            bind.execute(
                sa.update(steps).where(steps.c.id == step["id"]).values(rejection_count=len(rows))
            )


def downgrade() -> None:
    """Revert this revision (per-company steps beyond one per recommendation are retracted).

    Columns are dropped with a plain `ALTER TABLE … DROP COLUMN` (SQLite 3.35+ has it): rebuilding
    a table in batch mode drops it first, and the drop would cascade to, or null, the rows of
    other tables that refer to it (rejections' applications, step findings).
    """
    op.drop_table("next_step_support")
    op.drop_index("uq_next_step_active_recommendation", table_name="next_step")
    op.execute(
        "UPDATE next_step SET status = 'retracted' WHERE id IN (SELECT id FROM ("
        "SELECT id, ROW_NUMBER() OVER (PARTITION BY seeker_id, recommendation_key "
        "ORDER BY CASE WHEN scope = '' THEN 0 ELSE 1 END, id) AS n FROM next_step "
        "WHERE status IN ('open', 'snoozed')) ranked WHERE n > 1)"
    )
    for column in ("rejection_count", "tally", "evidence", "scope"):
        op.execute(f"ALTER TABLE next_step DROP COLUMN {column}")
    op.create_index(
        "uq_next_step_active_recommendation",
        "next_step",
        ["seeker_id", "recommendation_key"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    for table in ("application", "rejection"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN contact_name")
