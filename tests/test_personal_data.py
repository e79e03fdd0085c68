"""Every column is classified: personal data (marked in the model, exported to its owner,
erased or anonymised on deletion) or not. A new column fails this test until someone
decides which it is."""

from app.extensions import db

PERSONAL = {
    "audit_entry": {"ip"},
    "match": {"decline_reason", "feedback_school", "feedback_mentor"},
    "mentor_profile": {"bio"},
    "mentoring_request": {"message"},
    "school": {"contact_name", "contact_email"},
    "user": {"email", "name", "password_hash", "totp_secret", "last_login_at", "email_verified_at"},
}

#: Reviewed and not personal: about schools and activities, codes, times, counts and keys.
NOT_PERSONAL = {
    "activity": {
        "id",
        "school_id",
        "country_code",
        "region_code",
        "type",
        "title",
        "description",
        "starts_at",
        "ends_at",
        "timezone",
        "mode",
        "location",
        "online_url",
        "audience",
        "visibility",
        "status",
        "participants_teachers",
        "participants_leaders",
        "participants_students",
        "participants_parents",
        "match_id",
        "created_by_id",
        "updated_by_id",
        "version",
        "created_at",
        "updated_at",
    },
    "activity_language": {"activity_id", "language"},
    "activity_pillar": {"activity_id", "pillar_code"},
    "activity_reach": {"id", "activity_id", "school_id", "school_name"},
    "ambassador_period": {
        "id",
        "school_id",
        "status",
        "starts_on",
        "ends_on",
        "motivation",
        "applied_by_id",
        "decided_by_id",
        "decided_at",
        "decision_reason",
        "created_at",
        "updated_at",
    },
    "api_token": {
        "id",
        "user_id",
        "name",
        "token_hash",
        "created_at",
        "last_used_at",
        "revoked_at",
    },
    "audit_entry": {
        "id",
        "at",
        "actor_id",
        "action",
        "outcome",
        "object_type",
        "object_id",
        "country_code",
        "details",
    },
    "coordinator_country": {"user_id", "country_code"},
    "country": {"code", "timezone"},
    "match": {
        "id",
        "request_id",
        "mentor_id",
        "run_id",
        "status",
        "score",
        "explanation",
        "proposed_by_id",
        "decided_at",
        "finished_at",
        "created_at",
        "updated_at",
    },
    "match_run": {
        "id",
        "country_code",
        "region_code",
        "run_by_id",
        "created_at",
        "total_score",
        "proposals",
        "confirmed_at",
    },
    "membership": {"user_id", "school_id", "role", "status", "created_at", "updated_at"},
    "mentor_profile": {
        "id",
        "user_id",
        "school_id",
        "country_code",
        "region_code",
        "capacity",
        "load",
        "languages",
        "levels",
        "pillars",
        "regions",
        "modes",
        "available_until",
        "paused",
        "created_at",
        "updated_at",
    },
    "mentoring_request": {
        "id",
        "school_id",
        "country_code",
        "region_code",
        "requested_by_id",
        "pillars",
        "languages",
        "levels",
        "mode",
        "status",
        "created_at",
        "updated_at",
    },
    "notification": {"id", "user_id", "created_at", "kind", "payload", "read_at"},
    "password_reset_token": {"id", "user_id", "token_hash", "created_at", "expires_at", "used_at"},
    "pillar": {"code", "position"},
    "pillar_text": {"pillar_code", "locale", "title", "paragraph", "short_label"},
    "region": {"code", "country_code", "parent_code", "name", "type", "is_leaf"},
    "school": {
        "id",
        "external_id",
        "name",
        "city",
        "search_key",
        "country_code",
        "region_code",
        "timezone",
        "website",
        "pupil_count",
        "label_year",
        "status",
        "created_by_id",
        "verified_at",
        "created_at",
        "updated_at",
    },
    "school_language": {"school_id", "language"},
    "school_level": {"school_id", "level"},
    "user": {"id", "locale", "is_admin", "active", "session_version", "created_at", "updated_at"},
}


def _columns(marked: bool) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for table in db.metadata.tables.values():
        names = {c.name for c in table.columns if bool(c.info.get("personal")) is marked}
        if names:
            found[table.name] = names
    return found


def test_personal_columns_are_exactly_the_reviewed_ones():
    assert _columns(marked=True) == PERSONAL


def test_every_other_column_has_been_reviewed():
    assert _columns(marked=False) == NOT_PERSONAL
