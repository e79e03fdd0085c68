"""Activities schools run for other schools: recording, reporting, the calendars, exports
and iCalendar feeds."""
