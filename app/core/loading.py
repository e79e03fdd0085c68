"""Loading what a request names: the row, or 404 when it does not exist or the signed-in
user may not see it (what they may not see does not exist for them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from flask_login import current_user

from app.core.extensions import db

Row = TypeVar("Row")


def visible_or_404(model: type[Row], ident: object, may_see: Callable[[object, Row], bool]) -> Row:
    row = db.session.get(model, ident)
    if row is None or not may_see(current_user, row):
        abort(404)
    return row
