"""Keyset pagination: pages stay fast at any depth because no rows are skipped.

A cursor is the sort key of the last row shown, encoded for a URL. Lists order by
a unique key (usually ending in ``id``) and ask for rows after the cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, tuple_

from app.core.extensions import db


class BadCursor(ValueError):
    pass


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    #: What a link to the next page keeps of the query string: the list's filters, which
    #: its view names (:func:`kept_filters`).
    keep: dict[str, str] = field(default_factory=dict)
    #: The first row after the page, which shows there is a next one (None on the last).
    beyond: Any = None


def kept_filters(names: Iterable[str]) -> dict[str, str]:
    """The filters among ``names`` that the request's query string gives, for links that
    keep them (the next page, the same list as a download).

    Never the whole query string: ``url_for`` takes ``_external``, ``_method``, ``_anchor``
    and ``_scheme`` as options and the URL's own arguments by name, so an unknown
    parameter passed on would change the link or fail to build it (a 500).
    """
    from flask import request

    return {name: value for name in names if (value := request.args.get(name))}


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"t"}:
        return datetime.fromisoformat(value["t"])
    return value


def encode_cursor(values: tuple) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> tuple:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        decoded = tuple(_decode_value(v) for v in values)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise BadCursor(cursor) from error
    if not isinstance(values, list) or len(decoded) != width:
        raise BadCursor(cursor)
    for value in decoded:
        if not isinstance(value, str | int | float | datetime) or isinstance(value, bool):
            raise BadCursor(cursor)
        if isinstance(value, int) and abs(value) > 2**63 - 1:
            raise BadCursor(cursor)  # no column holds it; the database would refuse it
    return decoded


def paginate(
    query: Select,
    keys: list,
    cursor: str | None,
    per_page: int,
    descending: bool = False,
    load: Callable[[list[Any]], list[Any]] | None = None,
) -> Page:
    """One page of ``query`` ordered by ``keys`` (columns, unique together).

    With ``load``, ``query`` selects the keys only, which an index may answer without
    reading the rows it skips, and ``load`` turns the page's rows into its objects.
    """
    if cursor:
        after = decode_cursor(cursor, len(keys))
        for key, value in zip(keys, after, strict=True):
            if not isinstance(value, key.type.python_type):
                raise BadCursor(cursor)
        row = tuple_(*keys)
        query = query.where(row < tuple_(*after) if descending else row > tuple_(*after))
    order = [key.desc() for key in keys] if descending else list(keys)
    query = query.order_by(*order).limit(per_page + 1)
    if load is None:
        rows = list(db.session.scalars(query))
    else:
        rows = load(list(db.session.execute(query)))
    next_cursor = beyond = None
    if len(rows) > per_page:
        rows, beyond = rows[:per_page], rows[per_page]
        last = rows[-1]
        next_cursor = encode_cursor(tuple(getattr(last, key.key) for key in keys))
    return Page(items=rows, next_cursor=next_cursor, beyond=beyond)


def by_id(model: type, *options: Any) -> Callable[[list[Any]], list[Any]]:
    """A ``load`` for :func:`paginate`: the objects of the page's key rows (each with an
    ``id``), in the order of the rows, in one query with ``options``."""

    def load(rows: list[Any]) -> list[Any]:
        ids = [row.id for row in rows]
        if not ids:
            return []
        found = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
        objects = {item.id: item for item in found}
        return [objects[ident] for ident in ids]

    return load
