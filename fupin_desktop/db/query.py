"""Live rows and tombstones: what every service asks of a synced table.

Synced rows are never deleted; `deleted_at` is the tombstone (db.base.Synced). So a read asks for
`live(Model)`, a write fetches its row with `get_live` (the user sees "找不到该户…" when someone
deleted it meanwhile, with the noun the model declares), and a delete is `tombstone`, through the
ORM so that the change log records every row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from fupin_desktop.db.base import Synced
from fupin_desktop.errors import NotFoundError

S = TypeVar("S", bound=Synced)


def live(model: Any) -> ColumnElement[bool]:
    """The condition "not tombstoned", for a synced model or an alias of one."""
    return model.deleted_at.is_(None)


def get_live(session: Session, model: type[S], row_id: uuid.UUID) -> S:
    """The row, unless it does not exist or is tombstoned: then a NotFoundError that names it."""
    row = get_any(session, model, row_id)
    if row.deleted_at is not None:
        raise _not_found(model)
    return row


def is_live(session: Session, model: type[Synced], row_id: uuid.UUID | None) -> bool:
    """Whether `row_id` names a row of `model` that is there and not tombstoned (a form's reference)."""
    row = session.get(model, row_id) if row_id is not None else None
    return row is not None and row.deleted_at is None


def get_any(session: Session, model: type[S], row_id: uuid.UUID) -> S:
    """The row even when tombstoned (to show or restore it); NotFoundError when there never was one."""
    row = session.get(model, row_id)
    if row is None:
        raise _not_found(model)
    return row


def _not_found(model: type[Synced]) -> NotFoundError:
    return NotFoundError(f"找不到该{model.__noun__}，可能已被删除，请刷新")


def tombstone(session: Session, *rows: Synced, cascade: Iterable[InstrumentedAttribute[Any]] = ()) -> None:
    """Tombstone `rows`, and for each foreign key in `cascade` (e.g. `Member.household_id`) the live
    rows that point at one of them. One time stamp for all, so a restore finds what went together."""
    now = datetime.now(UTC)
    for row in rows:
        row.deleted_at = now
    ids = [row.id for row in rows]
    for key in cascade if ids else ():
        model = key.class_
        for child in session.scalars(select(model).where(key.in_(ids), live(model))):
            child.deleted_at = now
