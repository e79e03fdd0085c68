"""Schools: registration and verification, members, ambassador status, the directory,
search and CSV import."""
