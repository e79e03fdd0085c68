"""Server time of the activity list and the dashboard at full scale, and their ratio to
the bare SQL they run (the same statements executed alone), with the number of queries.

The school search is measured, against the list budget, for a word that no school of the
country has (every search key of the country is tested), a common one, two words typed
in the other order than the name has them, and a common word with a rare one (every key
is tested for both words).
The list is measured with every filter of the calendar alone and combined (type,
pillar, region, language, dates), a rare language (the walk along the index is long),
and pages deep in the list, each rendered afresh (cache miss) and as kept under the
country's listing version; the dashboard for a school year (with its map of the
activities held, and of the white spots), for custom dates (whole months plus days at
both ends) and for one region; the PDF report of the school year.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from urllib.parse import quote_plus

from sqlalchemy import func, select, text

from app import create_app
from app.accounts.models import User
from app.activities.models import Activity
from app.core.config import Config
from app.core.extensions import db
from app.core.school_years import school_year_of
from app.geography.models import Country, Region
from app.schools.models import School
from bench.timing import Measure, recorded_sql, repeat, summarise

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def _app(url: str, cache: str = "SimpleCache"):
    # One client asks for the same pages again and again: the limits meant for visitors
    # (the calendar's, for one) would answer 429 before the runs are done.
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "TESTING": True,
        "RATELIMIT_ENABLED": False,
        "CACHE_TYPE": cache,
    }
    config = type("BenchConfig", (Config,), settings)
    return create_app(config)


def _largest_country() -> str:
    """The country with the most schools; among equals the one with the most regions."""
    regions = (
        select(Region.country_code, func.count().label("regions"))
        .where(Region.is_leaf.is_(True))
        .group_by(Region.country_code)
        .subquery()
    )
    query = (
        select(School.country_code)
        .join(regions, regions.c.country_code == School.country_code)
        .group_by(School.country_code, regions.c.regions)
        .order_by(func.count().desc(), regions.c.regions.desc())
    )
    return db.session.execute(query).scalars().first()


def _busiest_region(country: str) -> str:
    query = (
        select(Activity.region_code)
        .where(Activity.country_code == country)
        .group_by(Activity.region_code)
        .order_by(func.count().desc())
    )
    return db.session.execute(query).scalars().first()


def _sql_time(app, statements) -> float:
    """Milliseconds to run the recorded statements alone, best of three."""
    best = float("inf")
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            for _ in range(3):
                cursor = connection.cursor()
                start = time.perf_counter()
                for statement, parameters in statements:
                    if statement.split(None, 1)[0].upper() in {"BEGIN", "COMMIT", "ROLLBACK"}:
                        continue  # transaction control, not the page's SQL
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
                best = min(best, (time.perf_counter() - start) * 1000)
                cursor.close()
        finally:
            connection.close()
    return best


def _page(app, client, label, url, database, budget, note="", runs=RUNS) -> Measure:
    with client.get(url) as response:
        assert response.status_code == 200, (url, response.status_code)
    durations = repeat(lambda: client.get(url).close(), runs)
    with app.app_context():
        engine = db.engine
    with recorded_sql(engine) as statements:
        client.get(url).close()
    sql_ms = _sql_time(app, statements)
    median = sorted(durations)[len(durations) // 2]
    detail = f"{len(statements)} queries, page/SQL {median / sql_ms:.1f}× ({sql_ms:.1f} ms SQL)"
    return summarise(label, database, durations, budget, f"{detail}{'; ' + note if note else ''}")


def _deep_cursor(client, url: str, pages: int) -> str:
    """Follow the next-page links ``pages`` times and return the last URL."""
    import re

    current = url
    for _ in range(pages):
        with client.get(current) as response:
            found = re.search(r'rel="next" href="([^"]+)"', response.get_data(as_text=True))
        if not found:
            break
        current = found.group(1).replace("&amp;", "&")
    return current


def _list_cases(region: str, year: int) -> list[tuple[str, str]]:
    """The filter combinations of the calendar: (label, query string)."""
    school_year = f"date_from={year}-09-01&date_to={year + 1}-08-31"
    return [
        ("first page", ""),
        ("type", "?type=open_day"),
        ("pillar", "?pillar=collaboration"),
        ("type + pillar + school year", f"?type=open_day&pillar=collaboration&{school_year}"),
        ("school year", f"?{school_year}"),
        ("one week", f"?date_from={year}-11-03&date_to={year}-11-09"),
        ("language", f"?language=en&date_from={year}-09-01"),
        ("rare language (de)", f"?language=de&date_from={year}-09-01"),
        ("one region", f"?region={region}&date_from={year}-09-01"),
        ("one region + language", f"?region={region}&language=en&date_from={year}-09-01"),
        (
            "region + type + pillar + language",
            f"?region={region}&type=info_session&pillar=shared_leadership&language=en&"
            f"{school_year}",
        ),
    ]


def _deep_cases(year: int) -> list[tuple[str, str, int]]:
    """Lists followed page by page: (label, query string, pages)."""
    return [
        ("page 200 (keyset)", f"?date_from={year}-09-01", 200),
        (
            "page 100, type + pillar",
            f"?type=open_day&pillar=collaboration&date_from={year}-09-01",
            100,
        ),
    ]


def _lists(app, client, kind: str, country: str, region: str, year: int, database: str):
    measures = []
    for label, query in _list_cases(region, year):
        url = f"/calendar/{country}{query}"
        measures.append(_page(app, client, f"activity list: {label} ({kind})", url, database, 50))
    for label, query, pages in _deep_cases(year):
        deep = _deep_cursor(client, f"/calendar/{country}{query}", pages)
        measures.append(_page(app, client, f"activity list: {label} ({kind})", deep, database, 50))
    for label, words in (
        ("a word no school has", "zzqx"),
        ("a common word", "okul"),
        ("two words in any order", "lisesi anadolu"),
        ("a common word and a rare one", "lisesi zzqx"),
    ):
        url = f"/schools?country={country}&q={quote_plus(words)}"
        name = f"school search: {label} ({kind})"
        measures.append(_page(app, client, name, url, database, 50, "list budget"))
    return measures


def run(url: str, database: str) -> list[Measure]:
    database_url = url  # ``url`` names each page below
    app = _app(database_url)
    client = app.test_client()
    with app.app_context():
        country = _largest_country()
        region = _busiest_region(country)
        zone = db.session.get(Country, country).timezone
        coordinator = db.session.scalar(
            select(User).where(User.email == f"coordinator.{country.lower()}@example.org")
        )
        session_id = coordinator.get_id()
        schools = db.session.scalar(
            select(text("count(*)")).select_from(School).where(School.country_code == country)
        )
    year = school_year_of(datetime.now(UTC).date()) - 1
    measures = []
    # Lists and searches: rendered afresh (no cache), then kept under the country's listing
    # version, as a visitor finds them until the next write to what they show.
    uncached = _app(database_url, cache="NullCache")
    for each_app, kind in ((uncached, "cache miss"), (app, "kept")):
        measures += _lists(each_app, each_app.test_client(), kind, country, region, year, database)
    # Dashboards: each figure computed (no cache: every request is a miss), then as a
    # coordinator opening it again gets it (the figures cached under the data version).
    for each_app, each_client, kind, budget in (
        (uncached, uncached.test_client(), "cache miss", 150),
        (app, client, "cached", 50),
    ):
        with each_client.session_transaction() as cookie:
            cookie["_user_id"] = session_id
            cookie["_fresh"] = True
        for label, query in (
            (f"dashboard of {country} ({schools:,} schools), map of activities", f"?year={year}"),
            (f"dashboard of {country}, map of white spots", f"?year={year}&map=white_spots"),
            (f"dashboard of {country}, custom dates", f"?from={year}-10-15&to={year + 1}-03-20"),
            (f"dashboard of {country}, one region", f"?year={year}&region={region}"),
        ):
            url = f"/dashboards/{country}{query}"
            note = f"zone {zone}"
            measures.append(
                _page(each_app, each_client, f"{label} ({kind})", url, database, budget, note)
            )
    # The report to send: its PDF, made by WeasyPrint (fonts read once per process).
    url = f"/dashboards/{country}/report.pdf?year={year}"
    measures.append(_page(app, client, f"PDF report of {country}", url, database, 3000, runs=5))
    with app.app_context():
        db.engine.dispose()
    return measures
