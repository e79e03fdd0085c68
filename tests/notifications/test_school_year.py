"""A school year walked day by day: each reminder goes once, on its day, in the
recipient's language, and never to whoever unsubscribed from its kind."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from app.accounts.enums import MembershipRole
from app.activities.enums import ActivityStatus
from app.core.extensions import db
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match
from app.notifications.enums import Frequency, Kind
from app.notifications.operations import set_preferences
from app.notifications.reminders import send_due
from tests.support.mentoring import add_mentor, add_request

FIRST_DAY = date(2026, 9, 1)
LAST_DAY = date(2027, 8, 31)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _world(make, session):
    """Demo-like data: a Dutch school with a label and a forgotten report, a Norwegian
    mentor, requests that wait and mentorships that go quiet."""
    school = make.school("NL", name="Het Baken", label_year=2025)
    admin = make.member(school, MembershipRole.ADMIN, email="admin@baken.example", locale="nl")
    quiet = make.member(school, MembershipRole.ADMIN, email="stil@baken.example", locale="nl")
    teacher = make.member(school, email="leraar@baken.example", locale="tr")
    set_preferences(quiet.id, {Kind.ACTIVITY_REPORT: Frequency.NEVER})
    set_preferences(teacher.id, {Kind.ACTIVITY_REPORT: Frequency.DAILY})
    make.activity(school, title="Open dag", starts_at=at(date(2026, 10, 5), 8),
                  created_by_id=teacher.id)  # fmt: skip
    make.activity(school, title="Gehouden", starts_at=at(date(2026, 10, 6), 8),
                  status=ActivityStatus.HELD)  # fmt: skip
    make.activity(school, title="Afgelast", starts_at=at(date(2026, 10, 7), 8),
                  status=ActivityStatus.CANCELLED)  # fmt: skip
    mentor_school = make.school("NO", name="Bodø skole")
    mentor = add_mentor(make, session, mentor_school, email="mentor@bodo.example", locale="nb",
                        capacity=3)  # fmt: skip
    coordinator = make.user("coord@nl.example", role="coordinator", countries=("NL",),
                            locale="ro")  # fmt: skip
    waiting = add_request(session, school, requested_by=teacher)
    waiting.created_at = at(date(2026, 9, 10))
    proposal = Match(request_id=waiting.id, mentor_id=mentor.id, status=MatchStatus.PROPOSED,
                     created_at=at(date(2026, 11, 2), 8))  # fmt: skip
    other = make.school("NL", name="De Linde")
    other_admin = make.member(other, MembershipRole.ADMIN, email="admin@linde.example",
                              locale="tr")  # fmt: skip
    matched = add_request(session, other, status="matched")
    matched.created_at = at(date(2026, 9, 2))
    running = Match(request_id=matched.id, mentor_id=mentor.id, status=MatchStatus.ACTIVE,
                    decided_at=at(date(2026, 9, 15)))  # fmt: skip
    session.add_all([proposal, running])
    session.commit()
    return {
        "school": school, "admin": admin, "quiet": quiet, "teacher": teacher,
        "mentor": mentor.user, "coordinator": coordinator, "other_admin": other_admin,
        "running": running,
    }  # fmt: skip


def days():
    return [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]


def walk(session, outbox, world) -> dict[tuple[str, str], list[date]]:
    """Run the reminders at 09:00 each day of the year; the days each mail went."""
    sent: dict[tuple[str, str], list[date]] = defaultdict(list)
    for day in days():
        if day == date(2026, 11, 20):  # a session logged: a new quiet month may begin
            make_session(session, world)
        send_due(at(day))
        db.session.commit()
        for message in outbox:
            sent[message["To"], message["Subject"]].append(day)
        outbox.clear()
    return sent


def make_session(session, world) -> None:
    from tests.factories import Factories

    Factories(session).activity(world["school"], title="Mentorsessie",
                                starts_at=at(date(2026, 11, 20), 14), status=ActivityStatus.HELD,
                                match_id=world["running"].id)  # fmt: skip


def test_a_school_year_of_reminders(app_ctx, make, db_session, outbox):
    world = _world(make, db_session)
    sent = walk(db_session, outbox, world)

    # The forgotten open day, ended 5 October: 3 and 10 days later, in Dutch for the
    # admin; in the daily digest, in Turkish, for the teacher who logged it (and chose
    # that); not for who unsubscribed.
    report_nl = "Rapporteer de activiteit ‘Open dag’"
    assert sent["admin@baken.example", report_nl] == [date(2026, 10, 8), date(2026, 10, 15)]
    digest_tr = "Günün hatırlatmaları"
    assert sent["leraar@baken.example", digest_tr] == [date(2026, 10, 8), date(2026, 10, 15)]
    assert not [key for key in sent if key[0] == "leraar@baken.example" and "Open dag" in key[1]]
    assert not [key for key in sent if key[0] == "stil@baken.example" and "Open dag" in key[1]]
    assert not [key for key in sent if "Gehouden" in key[1] or "Afgelast" in key[1]]

    # The proposal made on 2 November, unanswered: 3 and 7 days later, in Bokmål; after
    # 14 days it expired and went back to matching.
    proposal_nb = "En skole venter på svaret ditt som mentor"
    assert sent["mentor@bodo.example", proposal_nb] == [date(2026, 11, 5), date(2026, 11, 9)]
    expired = db_session.query(Match).filter_by(status=MatchStatus.EXPIRED).one()
    assert expired.decided_at.date() == date(2026, 11, 16)

    # The request of 10 September has waited 30 days on 10 October: to the coordinator,
    # in Romanian, once.
    waiting_ro = "Het Baken așteaptă un mentor de 30 de zile"
    assert sent["coord@nl.example", waiting_ro] == [date(2026, 10, 10)]

    # The mentorship accepted on 15 September: quiet on 15 October, a session on 20
    # November, quiet again on 20 December; the check-in three months in, both sides.
    quiet_nb = "Ingen mentorøkt registrert på en måned"
    assert sent["mentor@bodo.example", quiet_nb] == [date(2026, 10, 15), date(2026, 12, 20)]
    assert sent["admin@linde.example", "Bir aydır mentorluk oturumu kaydedilmedi"] == [
        date(2026, 10, 15), date(2026, 12, 20)]  # fmt: skip
    checkin_tr = "Üç aylık mentorluk: değerlendirme zamanı"
    assert sent["admin@linde.example", checkin_tr] == [date(2026, 12, 15)]
    checkin_nb = "Tre måneder med mentorordning: tid for en samtale"
    assert sent["mentor@bodo.example", checkin_nb] == [date(2026, 12, 15)]

    # The label of 2025-26 ends on 31 August 2027: once, 120 days before, to both admins.
    label_nl = "Het eTwinning-schoollabel van Het Baken verloopt dit schooljaar"
    assert sent["admin@baken.example", label_nl] == [date(2027, 5, 4)]
    assert sent["stil@baken.example", label_nl] == [date(2027, 5, 4)]

    # The coordinator's summary, every Monday, once.
    mondays = [d for d in days() if d.weekday() == 0]
    weekly_ro = "Săptămâna dumneavoastră în Rețeaua Școlilor eTwinning"
    assert sent["coord@nl.example", weekly_ro] == mondays
