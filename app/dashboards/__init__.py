"""Coordinators' dashboards: the summaries every write keeps in step, their rebuild, the
figures, their pages, exports and API."""
