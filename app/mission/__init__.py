"""The eTwinning School mission: its five pillars, verbatim per language, and their pages."""
