"""Demo registrations: open days and sessions around today take registrations, with the
places, waiting lists, check-ins and feedback the application itself would have written.

Only activities from a month before today to two months after it take registrations, so
the demo stays light at full scale. Places are given as the operations give them: first
come, first served, nobody passing the first one waiting (app.registrations.operations).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from app.core.i18n import LOCALES
from app.demo.names import naming_style, school_name
from app.demo.world import SchoolInfo
from app.demo.writer import Chunk, Row
from app.registrations.models import Feedback, Registration

#: The kinds of activity other schools come to.
OPEN_KINDS = ("open_day", "info_session", "professional_development")
CAPACITIES = (None, 12, 20, 25, 30, 40)
NEXT_STEPS = ("start_project", "register_etwinning", "apply_label", "nothing_yet")
NEXT_STEP_WEIGHTS = (35, 25, 15, 25)
#: Ratings 1 to 5: most attendees are pleased.
RATING_WEIGHTS = (2, 4, 14, 40, 40)


class Registrations:
    """Registration rows for the demo's activities, ids given in order."""

    def __init__(self, rng: random.Random, cut: datetime, region_schools: dict[str, list]):
        self.rng = rng
        self.cut = cut
        self.region_schools = region_schools
        self.next_id = 0

    def settings(self, kind: str, status: str, starts: datetime) -> Row:
        """The activity's registration columns: most open days near today take them."""
        near = self.cut - timedelta(days=30) <= starts <= self.cut + timedelta(days=60)
        if kind not in OPEN_KINDS or status == "cancelled" or not near or self.rng.random() > 0.7:
            return {"registration": "off", "capacity": None, "registration_closes_at": None}
        mode = "registered_schools" if self.rng.random() < 0.2 else "open"
        closes = starts - timedelta(days=1) if self.rng.random() < 0.3 else None
        return {
            "registration": mode,
            "capacity": self.rng.choice(CAPACITIES),
            "registration_closes_at": closes,
        }

    def add(self, chunk: Chunk, activity: Row, school: SchoolInfo) -> None:
        """Registrants of ``activity`` (its registration columns set by :meth:`settings`)."""
        if activity["registration"] == "off":
            return
        rng = self.rng
        capacity = activity["capacity"]
        held = activity["status"] == "held"
        style = naming_style(school.country, school.language)
        guests = [s for s in self.region_schools.get(school.region, []) if s != school.id]
        arrivals = []
        for _number in range(rng.randint(0, (capacity or 24) + 4)):
            queued = activity["created_at"] + timedelta(hours=rng.randint(1, 24 * 7))
            queued = min(queued, self.cut - timedelta(hours=1), activity["starts_at"])
            arrivals.append((queued, rng.choices((1, 2, 3), weights=(60, 28, 12))[0]))
        taken, waiting = 0, False
        for queued, people in sorted(arrivals, key=lambda arrival: arrival[0]):
            fits = capacity is None or (not waiting and taken + people <= capacity)
            status = "confirmed" if fits else "waitlisted"
            if held and not fits:
                continue  # an activity held long ago: its waiting list is gone
            taken += people if fits else 0
            waiting = waiting or not fits
            self.next_id += 1
            only_registered = activity["registration"] == "registered_schools"
            registered = bool(guests) and (only_registered or rng.random() < 0.7)
            row: Row = {
                "id": self.next_id,
                "activity_id": activity["id"],
                "status": status,
                "name": style.person(rng),
                "email": f"guest{self.next_id}@example.org",
                "locale": school.language if school.language in LOCALES else "en",
                "school_id": rng.choice(guests) if registered else None,
                "school_name": None if registered else school_name(rng, style, school.city)[0],
                "country_code": school.country,
                "region_code": school.region,
                "people": people,
                "queued_at": queued,
                "cancelled_at": None,
                "attended": (people if rng.random() < 0.85 else 0) if held else None,
                "walk_in": False,
                "secret": f"{rng.getrandbits(128):032x}",
                "anonymised_at": None,
                "feedback_asked_at": activity["updated_at"] if held else None,
                "created_at": queued,
                "updated_at": queued,
            }
            chunk.add(Registration, row)
            if held and row["attended"] and rng.random() < 0.5:
                chunk.add(Feedback, self.feedback(row))

    def feedback(self, registration: Row) -> Row:
        rng = self.rng
        return {
            "registration_id": registration["id"],
            "rating": rng.choices(range(1, 6), weights=RATING_WEIGHTS)[0],
            "next_step": rng.choices(NEXT_STEPS, weights=NEXT_STEP_WEIGHTS)[0],
            "comment": "",
            "created_at": registration["feedback_asked_at"] + timedelta(hours=rng.randint(1, 72)),
        }
