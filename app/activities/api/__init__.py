"""Activities ("events" in the API): the calendar, recording, editing, reporting, cancelling.

Importing the package registers its handlers on the API blueprint."""

from app.activities.api import calendar, writes  # noqa: F401
