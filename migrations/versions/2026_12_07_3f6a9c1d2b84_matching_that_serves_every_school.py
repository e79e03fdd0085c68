"""Matching that serves every school.

- ``match.status`` may be ``expired``: a proposal nobody answered in time;
- one open proposal or match per request, enforced by a partial unique index over
  proposed, accepted and active matches (it replaces the one over accepted and active);
  a request that has more than one today keeps its engaged match, or else its newest
  proposal, and the others expire;
- runs remember how many requests they left unmatched and why
  (``unmatched_request``), and when a draft was discarded;
- a match's score is its fit from 0 to 100 and its explanation the facts behind it:
  matches stored with points per criterion are given both, from their request and
  mentor, with the rules of this revision (frozen here); a run's total is the sum of
  its matches' fits.

Revision ID: 3f6a9c1d2b84
Revises: 3f6a1c9d2b84
Create Date: 2026-12-07 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f6a9c1d2b84"
down_revision = "3f6a1c9d2b84"
branch_labels = None
depends_on = None

OLD_STATES = ("proposed", "accepted", "declined", "active", "completed", "ended")
NEW_STATES = OLD_STATES + ("expired",)
REASONS = ("no_mentor", "language", "in_person_region", "online", "nowhere", "declined",
           "full", "taken")  # fmt: skip
OPEN = "status IN ('proposed', 'accepted', 'active')"
ENGAGED = "status IN ('accepted', 'active')"


def _states(values) -> str:
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _set_states(values) -> None:
    """The CHECK constraint of ``match.status``. SQLite cannot alter a constraint: the
    table is copied, and the sessions that point at matches (ON DELETE SET NULL, which
    dropping the old table fires) are pointed at them again afterwards."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_match_match_status"), "match", type_="check")
        op.create_check_constraint(op.f("ck_match_match_status"), "match", _states(values))
        return
    links = bind.execute(
        sa.text("SELECT id, match_id FROM activity WHERE match_id IS NOT NULL")
    ).all()
    with op.batch_alter_table("match", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_match_match_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_match_match_status"), _states(values))
    if links:
        bind.execute(
            sa.text("UPDATE activity SET match_id = :match WHERE id = :id"),
            [{"id": activity, "match": match} for activity, match in links],
        )


def upgrade():
    # The partial index goes first: a copy of the table might not keep its WHERE.
    op.drop_index("uq_match_request_engaged", table_name="match")
    _set_states(NEW_STATES)
    _one_open_match_per_request()
    op.create_index("uq_match_request_open", "match", ["request_id"], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))  # fmt: skip
    with op.batch_alter_table("match_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unmatched", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("discarded_at", sa.DateTime(), nullable=True))
    op.create_table(
        "unmatched_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Enum(*REASONS, name="unmatched_reason", native_enum=False,
                                    create_constraint=True, length=32), nullable=False),  # fmt: skip
        sa.ForeignKeyConstraint(["request_id"], ["mentoring_request.id"],
                                name=op.f("fk_unmatched_request_request_id_mentoring_request"),
                                ondelete="CASCADE"),  # fmt: skip
        sa.ForeignKeyConstraint(["run_id"], ["match_run.id"],
                                name=op.f("fk_unmatched_request_run_id_match_run"),
                                ondelete="CASCADE"),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unmatched_request")),
    )
    with op.batch_alter_table("unmatched_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unmatched_request_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_unmatched_request_request_id"), ["request_id"],
                              unique=False)  # fmt: skip
    _facts_for_stored_matches()


def _one_open_match_per_request() -> None:
    """Keep each request's engaged match, or else its newest proposal; the others expire."""
    op.execute(
        sa.text(
            "UPDATE match SET status = 'expired' WHERE status = 'proposed' AND EXISTS ("
            " SELECT 1 FROM match AS other WHERE other.request_id = match.request_id"
            " AND other.id <> match.id AND (other.status IN ('accepted', 'active')"
            " OR (other.status = 'proposed' AND (other.created_at > match.created_at"
            " OR (other.created_at = match.created_at AND other.id > match.id)))))"
        )
    )


WEIGHTS = {"same_region": 30, "region_served": 20, "level": 30, "pillars": 40}


def _facts(row) -> dict:
    """fit.pair_fit's facts as they were defined at this revision."""
    r_levels, m_levels = set(row.r_levels or []), set(row.m_levels or [])
    r_pillars, m_pillars = set(row.r_pillars or []), set(row.m_pillars or [])
    if row.r_region == row.m_region:
        region, region_points = "same", WEIGHTS["same_region"]
    elif row.r_region in (row.m_regions or []):
        region, region_points = "served", WEIGHTS["region_served"]
    else:
        region, region_points = "online", 0
    levels = sorted(r_levels & m_levels)
    pillars = sorted(r_pillars & m_pillars)
    wanted = len(r_pillars)
    pillar_points = (
        WEIGHTS["pillars"]
        if not wanted
        else (2 * WEIGHTS["pillars"] * len(pillars) + wanted) // (2 * wanted)
    )
    parts = {
        "region": region_points,
        "level": WEIGHTS["level"] if levels or not r_levels else 0,
        "pillars": pillar_points,
    }
    return {
        "fit": sum(parts.values()),
        "parts": parts,
        "region": region,
        "levels": levels,
        "levels_wanted": len(r_levels),
        "pillars": pillars,
        "pillars_wanted": wanted,
        "languages": sorted(set(row.r_languages or []) & set(row.m_languages or [])),
        "waiting_days": max((row.created_at - row.r_created_at).days, 0),
    }


def _facts_for_stored_matches() -> None:
    bind = op.get_bind()
    match = sa.table(
        "match", sa.column("id"), sa.column("request_id"), sa.column("mentor_id"),
        sa.column("run_id"), sa.column("score"), sa.column("explanation", sa.JSON()),
        sa.column("created_at", sa.DateTime()),
    )  # fmt: skip
    request = sa.table(
        "mentoring_request", sa.column("id"), sa.column("region_code"),
        sa.column("levels", sa.JSON()), sa.column("pillars", sa.JSON()),
        sa.column("languages", sa.JSON()), sa.column("created_at", sa.DateTime()),
    )  # fmt: skip
    mentor = sa.table(
        "mentor_profile", sa.column("id"), sa.column("region_code"),
        sa.column("regions", sa.JSON()), sa.column("levels", sa.JSON()),
        sa.column("pillars", sa.JSON()), sa.column("languages", sa.JSON()),
    )  # fmt: skip
    rows = bind.execute(
        sa.select(
            match.c.id, match.c.explanation, match.c.created_at,
            request.c.region_code.label("r_region"), request.c.levels.label("r_levels"),
            request.c.pillars.label("r_pillars"), request.c.languages.label("r_languages"),
            request.c.created_at.label("r_created_at"),
            mentor.c.region_code.label("m_region"), mentor.c.regions.label("m_regions"),
            mentor.c.levels.label("m_levels"), mentor.c.pillars.label("m_pillars"),
            mentor.c.languages.label("m_languages"),
        )
        .join(request, request.c.id == match.c.request_id)
        .join(mentor, mentor.c.id == match.c.mentor_id)
    ).all()  # fmt: skip
    updates = []
    for row in rows:
        if "fit" in (row.explanation or {}):
            continue
        facts = _facts(row)
        updates.append({"match_id": row.id, "score": facts["fit"], "explanation": facts})
    if updates:
        bind.execute(
            match.update()
            .where(match.c.id == sa.bindparam("match_id"))
            .values(score=sa.bindparam("score"), explanation=sa.bindparam("explanation")),
            updates,
        )
    op.execute(
        sa.text(
            "UPDATE match_run SET total_score = COALESCE((SELECT SUM(score) FROM match"
            " WHERE match.run_id = match_run.id), 0)"
        )
    )


def downgrade():
    with op.batch_alter_table("unmatched_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unmatched_request_request_id"))
        batch_op.drop_index(batch_op.f("ix_unmatched_request_run_id"))
    op.drop_table("unmatched_request")
    # Plain DROP COLUMN (SQLite 3.35+): match_run is not copied, so no match loses its run.
    op.execute("ALTER TABLE match_run DROP COLUMN discarded_at")
    op.execute("ALTER TABLE match_run DROP COLUMN unmatched")
    op.drop_index("uq_match_request_open", table_name="match")
    # Expired proposals were not answered: the closest earlier state is declined.
    op.execute("UPDATE match SET status = 'declined' WHERE status = 'expired'")
    _set_states(OLD_STATES)
    op.create_index("uq_match_request_engaged", "match", ["request_id"], unique=True,
                    sqlite_where=sa.text(ENGAGED), postgresql_where=sa.text(ENGAGED))  # fmt: skip
