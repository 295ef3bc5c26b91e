"""sites: the one mall becomes the first site; agencies, services, counters, kiosks, TVs, staff
and holidays get their site

Revision ID: 0007_sites
Revises: 0006_device_scoped_keys
Create Date: 2026-12-05 16:30:00

Nothing is lost: the mall's row is copied into ``site`` with the same id (its slug made from its
name), and every existing agency, service, counter, kiosk, TV, staff member and holiday belongs
to it. Names, service codes and prefixes, and counter numbers become unique per site. An admin
had the whole installation in hand and becomes an installation admin (an admin with no site);
clerks and supervisors belong to the site.
"""

import json
import re
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0007_sites"
down_revision = "0006_device_scoped_keys"
branch_labels = None
depends_on = None

OWNED = ("agency", "service", "counter", "kiosk", "display")
# (table, old unique constraint, its column, new columns)
UNIQUES = (
    ("agency", "uq_agency_name", ["site_id", "name"]),
    ("service", "uq_service_code", ["site_id", "code"]),
    ("service", "uq_service_prefix", ["site_id", "prefix"]),
    ("counter", "uq_counter_number", ["site_id", "number"]),
)


def _slug(name: str, site_id: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    return slug or f"site-{site_id}"


def upgrade() -> None:
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("logo_image_id", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(length=40), nullable=False),
        sa.Column("opening_hours", sa.JSON(), nullable=False),
        sa.Column("running_text", sa.Text(), nullable=False),
        sa.Column("ticket_footer", sa.Text(), nullable=False),
        sa.Column("default_language", sa.String(length=5), nullable=False),
        sa.Column("priority_codes", sa.JSON(), nullable=False),
        sa.Column("skm_weight", sa.String(length=12), nullable=False),
        sa.Column("booking_horizon_days", sa.Integer(), nullable=False),
        sa.Column("checkin_early_minutes", sa.Integer(), nullable=False),
        sa.Column("checkin_late_minutes", sa.Integer(), nullable=False),
        sa.Column("booking_retention_days", sa.Integer(), nullable=False),
        sa.Column("sync_public_key", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["logo_image_id"],
            ["uploaded_image.id"],
            name=op.f("fk_site_logo_image_id_uploaded_image"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("slug", name=op.f("uq_site_slug")),
    )
    conn = op.get_bind()
    site = sa.table(
        "site",
        *(
            sa.column(name, type_)
            for name, type_ in (
                ("id", sa.Integer()),
                ("slug", sa.String()),
                ("name", sa.String()),
                ("kind", sa.String()),
                ("address", sa.Text()),
                ("logo_image_id", sa.Integer()),
                ("timezone", sa.String()),
                ("opening_hours", sa.JSON()),
                ("running_text", sa.Text()),
                ("ticket_footer", sa.Text()),
                ("default_language", sa.String()),
                ("priority_codes", sa.JSON()),
                ("skm_weight", sa.String()),
                ("booking_horizon_days", sa.Integer()),
                ("checkin_early_minutes", sa.Integer()),
                ("checkin_late_minutes", sa.Integer()),
                ("booking_retention_days", sa.Integer()),
                ("active", sa.Boolean()),
            )
        ),
    )
    malls = conn.execute(
        sa.text(
            "SELECT id, name, address, logo_image_id, timezone, opening_hours, running_text,"
            " ticket_footer, booking_horizon_days, checkin_early_minutes, checkin_late_minutes,"
            " booking_retention_days FROM mall ORDER BY id"
        )
    ).mappings()
    rows = []
    for mall in malls:
        row = dict(mall)
        if isinstance(row["opening_hours"], str):  # a plain SELECT hands JSON back as text
            row["opening_hours"] = json.loads(row["opening_hours"])
        row.update(
            slug=_slug(row["name"], row["id"]),
            kind="mpp",
            default_language="id",
            priority_codes=[],
            skm_weight="exact",
            active=True,
        )
        rows.append(row)
    owned_rows = any(
        conn.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() for table in OWNED
    )
    if not rows and owned_rows:  # agencies without a mall row: give them a site all the same
        rows.append(
            dict(
                id=1,
                slug="site-1",
                name="Site 1",
                kind="mpp",
                address="",
                logo_image_id=None,
                timezone="Asia/Jakarta",
                opening_hours={},
                running_text="",
                ticket_footer="",
                default_language="id",
                priority_codes=[],
                skm_weight="exact",
                booking_horizon_days=7,
                checkin_early_minutes=30,
                checkin_late_minutes=15,
                booking_retention_days=30,
                active=True,
            )
        )
    if rows:
        op.bulk_insert(site, rows)
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('site', 'id'), MAX(id)) FROM site")
            )
    op.drop_table("mall")
    first = rows[0]["id"] if rows else None

    for table in (*OWNED, "staff_user"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("site_id", sa.Integer(), nullable=True))
        if first is not None:
            conn.execute(sa.text(f"UPDATE {table} SET site_id = :site"), {"site": first})
    conn.execute(sa.text("UPDATE staff_user SET site_id = NULL WHERE role = 'admin'"))
    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("site_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_site_id_site"), "site", ["site_id"], ["id"]
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_site_id"), ["site_id"], unique=False)
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_staff_user_site_id_site"), "site", ["site_id"], ["id"]
        )
    for table, old, columns in UNIQUES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(old, type_="unique")
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_{'_'.join(columns)}"), columns
            )

    # Holidays: a day at one site or (no site) at every site. Few rows: read, rebuild, write.
    holidays = conn.execute(sa.text("SELECT day, name FROM holiday ORDER BY day")).all()
    op.drop_table("holiday")
    op.create_table(
        "holiday",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_holiday_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday")),
        sa.UniqueConstraint("site_id", "day", name=op.f("uq_holiday_site_id_day")),
    )
    with op.batch_alter_table("holiday", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holiday_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_holiday_site_id"), ["site_id"], unique=False)
    if holidays:
        holiday = sa.table(
            "holiday", sa.column("site_id"), sa.column("day", sa.Date()), sa.column("name")
        )
        op.bulk_insert(
            holiday,
            [{"site_id": first, "day": _day(day), "name": name} for day, name in holidays],
        )


def _day(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def downgrade() -> None:
    raise NotImplementedError(
        "0007_sites has no way down: restore the backup taken before the upgrade (antre backup)."
    )
