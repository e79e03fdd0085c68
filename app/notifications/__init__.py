"""Reminders and digests computed from the database, mail preferences and unsubscribing."""
