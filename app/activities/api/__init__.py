"""The activity endpoints of the JSON API ("events"): the calendar and the writes, and the
reports of held activities (reporting and retracting)."""
