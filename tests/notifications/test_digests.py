"""The coordinators' weekly summary: what waits, and the white spots that changed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.notifications.enums import Frequency, Kind
from app.notifications.operations import set_preferences
from app.schools.enums import SchoolStatus
from tests.notifications.helpers import run_due

MONDAY = datetime(2026, 10, 12, 9, tzinfo=UTC)


def test_the_weekly_summary_tells_what_changed(app_ctx, make, outbox):
    coordinator = make.user("coord@nl.example", role="coordinator", countries=("NL",),
                            locale="nl")  # fmt: skip
    make.school("NL", name="Nog te verifiëren", status=SchoolStatus.PENDING)
    [first] = run_due(MONDAY, outbox)
    body = first.get_content()
    assert first["Subject"] == "Uw week in het Netwerk van eTwinning-scholen"
    assert "Te verifiëren scholen: 1" in body
    assert "regio's hebben een witte vlek." in body
    assert "/dashboards/NL" in body
    assert run_due(datetime(2026, 10, 13, 9, tzinfo=UTC), outbox) == []  # not on Tuesday

    school = make.school("NL", name="Ambassadeur")
    make.ambassador(school, today=date(2026, 10, 14))
    [second] = run_due(datetime(2026, 10, 19, 9, tzinfo=UTC), outbox)
    body = second.get_content()
    assert "Witte vlekken die sinds vorige week zijn ingevuld:" in body
    assert "geen ambassadeursschool" in body
    assert "Nieuwe witte vlekken" not in body

    set_preferences(coordinator.id, {Kind.COORDINATOR_DIGEST: Frequency.NEVER})
    assert run_due(datetime(2026, 10, 26, 9, tzinfo=UTC), outbox) == []
