"""One commit per request and per command, at the boundary.

Views, API handlers and the operations they call add and flush; they never commit. The
boundary commits once the view has answered below 400; when it raised (``abort``
included) or answered with an error status, nothing is committed and the transaction
is rolled back when the session closes, so a refused request leaves nothing
half-written and mail queued for it is never sent (:mod:`app.core.mail`). One kind of
write outlives a refusal: a record that the refusal happened (a wrong password in the
audit log), marked with :func:`keep_on_error`.

CLI commands have their own boundary, :func:`command_transaction`. Work outside requests
that commits in batches (demo data, imports from the command line, backups) says so
where it does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from app.core.database import has_writes
from app.core.extensions import db
from app.core.links import PublicLinks

_KEEP = "keep_on_error"
F = TypeVar("F", bound=Callable[..., Any])


def keep_on_error() -> None:
    """Commit this request's writes even though it answers with an error status."""
    db.session.info[_KEEP] = True


def finish(succeeded: bool) -> None:
    """Commit the request's transaction if it succeeded (or must be kept) and wrote.

    A transaction that only read needs no commit. Otherwise nothing is committed: the
    session is closed when the application context ends, which rolls the transaction
    back and drops the mail queued in it."""
    session = db.session()
    keep = session.info.pop(_KEEP, False)
    if (succeeded or keep) and has_writes(session):
        session.commit()


class Application(PublicLinks):
    """Flask with the request boundary (the view's transaction ends with its answer) and
    absolute links on the public address (:mod:`app.core.links`)."""

    def dispatch_request(self):
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            finish(succeeded=False)
            raise
        finish(succeeded=response.status_code < 400)
        return response


def command_transaction(command: F) -> F:
    """A CLI command's boundary: commit when it returns, roll back when it raises."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return run  # type: ignore[return-value]
