"""One account per address, however it is written.

Adds ``user.email_key``, the address as compared (NFKC, the Turkish dotted and dotless i
as ``i``, case folded), under a unique constraint, and fills it from every stored
address. Two stored addresses with one key (``admin@`` and ``admın@``) stop the upgrade
with their ids: an administrator decides which account keeps the address (and changes
or deletes the other) before upgrading again. The function below is this revision's
copy of ``app.accounts.addresses.email_key``: a later change there must not change
what this revision wrote.

Revision ID: c0f43ad61ac2
Revises: 94140c90a8ae
Create Date: 2026-12-07 04:44:12.282001

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c0f43ad61ac2"
down_revision = "94140c90a8ae"
branch_labels = None
depends_on = None

USER = sa.table("user", sa.column("id", sa.Integer), sa.column("email", sa.String),
                sa.column("email_key", sa.String))  # fmt: skip


def email_key(address: str) -> str:
    text = unicodedata.normalize("NFKC", address.strip())
    text = text.translate(str.maketrans({"\u0130": "i", "\u0131": "i"})).casefold()
    return unicodedata.normalize("NFKC", text).replace("i\u0307", "i")


def upgrade():
    # Checked before any change: SQLite's schema changes are not undone by a failure.
    connection = op.get_bind()
    keys: dict[str, list[int]] = {}
    for user_id, email in connection.execute(sa.select(USER.c.id, USER.c.email)):
        keys.setdefault(email_key(email), []).append(user_id)
    clashes = sorted(ids for ids in keys.values() if len(ids) > 1)
    if clashes:
        raise RuntimeError(
            "These accounts have addresses that only look different (user ids, one group per"
            f" address): {clashes}. Keep one account of each group, then upgrade again."
        )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_key", sa.String(length=254), nullable=True))
    for key, (user_id,) in keys.items():
        connection.execute(sa.update(USER).where(USER.c.id == user_id).values(email_key=key))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column("email_key", existing_type=sa.String(length=254), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_user_email_key"), ["email_key"])


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_user_email_key"), type_="unique")
        batch_op.drop_column("email_key")
