"""Regions as they stand today: Norway's 15 counties of 2024, territories, abolished regions.

Adds ``region.status`` (``current``, ``territory`` or ``abolished``). Where Norway is
loaded, adds the counties pycountry lacks (NO-31, 32, 33, 39, 40, 55, 56), marks Svalbard,
Jan Mayen and the Caribbean Netherlands as territories and the counties abolished on
1 January 2024 as abolished. A school of an abolished region whose land went to one
region moves there with its mentoring and its activities not yet held (held ones stay
where they were held); where the land was split, the school stays and the coordinator's
dashboard lists it to be placed by hand. The data is the one of app.geography.overrides
on the day of this migration, copied so that the migration does not change with it.

Revision ID: 5e0b7a3c2d19
Revises: d5b2e7a41c90
Create Date: 2026-12-07 12:15:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "5e0b7a3c2d19"
down_revision = "d5b2e7a41c90"
branch_labels = None
depends_on = None

ADDED = {
    "NO-31": "Østfold",
    "NO-32": "Akershus",
    "NO-33": "Buskerud",
    "NO-39": "Vestfold",
    "NO-40": "Telemark",
    "NO-55": "Troms",
    "NO-56": "Finnmark",
}
ABOLISHED = {
    "NO-30": ("NO-31", "NO-32", "NO-33"),
    "NO-38": ("NO-39", "NO-40"),
    "NO-54": ("NO-55", "NO-56"),
}
TERRITORIES = ("NO-21", "NO-22", "NL-AW", "NL-CW", "NL-SX", "NL-BQ1", "NL-BQ2", "NL-BQ3")

region = sa.table(
    "region",
    *(sa.column(name) for name in ("code", "country_code", "parent_code", "name", "type")),
    sa.column("is_leaf", sa.Boolean()),
    sa.column("status"),
)


def upgrade():
    op.add_column(
        "region",
        sa.Column("status", sa.String(length=16), server_default="current", nullable=False),
    )
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT 1 FROM country WHERE code = 'NO'")).first():
        known = set(connection.execute(sa.text("SELECT code FROM region")).scalars())
        rows = [
            {"code": code, "country_code": "NO", "parent_code": None, "name": name,
             "type": "County", "is_leaf": True, "status": "current"}
            for code, name in ADDED.items() if code not in known
        ]  # fmt: skip
        if rows:
            connection.execute(sa.insert(region), rows)
    connection.execute(
        sa.update(region).where(region.c.code.in_(TERRITORIES)).values(status="territory")
    )
    connection.execute(
        sa.update(region).where(region.c.code.in_(list(ABOLISHED))).values(status="abolished")
    )
    for old, (new, *others) in ABOLISHED.items():
        if not others:
            move(connection, old, new)


def move(connection, old: str, new: str) -> None:
    """Every school of ``old`` to ``new``, with what is still to come there."""
    values = {"old": old, "new": new}
    schools = "SELECT id FROM school WHERE region_code = :old"
    for statement in (
        "UPDATE activity SET region_code = :new WHERE region_code = :old "
        f"AND status <> 'held' AND school_id IN ({schools})",
        "UPDATE mentor_profile SET region_code = :new WHERE region_code = :old",
        "UPDATE mentoring_request SET region_code = :new WHERE region_code = :old "
        f"AND school_id IN ({schools})",
        "UPDATE school SET region_code = :new WHERE region_code = :old",
    ):
        connection.execute(sa.text(statement), values)


def downgrade():
    # Schools moved stay where they are: their old region still exists.
    op.execute("ALTER TABLE region DROP COLUMN status")
