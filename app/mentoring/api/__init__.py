"""The mentoring endpoints of the JSON API: mentors and requests, runs and matches."""
