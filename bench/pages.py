"""Server time of the activity list and the dashboard at full scale, and their ratio to
the bare SQL they run (the same statements executed alone)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from sqlalchemy import func, select, text

from app import create_app
from app.config import Config
from app.extensions import db
from app.models import Activity, Country, Region, School, User
from app.school_years import school_year_of
from bench.timing import Measure, recorded_sql, repeat, summarise

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def _app(url: str):
    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
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


def _page(app, client, label, url, database, budget, note="") -> Measure:
    with client.get(url) as response:
        assert response.status_code == 200, (url, response.status_code)
    durations = repeat(lambda: client.get(url).close(), RUNS)
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


def run(url: str, database: str) -> list[Measure]:
    app = _app(url)
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
    measures = [
        _page(app, client, "activity list: first page", f"/calendar/{country}", database, 50),
        _page(
            app,
            client,
            "activity list: type + pillar + dates",
            f"/calendar/{country}?type=open_day&pillar=collaboration"
            f"&date_from={year}-09-01&date_to={year + 1}-08-31",
            database,
            50,
        ),
        _page(
            app,
            client,
            "activity list: one region, language",
            f"/calendar/{country}?region={region}&language=en&date_from={year}-09-01",
            database,
            50,
        ),
    ]
    deep = _deep_cursor(client, f"/calendar/{country}?date_from={year}-09-01", 200)
    measures.append(_page(app, client, "activity list: page 200 (keyset)", deep, database, 50))
    with client.session_transaction() as cookie:
        cookie["_user_id"] = session_id
        cookie["_fresh"] = True
    measures.append(
        _page(
            app,
            client,
            f"dashboard of {country} ({schools:,} schools)",
            f"/dashboards/{country}?year={year}",
            database,
            150,
            f"zone {zone}",
        )
    )
    with app.app_context():
        db.engine.dispose()
    return measures
