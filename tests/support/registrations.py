"""Registering as a visitor would: the form, the mail's links, the calendar invitation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from app.activities.enums import RegistrationMode
from app.activities.models import Activity

LINK = re.compile(r"https?://\S+/registrations/(\S+?)(?:/confirm)?$", re.MULTILINE)


def open_day(make, school=None, *, capacity: int | None = 20, **fields) -> SimpleNamespace:
    """A public open day in a week that anyone may register for, as plain values (requests
    end the test's session, and with it the objects loaded in it)."""
    school = school or make.school("TR", name="Kadıköy Anadolu Lisesi")
    starts_at = fields.pop("starts_at", None) or soon(24 * 7).replace(second=0, microsecond=0)
    activity: Activity = make.activity(
        school,
        starts_at=starts_at,
        registration=fields.pop("registration", RegistrationMode.OPEN),
        capacity=capacity,
        **fields,
    )
    names = (
        "id",
        "title",
        "starts_at",
        "ends_at",
        "version",
        "school_id",
        "region_code",
        "timezone",
    )
    return SimpleNamespace(**{name: getattr(activity, name) for name in names})


def form(
    *, name="Ayşe Yılmaz", email="ayse@example.org", people=1, school=None, region=None, **extra
):
    """The registration form's fields: a registered school by name, or one typed with its
    region."""
    data = {"name": name, "email": email, "people": str(people)}
    if school is not None:
        data["school_name"] = school.name
        data["region"] = school.region_code
    else:
        data["school_name"] = extra.pop("school_name", "Üsküdar Ortaokulu")
        data["region"] = region or "TR-34"
    return {**data, **extra}


def token_in(message) -> str:
    """The signed token of the registration link in a mail."""
    found = LINK.search(body(message))
    assert found, body(message)
    return found.group(1)


def body(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def invitation(message) -> bytes | None:
    """The text/calendar attachment of a mail, or None."""
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True)
    return None


def soon(hours: int = 1) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


class Model:
    """Places and the waiting list as the design states them, in plain Python: the
    registrations' statuses the operations must arrive at."""

    def __init__(self, capacity: int | None):
        self.capacity = capacity
        self.rows: dict[int, dict] = {}  # id → {"people", "status", "queued"}
        self._queue = 0

    def taken(self) -> int:
        return sum(r["people"] for r in self.rows.values() if r["status"] == "confirmed")

    def waiting(self) -> list[int]:
        ids = [i for i, r in self.rows.items() if r["status"] == "waitlisted"]
        return sorted(ids, key=lambda i: self.rows[i]["queued"])

    def fits(self, people: int) -> bool:
        return self.capacity is None or self.taken() + people <= self.capacity

    def register(self, registration_id: int, people: int) -> None:
        self.rows[registration_id] = {"people": people, "status": "pending_confirmation"}

    def confirm(self, registration_id: int) -> None:
        row = self.rows[registration_id]
        if row["status"] != "pending_confirmation":
            return
        self._queue += 1
        row["queued"] = self._queue
        row["status"] = (
            "confirmed" if not self.waiting() and self.fits(row["people"]) else "waitlisted"
        )

    def settle(self) -> None:
        for waiting in self.waiting():
            if not self.fits(self.rows[waiting]["people"]):
                break
            self.rows[waiting]["status"] = "confirmed"

    def cancel(self, registration_id: int) -> None:
        if self.rows[registration_id]["status"] != "cancelled":
            self.rows[registration_id]["status"] = "cancelled"
            self.settle()

    def change(self, registration_id: int, people: int) -> bool:
        """False when the change is refused."""
        row = self.rows[registration_id]
        if row["status"] == "cancelled":
            return False
        extra = people - row["people"]
        grows = row["status"] == "confirmed" and extra > 0 and self.capacity is not None
        if grows and (self.waiting() or self.taken() + extra > self.capacity):
            return False
        row["people"] = people
        self.settle()
        return True

    def raise_capacity(self, more: int) -> None:
        self.capacity = (self.capacity or 0) + more
        self.settle()

    def statuses(self) -> dict[int, str]:
        return {i: r["status"] for i, r in self.rows.items()}


def confirmed(client, outbox, activity, **fields) -> str:
    """Register through the page and confirm by the mail's link; the registration's token."""
    outbox.clear()
    response = client.post(f"/activities/{activity.id}/register", data=form(**fields))
    assert response.status_code == 302
    token = token_in(outbox[-1])
    client.post(f"/registrations/{token}/confirm")
    return token
