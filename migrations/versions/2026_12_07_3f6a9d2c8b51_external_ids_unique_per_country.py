"""External ids of schools unique per country.

National register codes collide across countries: the unique constraint on
``school.external_id`` becomes one on ``(country_code, external_id)``. The import matches
schools by country and external id.

SQLite changes a constraint by rebuilding the table, and dropping the old ``school`` table
with foreign keys on would delete every row that refers to a school (ON DELETE CASCADE).
The rebuild therefore runs outside the migration's transaction with foreign keys off, in
a transaction of its own, and checks the foreign keys before it commits.

Revision ID: 3f6a9d2c8b51
Revises: c0f43ad61ac2
Create Date: 2026-12-07 09:00:00.000000

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "3f6a9d2c8b51"
down_revision = "c0f43ad61ac2"
branch_labels = None
depends_on = None


@contextmanager
def rebuilt_school():
    """``school`` altered in batch; on SQLite, a rebuild that deletes nothing that refers to it."""
    if op.get_bind().dialect.name != "sqlite":
        with op.batch_alter_table("school", schema=None) as batch_op:
            yield batch_op
        return
    with op.get_context().autocommit_block():
        # Off already when the migrations run together (migrations/env.py): left as found,
        # so the revisions after this one rebuild tables without cascading either.
        before = op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar()
        op.execute("PRAGMA foreign_keys=OFF")
        op.execute("BEGIN")
        try:
            with op.batch_alter_table("school", schema=None, recreate="always") as batch_op:
                yield batch_op
            if op.get_bind().execute(sa.text("PRAGMA foreign_key_check")).first() is not None:
                raise RuntimeError("the rebuilt school table breaks a foreign key")
            op.execute("COMMIT")
        except BaseException:
            op.execute("ROLLBACK")
            raise
        finally:
            op.execute(f"PRAGMA foreign_keys={'ON' if before else 'OFF'}")


def upgrade():
    with rebuilt_school() as batch_op:
        batch_op.drop_constraint("uq_school_external_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_school_country_code_external_id", ["country_code", "external_id"]
        )


def downgrade():
    with rebuilt_school() as batch_op:
        batch_op.drop_constraint("uq_school_country_code_external_id", type_="unique")
        batch_op.create_unique_constraint("uq_school_external_id", ["external_id"])
