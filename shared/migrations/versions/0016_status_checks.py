"""status_checks: CHECK constraints on the columns that hold one of a closed set of values

Revision ID: 0016_status_checks
Revises: 0015_mobilejkn
Create Date: 2026-12-05 22:10:00

Ticket status, print state and source, the log's statuses, staff roles, queue placements, counter
and booking statuses, printer states and site kinds: the values of shared/enums.py, written out
here as they are today (a migration must not change when the enums grow; a new value comes with
its own migration). SQLite cannot add a constraint to a table: batch mode rebuilds each table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_status_checks"
down_revision = "0015_mobilejkn"
branch_labels = None
depends_on = None

STATUSES = ("waiting", "called", "serving", "done", "no_show", "cancelled", "transferred")
CHECKS = {
    "ticket": {
        "status": STATUSES,
        "print_state": ("none", "pending", "printed", "failed"),
        "source": ("kiosk", "booking", "counter"),
    },
    "ticket_log": {"from_status": STATUSES, "to_status": STATUSES},
    "staff_user": {"role": ("clerk", "supervisor", "admin")},
    "service": {
        "transfer_placement": ("front", "issue_time"),
        "booking_placement": ("front", "slot_time"),
    },
    "counter": {"status": ("open", "paused", "closed")},
    "booking": {"status": ("booked", "checked_in", "cancelled")},
    "kiosk": {
        "printer_state": ("online", "offline", "paper_low", "paper_out", "unknown", "none"),
    },
    "site": {"kind": ("mpp", "hospital", "puskesmas", "mobile")},
}


def _condition(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


# Columns only admins or devices set, where the code read an unknown value as one of the known:
# such values (from hand edits or old releases) become that default instead of failing the upgrade.
DEFAULTS = {
    ("service", "transfer_placement"): "issue_time",
    ("service", "booking_placement"): "slot_time",
    ("kiosk", "printer_state"): "unknown",
}


def upgrade() -> None:
    for (table, column), default in DEFAULTS.items():
        values = CHECKS[table][column]
        op.execute(
            sa.text(
                f"UPDATE {table} SET {column} = :default WHERE NOT ({_condition(column, values)})"
            ).bindparams(default=default)
        )
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                batch_op.create_check_constraint(
                    op.f(f"ck_{table}_{column}"), sa.text(_condition(column, values))
                )


def downgrade() -> None:
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
