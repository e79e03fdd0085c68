"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``; the Celery app of
the workers and of beat: ``celery -A wsgi:celery worker`` (docs/jobs.md)."""

from app import create_app

app = create_app()
celery = app.extensions["celery"]
