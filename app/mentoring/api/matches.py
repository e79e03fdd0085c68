"""Matching runs, proposals and the answers to them."""

from __future__ import annotations

from flask import abort, jsonify, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import policy
from app.core.api import bp
from app.core.api.shell import (
    an_id,
    bind,
    created,
    cursor,
    iso,
    json_body,
    listing,
    per_page,
    refuse_unknown,
    signed_in,
)
from app.core.api.spec import AN_ID, form_schema, operation, query, ref, schema
from app.core.api.spec import listing as list_schema
from app.core.extensions import db
from app.core.pagination import paginate
from app.core.safety import query_choice
from app.geography.models import Country
from app.mentoring import explain, runs
from app.mentoring import operations as mentoring
from app.mentoring.api.mentors import visible_requests
from app.mentoring.enums import MatchStatus, UnmatchedReason
from app.mentoring.forms import DeclineForm, FinishForm, RunForm
from app.mentoring.loaders import load_match, load_request, load_run
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile, UnmatchedRequest

NUMBER = {"type": "number"}
FIT = {"type": "integer", "minimum": 0, "maximum": 100, "description": "How well they fit"}
CRITERION = schema(
    "Criterion",
    {
        "criterion": {"type": "string", "enum": ["region", "level", "pillars", "waiting"]},
        "label": {"type": "string", "description": "The fact, in the reader's language"},
        "points": {"type": ["integer", "null"], "description": "Its part of the fit"},
    },
)
UNMATCHED = schema(
    "UnmatchedRequest",
    {
        "request_id": {"type": "integer"},
        "reason": {"type": "string", "enum": [reason.value for reason in UnmatchedReason]},
        "label": {"type": "string", "description": "The reason, in the reader's language"},
    },
)
MATCH = schema(
    "Match",
    {
        "id": {"type": "integer"},
        "request_id": {"type": "integer"},
        "mentor_id": {
            "type": ["integer", "null"],
            "description": "null once the mentor deleted their account (a former mentor)",
        },
        "run_id": {"type": ["integer", "null"]},
        "status": {"type": "string", "enum": [status.value for status in MatchStatus]},
        "fit": FIT,
        "score": {**FIT, "description": "The fit (kept for older clients)"},
        "explanation": {"type": "array", "items": CRITERION},
        "decided_at": {"type": ["string", "null"], "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
    },
)
RUN = schema(
    "MatchRun",
    {
        "id": {"type": "integer"},
        "country": {"type": "string"},
        "region": {"type": ["string", "null"]},
        "total_score": {**NUMBER, "description": "The sum of the proposals' fits"},
        "confirmed": {"type": "boolean"},
        "discarded": {"type": "boolean"},
        "proposals": {"type": "array", "items": ref("Match")},
        "unmatched": {"type": "array", "items": ref("UnmatchedRequest")},
    },
)


def render(match: Match) -> dict:
    return {
        "id": match.id,
        "request_id": match.request_id,
        "mentor_id": match.mentor_id,
        "run_id": match.run_id,
        "status": match.status.value,
        "fit": round(match.score),
        "score": round(match.score),
        "explanation": [
            {"criterion": criterion, "label": text, "points": points}
            for criterion, text, points in explain.criteria(match.explanation)
        ],
        "decided_at": iso(match.decided_at),
        "finished_at": iso(match.finished_at),
    }


def render_run(run: MatchRun) -> dict:
    proposals = db.session.scalars(
        select(Match).where(Match.run_id == run.id).order_by(Match.id)
    ).all()
    unmatched = db.session.scalars(
        select(UnmatchedRequest)
        .where(UnmatchedRequest.run_id == run.id)
        .options(selectinload(UnmatchedRequest.request))
        .order_by(UnmatchedRequest.id)
    ).all()
    return {
        "id": run.id,
        "country": run.country_code,
        "region": run.region_code,
        "total_score": round(run.total_score, 3),
        "confirmed": run.confirmed_at is not None,
        "discarded": run.discarded_at is not None,
        "proposals": [render(match) for match in proposals],
        "unmatched": [
            {
                "request_id": row.request_id,
                "reason": row.reason.value,
                "label": explain.unmatched_reason(row),
            }
            for row in unmatched
        ],
    }


def _run_body() -> dict:
    form = RunForm(formdata=None, meta={"csrf": False}, countries=[])
    overrides = {
        "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "region": {"type": ["string", "null"], "description": "Only this region"},
    }
    return form_schema(form, ["country", "region"], overrides=overrides, required=["country"])


@bp.post("/match-runs")
@operation(
    "/match-runs",
    "post",
    "Compute the optimal proposals for a country (a draft until confirmed)",
    "Matching",
    RUN,
    status=201,
    body=_run_body,
    auth=True,
)
def run():
    signed_in()
    payload = json_body()
    refuse_unknown(payload, {"country", "region"})
    codes = db.session.scalars(select(Country.code)).all()
    countries = sorted(code for code in codes if policy.can_run_matching(current_user, code))
    policy.require(bool(countries))
    form = bind(RunForm, payload, countries=countries)
    match_run = runs.run_matching(form.country.data, form.region.data or None, current_user)
    return created(
        render_run(match_run), url_for("api.get_run", run_id=match_run.id, _external=True)
    )


@bp.get("/match-runs/<int:run_id>")
@operation("/match-runs/<int:run_id>", "get", "A matching run", "Matching", RUN, auth=True)
def get_run(run_id: int):
    signed_in()
    return jsonify(render_run(load_run(run_id)))


@bp.post("/match-runs/<int:run_id>/confirm")
@operation(
    "/match-runs/<int:run_id>/confirm",
    "post",
    "Send a run's proposals to the mentors",
    "Matching",
    RUN,
    errors=(409,),
    auth=True,
)
def confirm_run(run_id: int):
    signed_in()
    match_run = load_run(run_id)
    runs.confirm_run(match_run, current_user)
    return jsonify(render_run(match_run))


@bp.post("/match-runs/<int:run_id>/discard")
@operation(
    "/match-runs/<int:run_id>/discard",
    "post",
    "Discard a draft run: its proposals are deleted and its requests matched again",
    "Matching",
    RUN,
    errors=(409,),
    auth=True,
)
def discard_run(run_id: int):
    signed_in()
    match_run = load_run(run_id)
    runs.discard_run(match_run, current_user)
    return jsonify(render_run(match_run))


@bp.get("/matches")
@operation(
    "/matches",
    "get",
    "Matches you take part in or coordinate",
    "Matching",
    list_schema(MATCH),
    params=[
        query("status", "Status", enum=[status.value for status in MatchStatus]),
        query("after", "Cursor from the previous page's `next`"),
        query("limit", "Page size", type="integer", minimum=1, maximum=100),
    ],
    auth=True,
)
def list_matches():
    signed_in()
    status = query_choice("status", {s.value for s in MatchStatus})
    mine = select(MentorProfile.id).where(MentorProfile.user_id == current_user.id)
    seen_requests = select(MentoringRequest.id).where(*visible_requests())
    published = or_(
        Match.run_id.is_(None),
        Match.run_id.in_(select(MatchRun.id).where(MatchRun.confirmed_at.is_not(None))),
        Match.request_id.in_(
            select(MentoringRequest.id).where(
                MentoringRequest.country_code.in_(current_user.country_codes or [""])
            )
        ),
    )
    query_ = select(Match)
    if not current_user.is_admin:
        query_ = query_.where(
            or_(Match.mentor_id.in_(mine), Match.request_id.in_(seen_requests)), published
        )
    if status:
        query_ = query_.where(Match.status == status)
    page = paginate(query_, [Match.id], cursor(), per_page())
    return jsonify(listing(page, render))


@bp.post("/matches")
@operation(
    "/matches",
    "post",
    "Propose a mentor for a request by hand (the school or a coordinator)",
    "Matching",
    MATCH,
    status=201,
    body=schema("NewMatch", {"request_id": AN_ID, "mentor_id": AN_ID}),
    errors=(404, 409),
    auth=True,
)
def propose():
    signed_in()
    payload = json_body()
    refuse_unknown(payload, {"request_id", "mentor_id"})
    request_id, mentor_id = an_id(payload, "request_id"), an_id(payload, "mentor_id")
    row = load_request(request_id)
    policy.require(policy.can_request_mentor(current_user, row.school))
    mentor = db.session.get(MentorProfile, mentor_id)
    if mentor is None:
        abort(404)
    match = mentoring.propose(row, mentor, current_user)
    return created(render(match), url_for("api.get_match", match_id=match.id, _external=True))


@bp.get("/matches/<int:match_id>")
@operation("/matches/<int:match_id>", "get", "One match", "Matching", MATCH, auth=True)
def get_match(match_id: int):
    signed_in()
    return jsonify(render(load_match(match_id)))


@bp.post("/matches/<int:match_id>/accept")
@operation(
    "/matches/<int:match_id>/accept",
    "post",
    "The mentor accepts (409 when their places are all taken)",
    "Matching",
    MATCH,
    errors=(409,),
    auth=True,
)
def accept(match_id: int):
    signed_in()
    match = load_match(match_id)
    policy.require(policy.can_answer_proposal(current_user, match))
    mentoring.accept(match, current_user)
    return jsonify(render(match))


def _answer_body(form_class, names: list[str]):
    def build() -> dict:
        return form_schema(form_class(formdata=None, meta={"csrf": False}), names)

    return build


@bp.post("/matches/<int:match_id>/decline")
@operation(
    "/matches/<int:match_id>/decline",
    "post",
    "The mentor declines, with a reason",
    "Matching",
    MATCH,
    body=_answer_body(DeclineForm, ["reason"]),
    errors=(409,),
    auth=True,
)
def decline(match_id: int):
    signed_in()
    match = load_match(match_id)
    policy.require(policy.can_answer_proposal(current_user, match))
    payload = json_body()
    refuse_unknown(payload, {"reason"})
    form = bind(DeclineForm, payload)
    mentoring.decline(match, form.reason.data, current_user)
    return jsonify(render(match))


@bp.post("/matches/<int:match_id>/complete")
@operation(
    "/matches/<int:match_id>/complete",
    "post",
    "Close an accepted or running mentoring: completed, or ended early",
    "Matching",
    MATCH,
    body=_answer_body(FinishForm, ["outcome", "feedback"]),
    errors=(409,),
    auth=True,
)
def complete(match_id: int):
    signed_in()
    match = load_match(match_id)
    policy.require(policy.can_follow_up_match(current_user, match))
    payload = json_body()
    refuse_unknown(payload, {"outcome", "feedback"})
    form = bind(FinishForm, {"outcome": "completed", **payload})
    mentoring.finish(match, form.completed(), form.feedback.data or "", current_user)
    return jsonify(render(match))
