"""People: registration, sign-in, second factor, passwords, API tokens, their own data."""
