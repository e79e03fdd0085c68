"""White spots that say what to do: ranked, each with suggested hosts, and invitations.

A region is a white spot when it has no ambassador school, no recent activity or
mentoring requests waiting too long (``RegionFigures.white_spots``). Spots are ranked by
the schools they have: the more schools an information session can reach, the sooner.

Suggested hosts are mentors of eTwinning Schools and ambassador schools who may mentor
today and have a free place (app.mentoring.pool), nearest first:

1. in the region itself, 2. in a region of the same parent region, 3. in a neighbouring
region (``neighbours``: region code → codes of the regions it borders), 4. anywhere in
the country when they offer online sessions.

Within a tier they are ordered by the matching engine's fit for a request of the region
that names no level or pillar (so the region part decides: own, served or online), less
the cost of their next place (app.mentoring.matching.fit.place_cost), so that mentors
with more free places come first. A fixed number of queries, whatever the number of
spots, mentors or schools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import Refused
from app.core.extensions import db
from app.core.notify import notify
from app.dashboards.models import HostInvitation
from app.geography.models import Region
from app.mentoring import pool
from app.mentoring.matching.fit import Request, pair_facts, place_cost
from app.mentoring.models import MentorProfile
from app.schools.models import School
from app.schools.operations import ambassador_now

TIERS = ("region", "parent", "neighbour", "online")
HOSTS_PER_SPOT = 3
ONLINE_POOL = 40  # mentors with the most free places read for the online tier


@dataclass
class Host:
    mentor_id: int
    school_id: int
    school: str
    region: str
    ambassador: bool
    free: int
    score: int
    tier: str
    invited_at: datetime | None = None


def ranked(regions: Iterable, today: date, name_key: Callable) -> list[tuple[object, list[str]]]:
    """The white spots among ``regions`` with their reasons, most schools first."""
    spots = [(region, region.white_spots(today)) for region in regions]
    return sorted(
        ((region, reasons) for region, reasons in spots if reasons),
        key=lambda spot: (-spot[0].schools, name_key(spot[0])),
    )


def _candidates(country: str, today: date, regions: set[str]) -> dict[int, tuple]:
    """mentor id → (spec, school id) of the free mentors of ``regions`` (see
    app.mentoring.pool) and of the ONLINE_POOL with the most free places in the country."""
    waiting = pool.pending()
    held = MentorProfile.load + func.coalesce(waiting.c.pending, 0)
    free = pool.eligible(
        select(MentorProfile, held)
        .outerjoin(waiting, waiting.c.mentor_id == MentorProfile.id)
        .where(MentorProfile.country_code == country, held < MentorProfile.capacity),
        today,
    )
    most_free = free.order_by((MentorProfile.capacity - held).desc(), MentorProfile.id)
    found = {}
    for query in (
        free.where(MentorProfile.region_code.in_(sorted(regions))),
        most_free.limit(ONLINE_POOL),
    ):
        for profile, places in db.session.execute(query):
            found[profile.id] = (pool.mentor_spec(profile, places), profile.school_id)
    return found


def _schools(ids: set[int], today: date) -> dict[int, tuple[str, bool]]:
    """school id → (name, ambassador school today)."""
    rows = db.session.execute(
        select(School.id, School.name, ambassador_now(today)).where(School.id.in_(sorted(ids)))
    )
    return {ident: (name, bool(ambassador)) for ident, name, ambassador in rows}


def _tier(spot: str, mentor, parents: Mapping[str, str | None], near: set[str]) -> str | None:
    if mentor.region == spot:
        return "region"
    if parents.get(spot) is not None and parents.get(mentor.region) == parents[spot]:
        return "parent"
    if mentor.region in near:
        return "neighbour"
    return "online" if "online" in mentor.modes else None


def suggest(
    country: str,
    spots: list[str],
    today: date,
    neighbours: Mapping[str, set[str]] | None = None,
    per_spot: int = HOSTS_PER_SPOT,
) -> dict[str, list[Host]]:
    """Up to ``per_spot`` hosts for each region of ``spots``, nearest and best first,
    with the moment each was invited there, if they were."""
    if not spots:
        return {}
    neighbours = neighbours or {}
    parents = dict(
        db.session.execute(
            select(Region.code, Region.parent_code).where(
                Region.country_code == country, Region.is_leaf.is_(True)
            )
        ).all()
    )
    nearby = set(spots)
    for spot in spots:
        nearby |= set(neighbours.get(spot, ()))
        if parents.get(spot) is not None:
            nearby |= {code for code, parent in parents.items() if parent == parents[spot]}
    found = _candidates(country, today, nearby)
    invited = {
        (region, mentor): moment
        for region, mentor, moment in db.session.execute(
            select(HostInvitation.region_code, HostInvitation.mentor_id, HostInvitation.created_at)
            .where(HostInvitation.country_code == country)
            .where(HostInvitation.region_code.in_(spots))
        )
    }
    schools = _schools({school for _mentor, school in found.values()}, today) if found else {}
    weights = pool.weights()
    answer = {}
    for spot in spots:
        request = Request(id=0, country=country, region=spot)
        near = set(neighbours.get(spot, ()))
        hosts = []
        for mentor, school_id in found.values():
            name, ambassador = schools[school_id]
            tier = _tier(spot, mentor, parents, near)
            if tier is None:
                continue
            fit = pair_facts(mentor, request, weights)["fit"]
            cost = place_cost(mentor.load + 1, mentor.capacity, weights["balance"])
            hosts.append(
                Host(
                    mentor.id, school_id, name, mentor.region, ambassador, mentor.free,
                    fit - cost, tier, invited.get((spot, mentor.id)),
                )
            )  # fmt: skip
        hosts.sort(key=lambda h: (TIERS.index(h.tier), -h.score, h.mentor_id))
        answer[spot] = hosts[:per_spot]
    return answer


def invite(country: str, region: Region, mentor_id: int, actor, today: date) -> HostInvitation:
    """Ask mentor ``mentor_id`` to run an information session in ``region``: stored once,
    told in the app and by mail in their own language."""
    found = pool.mentors(country, today, only=mentor_id)
    if not found or found[0][1] >= found[0][0].capacity:
        raise Refused(_l("This mentor has no free place any more; choose another host."))
    mentor = found[0][0]
    invitation = HostInvitation(
        country_code=country, region_code=region.code, mentor_id=mentor.id, invited_by_id=actor.id
    )
    try:
        with db.session.begin_nested():
            db.session.add(invitation)
            db.session.flush()
    except IntegrityError:
        raise Refused(_l("This host has already been invited to this region.")) from None
    notify(
        [mentor.user],
        "dashboards.host_invitation",
        {"region": region.code, "invitation": invitation.id},
        "host_invitation",
        region=region,
        school=mentor.school,
        coordinator=actor,
    )
    return invitation
