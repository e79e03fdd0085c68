"""Shared infrastructure that every feature uses and that imports no feature: configuration,
extensions, the database base and write lock, i18n, text folding, pagination, mail, audit,
security, the API shell, error pages and the base templates."""
