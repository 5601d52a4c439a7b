"""The change log: every write to a synced table is recorded in the same transaction.

One recorder serves both paths that write synced rows:
- ORM flushes (all services), through a session `after_flush` hook;
- bulk inserts (`bulk_insert`, used by the demo builder and imports), which skip the ORM
  unit of work for speed but not the log.

Each entry carries the local replica id, the next per-replica sequence number, a hybrid
logical clock value, the acting user, the changed fields with their new values and, for
updates, the clock value of the change each field was based on (for conflict detection).
An insert logs its non-null values; a column it leaves out is NULL.
"""

import gc
import itertools
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection, Table, event, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from fupin_desktop.db.base import UNLOGGED_COLUMNS, Base, Synced, utcnow
from fupin_desktop.db.models import ChangeLog, Replica
from fupin_desktop.domain import accounts, hlc
from fupin_desktop.errors import PermissionDeniedError

INSERT, UPDATE, DELETE, RESTORE = "insert", "update", "delete", "restore"
_LOG_COLUMNS = ("seq", "hlc", "table_name", "row_id", "op", "fields", "base")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    raise TypeError(f"cannot log value of type {type(value).__name__}")


def to_json(values: dict[str, Any]) -> str:
    """Field values as the log stores them: compact UTF-8 JSON, UUIDs and dates as ISO text
    (orjson: the log is written for every row, so encoding speed is the demo build's speed)."""
    return orjson.dumps(values, default=_json_default).decode()


@dataclass
class Entry:
    table: str
    row_id: uuid.UUID
    op: str
    fields: dict[str, Any]  # column → new value (Python values; encoded when recorded)
    base: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reserved:
    """Sequence numbers and clock values set aside for `size` entries to be recorded later (see
    `reserve`): rows generated out of table order still get their places in the log's order."""

    first_seq: int
    first_clock: hlc.Hlc
    size: int


def reserve(session: Session, n: int) -> Reserved:
    """The next n sequence numbers and clock values of this replica, for `record(..., at=...)`."""
    replica_id = session.info["replica_id"]
    conn = session.connection()
    last_seq, last_hlc = conn.execute(
        update(Replica)
        .where(Replica.id == replica_id)
        .values(last_seq=Replica.last_seq + n)
        .returning(Replica.last_seq, Replica.last_hlc)
    ).one()
    first = hlc.tick(hlc.Hlc.decode(last_hlc) if last_hlc else None, int(time.time() * 1000), replica_id.hex)
    conn.execute(update(Replica).where(Replica.id == replica_id).values(last_hlc=hlc.later(first, n - 1).encode()))
    return Reserved(last_seq - n + 1, first, n)


def record(session: Session, entries: Sequence[Entry], *, at: tuple[Reserved, Sequence[int]] | None = None) -> None:
    """Append entries to the log: allocate sequence numbers and clock values, insert rows.

    `at` = (reserved, places): the entries take these places (0 … size-1) of a reservation instead."""
    if not entries:
        return
    user = session.info.get("user")
    if user is not None and not accounts.may_write(user):  # every write of a synced row passes here, ORM or bulk
        raise PermissionDeniedError(f"{user.label}只能查看，不能修改数据。如需修改，请让第一书记调整您的角色。")
    touched(session, (e.table for e in entries))
    n = len(entries)
    reserved, places = at or (reserve(session, n), range(n))
    if len(places) != n or not 0 <= min(places) <= max(places) < reserved.size:
        raise ValueError(f"{n} entries, places {min(places)}–{max(places)} of a reservation of {reserved.size}")
    executemany(session.connection(), ChangeLog.__table__, n, {
        "replica_id": session.info["replica_id"],
        "seq": [reserved.first_seq + k for k in places],
        "hlc": hlc.ticks_at(reserved.first_clock, places),
        "table_name": [e.table for e in entries],
        "row_id": [e.row_id for e in entries],
        "op": [e.op for e in entries],
        "fields": [to_json(e.fields) for e in entries],
        "base": [to_json(e.base) if e.base else "{}" for e in entries],
        "actor": session.info.get("actor") or "system",
        "at": utcnow(),
    }, encoded={"fields", "base"})


def touched(session: Session, tables: Iterable[str]) -> None:
    """Note the tables a transaction changed; `Database.transaction` hands them on as its Changes."""
    session.info.setdefault("changed_tables", set()).update(tables)


def _remember_last(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Bulk rows often repeat a value (one timestamp, one parent key): convert it once."""
    last: list[Any] = [object(), None]

    def remembered(v: Any) -> Any:
        if v is not last[0]:
            last[0], last[1] = v, convert(v)
        return last[1]
    return remembered


def executemany(conn: Connection, table: Table, n: int, columns: dict[str, Any], *,
                 encoded: set[str] | frozenset[str] = frozenset()) -> None:
    """INSERT n rows given column by column (a sequence of n values, or one value for all rows).

    Values pass through the columns' own bind processors, as `conn.execute(insert(table), dicts)`
    would, but column-wise in C-level loops: building a million parameter dicts is what made
    the ORM and Core paths slow. Columns named in `encoded` already hold their database form.
    """
    dialect = conn.dialect
    data = []
    for name, values in columns.items():
        proc = None if name in encoded else table.c[name].type._cached_bind_processor(dialect)
        if not isinstance(values, Sequence | range) or isinstance(values, str):
            values = itertools.repeat(proc(values) if proc else values, n)
        elif proc:
            values = map(_remember_last(proc), values)
        data.append(values)
    marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
    conn.exec_driver_sql(sql, list(zip(*data, strict=True)))


def _entry_for(session: Session, obj: Synced, op: str) -> Entry | None:
    state = inspect(obj)
    table = obj.__table__.name  # type: ignore[attr-defined]
    if op == INSERT:
        values = {a.key: getattr(obj, a.key) for a in state.mapper.column_attrs if a.key not in UNLOGGED_COLUMNS}
        return Entry(table, obj.id, INSERT, {k: v for k, v in values.items() if v is not None})
    if op == DELETE:  # a hard delete; services tombstone instead, but never lose one
        return Entry(table, obj.id, DELETE, {})
    changed = {}
    for attr in state.mapper.column_attrs:
        if attr.key in UNLOGGED_COLUMNS:
            continue
        hist = state.attrs[attr.key].history
        if hist.added and list(hist.added) != list(hist.deleted):
            changed[attr.key] = hist.added[0]
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
    rank = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
    entries.sort(key=lambda e: (rank[e.table], e.op != INSERT))  # parents first: replayable in order
    record(session, entries)


def install(factory: sessionmaker[Session]) -> None:
    """Record changes made through sessions from this factory."""
    event.listen(factory, "after_flush", _after_flush)


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]], *,
                at: tuple[Reserved, Sequence[int]] | None = None) -> int:
    """Insert many new rows of a synced table with plain executemany, logging each one (at the
    places of a reservation, if `at` is given: see `record`). Rows must carry every column (id and timestamps
    included). Returns the row count."""
    insert_rows(session, table, rows)
    log_inserts(session, table, rows, at=at)
    return len(rows)


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """The insert half of `bulk_insert`: rows whose log entries `log_inserts` writes later."""
    if rows:
        names = list(rows[0])
        with no_cycle_collection():
            executemany(session.connection(), table, len(rows), {c: [r[c] for r in rows] for c in names})


def log_inserts(session: Session, table: Table, rows: list[dict[str, Any]], *,
                at: tuple[Reserved, Sequence[int]] | None = None) -> None:
    """The log half of `bulk_insert`: an insert entry for each row, with its non-null values."""
    if rows:
        logged = [c for c in rows[0] if c not in UNLOGGED_COLUMNS]
        with no_cycle_collection():
            record(session, [Entry(table.name, r["id"], INSERT, {c: v for c in logged if (v := r[c]) is not None})
                             for r in rows], at=at)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Millions of fresh dicts and tuples (none in a cycle) make Python's cycle collector scan
    the whole heap again and again; a bulk insert is faster with it paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
