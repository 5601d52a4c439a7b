"""The change log: every write to a synced table is recorded in the same transaction.

One recorder serves both paths that write synced rows:
- ORM flushes (all services), through a session `after_flush` hook;
- bulk inserts (`bulk_insert`, used by the demo builder and imports), which skip the ORM
  unit of work for speed but not the log.

Each entry carries the local replica id, the next per-replica sequence number, a hybrid
logical clock value, the acting user, the changed fields with their new values and, for
updates, the clock value of the change each field was based on (for conflict detection).
"""

import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, event, insert, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from fupin_desktop.db.base import UNLOGGED_COLUMNS, Base, Synced, utcnow
from fupin_desktop.db.models import ChangeLog, Replica
from fupin_desktop.domain import hlc

INSERT, UPDATE, DELETE, RESTORE = "insert", "update", "delete", "restore"


def jsonable(value: Any) -> Any:
    """A column value as JSON: UUIDs and dates as ISO text, Decimal as text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    raise TypeError(f"cannot log value of type {type(value).__name__}")


@dataclass
class Entry:
    table: str
    row_id: uuid.UUID
    op: str
    fields: dict[str, Any]
    base: dict[str, str] = field(default_factory=dict)


def _table_rank() -> dict[str, int]:
    return {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


def record(session: Session, entries: Sequence[Entry]) -> None:
    """Append entries to the log: allocate sequence numbers and clock values, insert rows."""
    if not entries:
        return
    conn = session.connection()
    replica_id = session.info["replica_id"]
    last_seq, last_hlc = conn.execute(
        update(Replica)
        .where(Replica.id == replica_id)
        .values(last_seq=Replica.last_seq + len(entries))
        .returning(Replica.last_seq, Replica.last_hlc)
    ).one()
    node = replica_id.hex
    clock = hlc.Hlc.decode(last_hlc) if last_hlc else None
    now_ms, now = int(time.time() * 1000), utcnow()
    actor = session.info.get("actor") or "system"
    rows = []
    for seq, e in enumerate(entries, start=last_seq - len(entries) + 1):
        clock = hlc.tick(clock, now_ms, node)
        rows.append({
            "replica_id": replica_id, "seq": seq, "hlc": clock.encode(), "table_name": e.table,
            "row_id": e.row_id, "op": e.op, "fields": e.fields, "base": e.base, "actor": actor, "at": now,
        })
    conn.execute(update(Replica).where(Replica.id == replica_id).values(last_hlc=clock.encode()))
    conn.execute(insert(ChangeLog), rows)


def _entry_for(session: Session, obj: Synced, op: str) -> Entry | None:
    state = inspect(obj)
    table = obj.__table__.name  # type: ignore[attr-defined]
    if op == INSERT:
        values = {c.key: jsonable(getattr(obj, c.key)) for c in state.mapper.column_attrs
                  if c.key not in UNLOGGED_COLUMNS}
        return Entry(table, obj.id, INSERT, values)
    if op == DELETE:  # a hard delete; services tombstone instead, but never lose one
        return Entry(table, obj.id, DELETE, {})
    changed = {}
    for attr in state.mapper.column_attrs:
        if attr.key in UNLOGGED_COLUMNS:
            continue
        hist = state.attrs[attr.key].history
        if hist.added and list(hist.added) != list(hist.deleted):
            changed[attr.key] = jsonable(hist.added[0])
    if not changed:
        return None
    if "deleted_at" in changed:
        op = DELETE if changed["deleted_at"] is not None else RESTORE
    return Entry(table, obj.id, op, changed, _base_versions(session, table, obj.id, changed))


def _base_versions(session: Session, table: str, row_id: uuid.UUID, fields: Iterable[str]) -> dict[str, str]:
    """For each field, the clock value of the latest logged change that wrote it."""
    wanted, base = set(fields), {}
    history = session.connection().execute(
        select(ChangeLog.fields, ChangeLog.hlc)
        .where(ChangeLog.table_name == table, ChangeLog.row_id == row_id)
        .order_by(ChangeLog.hlc.desc())
    )
    for fields_written, clock in history:
        for name in wanted & fields_written.keys():
            base[name] = clock
        wanted -= fields_written.keys()
        if not wanted:
            break
    return base


def _after_flush(session: Session, _context: Any) -> None:
    ops = [(o, INSERT) for o in session.new] + [(o, UPDATE) for o in session.dirty] \
        + [(o, DELETE) for o in session.deleted]
    entries = [e for o, op in ops if isinstance(o, Synced) and (e := _entry_for(session, o, op))]
    rank = _table_rank()
    entries.sort(key=lambda e: (rank[e.table], e.op != INSERT))  # parents first: replayable in order
    record(session, entries)


def install(factory: sessionmaker[Session]) -> None:
    """Record changes made through sessions from this factory."""
    event.listen(factory, "after_flush", _after_flush)


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> int:
    """Insert many new rows of a synced table with plain executemany, logging each one.

    Rows must carry every column (id and timestamps included). Returns the row count.
    """
    if not rows:
        return 0
    session.execute(insert(table), rows)
    logged = [c for c in rows[0] if c not in UNLOGGED_COLUMNS]
    record(session, [Entry(table.name, r["id"], INSERT, {c: jsonable(r[c]) for c in logged}) for r in rows])
    return len(rows)
