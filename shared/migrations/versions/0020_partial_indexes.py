"""partial_indexes: a ticket's commit writes only the index pages its values need

Revision ID: 0020_partial_indexes
Revises: 0019_live_rate
Create Date: 2026-12-07 19:30:00

A new ticket has no counter, call, finish or origin; its visit and its first log line have no
origin. Each of these indexes still took an entry for it, so every ticket's commit wrote seven
index pages no query reads (24 pages of the WAL a tap in all: bench/wal_pages.py). Each now holds
only the rows whose column is set; every query along one names a value or asks for IS NOT NULL
(shared/models/base.py, when_set), and a unique index allowed many NULLs before as it does now.

On SQLite, event_stream (a room's last sequence number, upserted for several rooms at every
commit) becomes a WITHOUT ROWID table: its rows live in the b-tree of their name, where they had
a rowid table and a separate index of the name.
"""

from alembic import op
from sqlalchemy import text

revision = "0020_partial_indexes"
down_revision = "0019_live_rate"
branch_labels = None
depends_on = None

# (table, index, columns, unique, the column whose value puts a row in the index)
INDEXES = [
    ("ticket", "ix_ticket_calls", ["service_id", "business_date", "called_at"], False, "called_at"),
    (
        "ticket",
        "ix_ticket_finished",
        ["service_id", "business_date", "finished_at"],
        False,
        "finished_at",
    ),
    ("ticket", "ix_ticket_counter_status", ["counter_id", "status"], False, "counter_id"),
    ("ticket", "ix_ticket_origin", ["origin"], True, "origin"),
    ("visit", "ix_visit_origin", ["origin"], True, "origin"),
    ("ticket_log", "ix_ticket_log_origin", ["origin"], True, "origin"),
    ("survey_response", "ix_survey_response_origin", ["origin"], True, "origin"),
]


def _create(table: str, name: str, columns: list[str], unique: bool, where: str | None) -> None:
    condition = (
        {}
        if where is None
        else {
            "sqlite_where": text(f"{where} IS NOT NULL"),
            "postgresql_where": text(f"{where} IS NOT NULL"),
        }
    )
    op.create_index(name, table, columns, unique=unique, **condition)


def _rebuild_event_stream(with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL has no rowid: its table is as it was
    with op.batch_alter_table(
        "event_stream", recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
    ):
        pass


def upgrade() -> None:
    for table, name, columns, unique, where in INDEXES:
        op.drop_index(name, table_name=table)
        _create(table, name, columns, unique, where)
    _rebuild_event_stream(with_rowid=False)


def downgrade() -> None:
    _rebuild_event_stream(with_rowid=True)
    for table, name, columns, unique, _where in INDEXES:
        op.drop_index(name, table_name=table)
        _create(table, name, columns, unique, None)
