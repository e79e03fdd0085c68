"""gunicorn's settings file, read from the working directory: each worker loads its
templates, catalogs and a database connection before it takes a request
(app.core.warmup), so the first visitors of a new worker wait no longer than later ones."""


def post_worker_init(worker):
    from app.core.warmup import warm

    warm(worker.wsgi)
