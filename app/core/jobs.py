"""Background jobs: Celery bound to the Flask app, tasks enqueued only after the commit.

Tasks carry ids only and are idempotent (whatever they do is claimed in the database
first), run with ``acks_late`` and are rejected back to the queue when their worker dies,
so a killed worker loses nothing. :func:`enqueue` records a task on the session; when
that transaction commits the task is sent to the broker (``CELERY_BROKER_URL``), and
when it rolls back it is forgotten, so a task never runs against data that is not there.
Without a broker the same task runs in this process right after the commit: the embedded
default (``make run`` without Redis, the test suite) keeps working.

Periodic work is a declarative list (:mod:`app.schedule`) that ``celery beat`` reads;
each entry names a function that takes ``now`` and is run by :func:`run_periodic` in a
transaction of its own.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from celery import Celery, Task
from celery.schedules import crontab
from celery.signals import worker_process_init, worker_process_shutdown
from flask import Flask, current_app, has_app_context
from kombu import Exchange, Queue
from kombu.exceptions import ChannelError
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import smtp
from app.core.database import utcnow
from app.core.extensions import db

log = logging.getLogger(__name__)

_QUEUED = "jobs_queued"
_COMMITTED = "jobs_committed"

#: The queues and the task-name prefixes routed to them: a worker may serve only some.
QUEUES = ("mail", "exports", "housekeeping")


class FlaskTask(Task):
    """A task that runs inside an application context of the app that configured Celery."""

    def __call__(self, *args, **kwargs):
        if has_app_context():
            # In-process, right after a commit, in the application that committed (a
            # process may hold several, as tests do): the caller's session is free again.
            return self.run(*args, **kwargs)
        flask_app: Flask = self.app.flask_app  # type: ignore[attr-defined]
        with flask_app.app_context():
            return self.run(*args, **kwargs)


celery = Celery("etwinning", task_cls=FlaskTask)
celery.flask_app = None  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Periodic:
    """A function ``module:name(now)`` run every ``every`` (a timedelta or a crontab)."""

    function: str
    every: timedelta | crontab
    queue: str = "housekeeping"

    @property
    def name(self) -> str:
        return self.function.replace(":", ".")


def celery_config(config: dict, schedule: Iterable[Periodic] = ()) -> dict:
    broker = config.get("CELERY_BROKER_URL")
    return {
        "broker_url": broker or "memory://",
        "result_backend": None,
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_default_queue": "housekeeping",
        "task_queues": [Queue(name, Exchange(name), routing_key=name) for name in QUEUES],
        "task_routes": {f"{name}.*": {"queue": name} for name in QUEUES},
        "task_serializer": "json",
        "accept_content": ["json"],
        "worker_prefetch_multiplier": config.get("CELERY_PREFETCH", 4),
        "worker_max_memory_per_child": config.get("CELERY_MAX_MEMORY_KB", 200_000),
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        "broker_heartbeat": 10,
        "broker_transport_options": {
            "visibility_timeout": config.get("CELERY_VISIBILITY_TIMEOUT", 3600),
            "socket_timeout": 10,
            "socket_connect_timeout": 5,
            "socket_keepalive": True,
            "health_check_interval": 25,
            "retry_on_timeout": True,
        },
        "task_publish_retry_policy": {"max_retries": 2, "interval_start": 0.2},
        "worker_hijack_root_logger": False,
        "beat_schedule": {
            entry.name: {
                "task": "housekeeping.periodic",
                "schedule": entry.every,
                "args": (entry.function,),
                "options": {"queue": entry.queue, "expires": _seconds(entry.every)},
            }
            for entry in schedule
        },
    }


def _seconds(every: timedelta | crontab) -> float | None:
    """A periodic run not started within its own period is dropped: the next one does it."""
    return every.total_seconds() if isinstance(every, timedelta) else None


def init_jobs(app: Flask, schedule: Iterable[Periodic] = ()) -> Celery:
    """Configure the Celery app from the Flask config (Flask's documented pattern)."""
    celery.conf.update(celery_config(app.config, schedule))
    celery.flask_app = app  # type: ignore[attr-defined]
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def has_broker(app: Flask) -> bool:
    return bool(app.config.get("CELERY_BROKER_URL"))


@dataclass(frozen=True)
class QueueState:
    """What an admin sees of the job engine: tasks waiting per queue and the workers
    that answered a ping (None when the broker itself does not answer)."""

    waiting: dict[str, int] | None
    workers: list[str]


def queue_state(timeout: float = 1.0) -> QueueState | None:
    """The broker's queues and live workers; None without a broker (tasks run in-process)."""
    if not has_broker(current_app):
        return None
    try:
        with celery.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
            channel = connection.default_channel
            waiting = {name: _waiting(channel, name) for name in QUEUES}
        answers = celery.control.ping(timeout=timeout) or []
    except Exception:  # the broker is away: the page says so
        log.warning("the broker does not answer", exc_info=True)
        return QueueState(waiting=None, workers=[])
    workers = sorted(name for answer in answers for name in answer)
    return QueueState(waiting=waiting, workers=workers)


def _waiting(channel, name: str) -> int:
    try:
        return channel.queue_declare(queue=name, passive=True).message_count
    except ChannelError:  # not declared yet: no worker has served it, nothing was sent
        return 0


def enqueue(task: Task | str, *args: int | str) -> None:
    """Run ``task(*args)`` (a task or its name) once the session's transaction has
    committed; never if it rolls back. The arguments are ids (ints or strings)."""
    session = db.session()
    if not session.in_transaction():
        session.begin()
    name = task if isinstance(task, str) else task.name
    session.info.setdefault(_QUEUED, []).append((name, args))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    queued = session.info.pop(_QUEUED, None)
    if queued:
        session.info.setdefault(_COMMITTED, []).extend(queued)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_QUEUED, None)


@event.listens_for(Session, "after_transaction_end")
def _dispatch(session: Session, transaction) -> None:
    """After the outermost transaction ended: the session is free to be used again, so
    in-process tasks may read what was just committed."""
    if transaction.parent is not None:
        return
    committed = session.info.pop(_COMMITTED, None)
    if not committed:
        return
    # The committing application when there is one, else the one Celery was bound to.
    current = current_app._get_current_object() if has_app_context() else None
    flask_app = current or celery.flask_app  # type: ignore[attr-defined]
    for name, args in committed:
        send(name, args, in_process=flask_app is None or not has_broker(flask_app))


def send(name: str, args: tuple, *, in_process: bool) -> None:
    task = celery.tasks[name]
    if in_process:
        try:
            task.apply(args=args, throw=True)
        except Exception:
            db.session.rollback()
            log.exception("in-process task %s%r failed", name, args)
        return
    try:
        task.apply_async(args=args)
    except Exception:
        # The broker is away: the work is in the database, and the housekeeping sweep
        # sends it once the broker is back.
        log.exception("could not enqueue %s%r", name, args)


def run_now(task: Task, *args: int | str) -> None:
    """Send ``task`` at once (to the broker, or in-process without one); for sweeps and
    commands, outside any transaction."""
    flask_app = celery.flask_app  # type: ignore[attr-defined]
    send(task.name, args, in_process=flask_app is None or not has_broker(flask_app))


@celery.task(name="housekeeping.periodic")
def run_periodic(function: str) -> None:
    """Run one entry of the schedule: ``function(now)`` in a transaction of its own."""
    module, _, name = function.partition(":")
    target = getattr(importlib.import_module(module), name)
    try:
        target(utcnow())
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


@worker_process_init.connect
def _keep_smtp_connections(**_) -> None:
    smtp.keep_connections(True)


@worker_process_shutdown.connect
def _close_smtp_connections(**_) -> None:
    smtp.keep_connections(False)
