"""The mix of ``make load``: visitors, coordinators and school members, as locust users.

Visitors browse the public calendars with filters, search the school directory,
subscribe to iCalendar feeds, read the JSON API and ask for a password reset (a mail
through the outbox); coordinators open their
regional dashboards; school members record activities through the form (with its
CSRF token). ``bench/load.py`` starts gunicorn and runs this file headless; the
member accounts and their schools come from ``LOAD_MEMBERS`` (a JSON file it writes).
"""

from __future__ import annotations

import functools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

COUNTRIES = ("TR", "RO", "NO", "NL", "BE")
TYPES = ("open_day", "info_session", "mentoring_session", "professional_development", "other")
PILLARS = (
    "shared_leadership",
    "collaboration",
    "students_agents_of_change",
    "models_for_other_schools",
    "inclusive_innovative",
)
SEARCHES = ("lise", "okul", "școala", "skole", "basisschool", "atatürk", "colegiul", "de", "go")
PASSWORD = "demo-password"  # noqa: S105 - the demo accounts' documented password
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]*)"')
#: Whether the JSON API answers (it is probed once at the start of the run).
API = {"served": True}


@functools.cache
def members() -> list[tuple[str, int]]:
    """The demo members ``bench/load.py`` chose (e-mail, school), from ``LOAD_MEMBERS``."""
    with open(os.environ["LOAD_MEMBERS"], encoding="utf-8") as handle:
        return [tuple(member) for member in json.load(handle)]


def csrf_token(html: str) -> str:
    field = _CSRF.search(html)
    value = _VALUE.search(field.group(0)) if field else None
    if value is None:
        raise ValueError("no CSRF token on the page")
    return value.group(1)


@events.request.add_listener
def record_failure(request_type, name, response_time, exception, start_time=None, **_kwargs):
    """Each failure with its start and duration (``LOAD_FAILURES``): a two-instance run
    tells the requests a killed instance held from any other (bench/cluster.py)."""
    target = os.environ.get("LOAD_FAILURES")
    if exception is None or not target or start_time is None:
        return
    failure = {
        "name": f"{request_type} {name}",
        "start": start_time,
        "seconds": response_time / 1000,
    }
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(failure) + "\n")


@events.test_start.add_listener
def probe_api(environment, **_kwargs) -> None:
    import requests

    try:
        answer = requests.get(f"{environment.host}/api/v1/pillars", timeout=10)
        API["served"] = answer.status_code != 404
    except requests.RequestException:
        API["served"] = False
    if not API["served"]:
        print("note: /api/v1 is not served by this build; the API tasks are skipped")


class SignedIn(HttpUser):
    abstract = True

    def sign_in(self, email: str) -> None:
        page = self.client.get("/login", name="/login")
        self.client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(page.text)},
            name="/login [POST]",
        )


class Visitor(HttpUser):
    """Someone who is not signed in: calendars, directory, feeds and the API."""

    weight = 7
    wait_time = between(1, 3)

    @task(5)
    def calendar(self) -> None:
        country = random.choice(COUNTRIES)
        params = {"type": random.choice(("", *TYPES)), "pillar": random.choice(("", *PILLARS))}
        self.client.get(f"/calendar/{country}", params=params, name="/calendar/[cc]?filters")

    @task(1)
    def calendar_month(self) -> None:
        self.client.get(f"/calendar/{random.choice(COUNTRIES)}/month", name="/calendar/[cc]/month")

    @task(3)
    def directory_search(self) -> None:
        params = {"q": random.choice(SEARCHES), "country": random.choice(COUNTRIES)}
        self.client.get("/schools", params=params, name="/schools?q=")

    @task(1)
    def directory_country(self) -> None:
        self.client.get(f"/directory/{random.choice(COUNTRIES)}", name="/directory/[cc]")

    @task(2)
    def ical_feed(self) -> None:
        params = {"pillar": random.choice(PILLARS)} if random.random() < 0.5 else {}
        self.client.get(
            f"/calendar/{random.choice(COUNTRIES)}.ics", params=params, name="/calendar/[cc].ics"
        )

    @task(1)
    def password_reset(self) -> None:
        """Someone who forgot their password (a demo member): the mail goes through the
        outbox, delivered by the worker, not in the request."""
        page = self.client.get("/reset", name="/reset")
        email, _school = random.choice(members())
        data = {"email": email, "csrf_token": csrf_token(page.text)}
        self.client.post("/reset", data=data, name="/reset [POST]")

    @task(2)
    def api_reads(self) -> None:
        if not API["served"]:
            return
        self.client.get("/api/v1/pillars", headers={"Accept-Language": "nl"})
        self.client.get("/api/v1/events", params={"country": "TR"}, name="/api/v1/events?country=")


class Coordinator(SignedIn):
    """A national coordinator looking at the dashboard of their country."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.country = random.choice(COUNTRIES)
        self.sign_in(f"coordinator.{self.country.lower()}@example.org")

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/dashboards/{self.country}", name="/dashboards/[cc]")

    @task(1)
    def dashboard_index(self) -> None:
        self.client.get("/dashboards/", name="/dashboards/")


class Member(SignedIn):
    """A school member who records the activities of their school."""

    weight = 2
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.email, self.school_id = random.choice(members())
        self.sign_in(self.email)

    @task(1)
    def own_activities(self) -> None:
        self.client.get(f"/schools/{self.school_id}/activities", name="/schools/[id]/activities")

    @task(2)
    def record_activity(self) -> None:
        url = f"/schools/{self.school_id}/activities/new"
        page = self.client.get(url, name="/schools/[id]/activities/new")
        form = {
            "csrf_token": csrf_token(page.text),
            "type": "info_session",
            "title": f"Information session {random.randint(1, 10**6)}",
            "description": "For schools that are new to eTwinning.",
            "starts_at": "2027-05-12T14:00",
            "ends_at": "2027-05-12T16:00",
            "mode": "online",
            "online_url": "https://meet.example/info",
            "visibility": "public",
            "pillars": ["models_for_other_schools"],
            "languages": ["en"],
        }
        with self.client.post(
            url,
            data=form,
            name="/schools/[id]/activities/new [POST]",
            catch_response=True,
            allow_redirects=False,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"expected a redirect after saving, got {answer.status_code}")
