"""Mentoring: mentor profiles, requests from new schools, the country-wide matching and
the life of a match."""
