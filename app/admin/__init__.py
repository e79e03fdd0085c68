"""Administration: users, their roles and memberships, and the audit log."""
