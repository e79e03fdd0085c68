"""``flask notifications send-due``: the counts of a run, once, and a bad moment refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.accounts.enums import MembershipRole


def test_send_due_sends_once_and_reports_its_counts(runner, make, outbox):
    school = make.school("RO", name="Școala Gimnazială nr. 5")
    make.member(school, MembershipRole.ADMIN, email="director@scoala.example", locale="ro")
    make.activity(school, title="Zi deschisă",
                  starts_at=datetime(2026, 10, 5, 8, tzinfo=UTC) - timedelta(hours=1))  # fmt: skip
    result = runner.invoke(args=["notifications", "send-due", "--now", "2026-10-08T09:00:00"])
    assert result.exit_code == 0, result.output
    assert "activity_report: 1" in result.output
    assert [m["Subject"] for m in outbox] == ["Raportați activitatea „Zi deschisă”"]
    again = runner.invoke(args=["notifications", "send-due", "--now", "2026-10-08T10:00:00"])
    assert "activity_report: 0" in again.output
    assert len(outbox) == 1


def test_send_due_refuses_a_moment_that_is_not_one(runner):
    result = runner.invoke(args=["notifications", "send-due", "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "next tuesday" in result.output
