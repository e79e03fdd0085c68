"""Deterministic demo data for the five demo countries."""
