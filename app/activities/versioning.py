"""Every change to an activity is a new version, its pillar, language and reach links included.

The version column (the mapper's ``version_id_col``) is only bumped, and only checked
against a concurrent save, when the activity's own row is UPDATEd. An edit that changes
nothing but its links writes only link rows, so two such edits would both pass and their
links would merge. Before every flush, each activity whose links (or own columns) change
is touched, so that its row is always UPDATEd with the version check and a new version.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.activities.models import Activity, ActivityLanguage, ActivityPillar, ActivityReach
from app.core.database import utcnow

LINKS = (ActivityPillar, ActivityLanguage, ActivityReach)


def register() -> None:
    """Listen to every session's flushes (once per process)."""
    if not event.contains(Session, "before_flush", _touch_changed):
        event.listen(Session, "before_flush", _touch_changed)


def _touch_changed(session: Session, flush_context, instances) -> None:
    parents: set[Activity] = set()
    for instance in chain(session.new, session.dirty, session.deleted):
        if isinstance(instance, LINKS) and instance.activity_id is not None:
            parent = session.get(Activity, instance.activity_id)
            if parent is not None:
                parents.add(parent)
        elif isinstance(instance, Activity) and session.is_modified(instance):
            parents.add(instance)
    for activity in parents:
        if activity in session.new or activity in session.deleted or activity.id is None:
            continue
        activity.updated_at = utcnow()  # an UPDATE of the row: version checked and bumped
