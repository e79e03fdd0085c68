"""The data model, one module per aggregate. Importing this package registers every table."""

from app.models.activity import Activity, ActivityLanguage, ActivityPillar, ActivityReach
from app.models.audit import AuditEntry, Notification
from app.models.geo import Country, Region
from app.models.mentoring import Match, MatchRun, MentoringRequest, MentorProfile
from app.models.pillar import PILLAR_CODES, Pillar, PillarText
from app.models.school import AmbassadorPeriod, School, SchoolLanguage, SchoolLevel
from app.models.summary import HeldSummary, PillarSummary, ReachSummary
from app.models.user import ApiToken, CoordinatorCountry, Membership, PasswordResetToken, User

__all__ = [
    "PILLAR_CODES",
    "Activity",
    "ActivityLanguage",
    "ActivityPillar",
    "ActivityReach",
    "AmbassadorPeriod",
    "ApiToken",
    "AuditEntry",
    "CoordinatorCountry",
    "Country",
    "HeldSummary",
    "Match",
    "MatchRun",
    "Membership",
    "MentorProfile",
    "MentoringRequest",
    "Notification",
    "PasswordResetToken",
    "Pillar",
    "PillarSummary",
    "PillarText",
    "ReachSummary",
    "Region",
    "School",
    "SchoolLanguage",
    "SchoolLevel",
    "User",
]
