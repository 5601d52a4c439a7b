"""Applying changes from other replicas: generic over every synced table, order-independent.

The state of a row is a pure function of the set of changes logged for it: each field takes the
value of the change with the highest hybrid logical clock (HLC) that wrote it. So importing the
same changes in any order, or twice, gives the same rows. Conflicts are derived the same way:

- field: two replicas wrote one field, neither based on the other's write (the `base` clock the
  change log records per field is older than the other write), with different values. Every
  value stays in the log; the highest clock is the provisional winner. A later write based on all
  of them (a resolution) closes it.
- delete: a replica tombstoned a row that another replica updated without having seen the
  delete. The row is kept (not deleted) and flagged until someone deletes or restores it again.
- duplicate: two live rows hold the same value of a unique key (the same ID number registered in
  two villages). The row with the smaller id stays live; the other is held (tombstoned with the
  HELD time 1970-01-01) and flagged, and comes back when the key no longer collides.

Rows are written with Core statements, not the ORM, so applying does not log new local changes.
"""

import functools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Numeric,
    Table,
    Time,
    UniqueConstraint,
    Uuid,
    and_,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from fupin_desktop.db import changelog
from fupin_desktop.db.base import UNLOGGED_COLUMNS, Base, synced_tables
from fupin_desktop.db.changelog import DELETE, INSERT, RESTORE, executemany
from fupin_desktop.db.models import ChangeLog, RejectedChange, Replica, SyncConflict, SyncPending
from fupin_desktop.sync.errors import ASK_AGAIN, BundleError

HELD = datetime(1970, 1, 1, tzinfo=UTC)
CHUNK = 500
CONFLICT_NS = uuid.UUID("0b6f3c9e-7d0e-4e7a-9a10-5f1c0c0f1c7e")
FIELD, DELETE_KIND, DUPLICATE = "field", "delete", "duplicate"
OPEN, RESOLVED = "open", "resolved"
_UNWRITTEN = object()


@functools.lru_cache(maxsize=1024)
def _replica_id(text: str) -> uuid.UUID:
    """A bundle's thousands of changes name a handful of replicas."""
    return uuid.UUID(text)


@dataclass(frozen=True)
class Change:
    replica: uuid.UUID
    seq: int
    hlc: str
    table: str
    row_id: uuid.UUID
    op: str
    fields: dict[str, Any]
    base: dict[str, Any]
    actor: str
    at: datetime

    def wire(self) -> list[Any]:
        return [self.replica.hex, self.seq, self.hlc, self.table, self.row_id.hex, self.op, self.fields, self.base,
                self.actor, self.at.isoformat()]

    @classmethod
    def from_wire(cls, w: Sequence[Any]) -> "Change":
        at = datetime.fromisoformat(w[9])
        return cls(_replica_id(w[0]), int(w[1]), w[2], w[3], uuid.UUID(w[4]), w[5], w[6], w[7], w[8],
                   at if at.tzinfo else at.replace(tzinfo=UTC))

    def same_as(self, other: "Change") -> bool:
        return (self.hlc, self.table, self.row_id, self.op, self.fields, self.base) == \
            (other.hlc, other.table, other.row_id, other.op, other.fields, other.base)


def change_from_row(r: Any) -> Change:
    return Change(r.replica_id, r.seq, r.hlc, r.table_name, r.row_id, r.op, r.fields, r.base, r.actor, r.at)


@dataclass
class ApplyStats:
    received: int = 0
    duplicates: int = 0  # already here with identical content
    applied: int = 0
    new_rows: int = 0
    changed_rows: int = 0
    skipped_rows: int = 0  # changes for rows whose insert has not arrived (kept in the log)
    tables: dict[str, int] = field(default_factory=dict)  # table → rows written
    conflicts_new: int = 0
    conflicts_open: int = 0
    rejected: int = 0  # changes the sender had no right to make (kept in sync_rejected, not applied)
    reference: int = 0  # reference data re-sent by a village (the county's own copy stands)
    rejected_examples: list[str] = field(default_factory=list)  # the first 20, for the report

    def add(self, other: "ApplyStats") -> None:
        for k, v in vars(other).items():
            if isinstance(v, int):
                setattr(self, k, getattr(self, k) + v)
        for t, n in other.tables.items():
            self.tables[t] = self.tables.get(t, 0) + n
        self.rejected_examples = (self.rejected_examples + other.rejected_examples)[:20]


def stored_changes(conn: Connection, replica: uuid.UUID, lo: int, hi: int) -> dict[int, Change]:
    """Changes of one replica with seq in lo..hi already here, applied or rejected."""
    log, rej = ChangeLog.__table__, RejectedChange.__table__
    lo, hi = min(lo, hi), max(lo, hi)
    out = {r.seq: change_from_row(r) for r in conn.execute(
        select(log).where(log.c.replica_id == replica, log.c.seq.between(lo, hi)))}
    for r in conn.execute(select(rej.c.seq, rej.c.change).where(rej.c.replica_id == replica,
                                                                 rej.c.seq.between(lo, hi))):
        out[r.seq] = Change.from_wire(r.change)
    return out


Rights = Callable[[Connection, list[Change]], tuple[list[Change], list[Any]]]


def apply_changes(session: Session, changes: list[Change], *, file: str, rights: Rights | None = None) -> ApplyStats:
    """Store the changes that are new, refuse any whose id is known with other content, and bring
    every row they touch (and its conflicts) up to date. Runs in the caller's transaction.
    `rights` splits new changes into those the sender may make and the rest (sync.rights), which
    are kept in sync_rejected and never applied."""
    conn = session.connection()
    stats = ApplyStats(received=len(changes))
    fresh: list[Change] = []
    by_replica: dict[uuid.UUID, list[Change]] = defaultdict(list)
    for c in changes:
        by_replica[c.replica].append(c)
    log = ChangeLog.__table__
    for replica, group in by_replica.items():
        known = stored_changes(conn, replica, min(c.seq for c in group), max(c.seq for c in group))
        for c in group:
            old = known.get(c.seq)
            if old is None:
                fresh.append(c)
            elif old.same_as(c):
                stats.duplicates += 1
            else:
                raise BundleError(file, f"变更 {replica.hex[:8]}…#{c.seq} 已导入过，但本次内容不同"
                                  "（数据包被改动、伪造或重放）", ASK_AGAIN + "如再次出现，请与发送方核实。")
    if rights is not None and fresh:
        fresh, rejected = rights(conn, fresh)
        if rejected:
            conn.execute(insert(RejectedChange.__table__), [
                {"replica_id": r.change.replica, "seq": r.change.seq, "table_name": r.change.table,
                 "row_id": r.change.row_id, "reason": r.reason, "detail": r.detail, "change": r.change.wire(),
                 "file_name": file, "at": datetime.now(UTC)} for r in rejected])
            stats.reference = sum(r.reason == "reference" for r in rejected)
            stats.rejected = len(rejected) - stats.reference
            stats.rejected_examples = [f"{r.change.table} {r.change.row_id.hex[:8]}…：{r.detail}"
                                       for r in rejected if r.reason != "reference"][:20]
    if not fresh:
        return stats
    columns = ("replica_id", "seq", "hlc", "table_name", "row_id", "op", "fields", "base", "actor", "at")
    rows = [(c.replica, c.seq, c.hlc, c.table, c.row_id, c.op, c.fields, c.base, c.actor, c.at) for c in fresh]
    executemany(conn, log, len(fresh), dict(zip(columns, map(list, zip(*rows, strict=True)), strict=True)))
    stats.applied = len(fresh)
    changelog.touched(session, {c.table for c in fresh})
    _advance_clock(conn, max(c.hlc for c in fresh))
    touched: dict[str, set[uuid.UUID]] = defaultdict(set)
    for c in fresh:
        touched[c.table].add(c.row_id)
    stats.add(refresh_rows(conn, touched, fresh))
    return stats


def _advance_clock(conn: Connection, seen: str) -> None:
    """Local edits made after this must sort after every clock value received."""
    me = conn.execute(select(Replica.id, Replica.last_hlc).where(Replica.is_local)).one()
    if me.last_hlc is None or seen > me.last_hlc:
        conn.execute(update(Replica).where(Replica.id == me.id).values(last_hlc=seen))


# -- rows ---------------------------------------------------------------------------------------

@dataclass
class _Write:
    hlc: str
    replica: uuid.UUID
    seq: int
    base: str
    value: Any
    op: str


def _hlc_time(hlc: str) -> datetime:
    return datetime.fromtimestamp(int(hlc.split("-", 1)[0]) / 1000, UTC)


def _converter(col: Column[Any]) -> Callable[[Any], Any] | None:
    """From the JSON form a change carries to the column's Python value (None: the same)."""
    t = col.type
    if isinstance(t, Uuid):
        return lambda v: v if isinstance(v, uuid.UUID) else uuid.UUID(v)
    if isinstance(t, DateTime) or isinstance(getattr(t, "impl", None), DateTime):
        def dt(v: Any) -> Any:
            if isinstance(v, datetime):
                return v
            d = datetime.fromisoformat(v)
            return d if d.tzinfo else d.replace(tzinfo=UTC)
        return dt
    if isinstance(t, Date):
        return lambda v: v if isinstance(v, date) else date.fromisoformat(v)
    if isinstance(t, Time):
        return lambda v: v if isinstance(v, time) else time.fromisoformat(v)
    if isinstance(t, Numeric) and getattr(t, "asdecimal", False):
        return lambda v: Decimal(str(v))
    return None


_COLUMNS: dict[str, list[tuple[str, Callable[[Any], Any] | None, Any]]] = {}


def _columns(table: Table) -> list[tuple[str, Callable[[Any], Any] | None, Any]]:
    """The logged columns of a table: (name, converter, value when no change wrote it)."""
    if table.name not in _COLUMNS:
        _COLUMNS[table.name] = [
            (c.name, _converter(c), c.default.arg if not c.nullable and c.default is not None  # type: ignore[attr-defined]
             and getattr(c.default, "is_scalar", False) else None)
            for c in table.columns if c.name not in UNLOGGED_COLUMNS]
    return _COLUMNS[table.name]


def _norm(name: str, value: Any) -> Any:
    """Values compared for conflicts: a tombstone is only 'deleted or not'."""
    return value is not None if name == "deleted_at" else value


def _fold(table: Table, rid: uuid.UUID,
          changes: list[Change]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """A row's state from its changes (None if its insert has not arrived) and its conflicts."""
    if len(changes) == 1 and changes[0].op == INSERT:  # most rows of a first import: nothing to weigh
        c = changes[0]
        return _state(table, rid, c.fields, c.hlc, c.hlc), []
    changes.sort(key=lambda c: c.hlc)
    writes: dict[str, list[_Write]] = defaultdict(list)
    has_insert = False
    for c in changes:
        has_insert |= c.op == INSERT
        values = c.fields
        if c.op == DELETE and "deleted_at" not in values:  # a hard delete
            values = {**values, "deleted_at": c.at.isoformat()}
        for name, v in values.items():
            writes[name].append(_Write(c.hlc, c.replica, c.seq, c.base.get(name) or "", v, c.op))
    conflicts = []
    for name, ws in writes.items():
        if len({w.replica for w in ws}) < 2:
            continue
        if len({orjson.dumps(_norm(name, w.value), option=orjson.OPT_SORT_KEYS) for w in ws}) < 2:
            continue  # every replica wrote the same value (reference rows from hundreds of villages)
        members: dict[tuple[str, int], _Write] = {}
        for i, a in enumerate(ws):
            for b in ws[i + 1:]:
                if a.replica != b.replica and b.base < a.hlc and a.base < b.hlc \
                        and _norm(name, a.value) != _norm(name, b.value):
                    members[(a.replica.hex, a.seq)] = a
                    members[(b.replica.hex, b.seq)] = b
        if members:
            win = ws[-1]
            conflicts.append(_conflict(FIELD, table.name, rid, name, members.values(), win,
                                       OPEN if (win.replica.hex, win.seq) in members else RESOLVED))
    # delete against update: the row is kept while it is open
    keep_alive = False
    deletes = [w for w in writes.get("deleted_at", []) if w.value is not None and w.op == DELETE]
    rivals_of: dict[tuple[str, int], _Write] = {}
    for d in deletes:
        rivals = [c for c in changes if c.replica != d.replica and c.op not in (INSERT, DELETE, RESTORE)
                  and "deleted_at" not in c.fields and max(c.base.values(), default="") < d.hlc and c.hlc > d.base]
        if rivals:
            rivals_of[(d.replica.hex, d.seq)] = d
            for c in rivals:
                rivals_of[(c.replica.hex, c.seq)] = _Write(c.hlc, c.replica, c.seq, "", None, c.op)
    if rivals_of:
        last = writes["deleted_at"][-1]
        done = (last.replica.hex, last.seq) not in rivals_of and last.hlc > max(w.hlc for w in rivals_of.values())
        conflicts.append(_conflict(DELETE_KIND, table.name, rid, "deleted_at", rivals_of.values(), last,
                                   RESOLVED if done else OPEN))
        keep_alive = not done
    if not has_insert:
        return None, conflicts
    state = _state(table, rid, {name: ws[-1].value for name, ws in writes.items()},
                   next(c.hlc for c in changes if c.op == INSERT), changes[-1].hlc)
    if keep_alive:
        state["deleted_at"] = None
    return state, conflicts


def _state(table: Table, rid: uuid.UUID, values: dict[str, Any], created: str, updated: str) -> dict[str, Any]:
    """A row from the last value written to each field."""
    state: dict[str, Any] = {}
    for name, convert, default in _columns(table):
        v = values.get(name, _UNWRITTEN)
        state[name] = default if v is _UNWRITTEN else v if v is None or convert is None else convert(v)
    state["id"] = rid
    state["created_at"] = _hlc_time(created)
    state["updated_at"] = _hlc_time(updated)
    return state


def _conflict(kind: str, table: str, rid: uuid.UUID, name: str, members: Iterable[_Write], winner: _Write,
              status: str) -> dict[str, Any]:
    ms = [[w.replica.hex, w.seq, w.hlc] for w in sorted(members, key=lambda w: w.hlc)]
    return {"id": uuid.uuid5(CONFLICT_NS, f"{kind}/{table}/{rid.hex}/{name}"), "kind": kind, "table_name": table,
            "row_id": rid, "field": name, "members": ms, "winner": [winner.replica.hex, winner.seq, winner.hlc],
            "status": status}


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def refresh_rows(conn: Connection, touched: dict[str, set[uuid.UUID]], fresh: Sequence[Change] = ()) -> ApplyStats:
    """Recompute the given rows from the log and write them; then their conflicts. `fresh`: changes
    just stored, which need not be read back (most rows of a first import have no others)."""
    in_memory: dict[uuid.UUID, list[Change]] = defaultdict(list)
    for c in fresh:
        in_memory[c.row_id].append(c)
    fresh_ids = {(c.replica, c.seq) for c in fresh}
    stats = ApplyStats()
    metadata = Base.metadata.tables
    conflicts: list[dict[str, Any]] = []
    villages = {r.id.hex: r.village_code for r in conn.execute(select(Replica.id, Replica.village_code))}
    pend = SyncPending.__table__
    waiting: dict[str, set[uuid.UUID]] = defaultdict(set)
    for t, rid in conn.execute(select(pend.c.table_name, pend.c.row_id)):
        waiting[t].add(rid)
    ranges = _fresh_ranges(fresh)
    for name in synced_tables():
        ids = touched.get(name, set()) | waiting.get(name, set())
        if not ids:
            continue
        table = metadata[name]
        states: dict[uuid.UUID, dict[str, Any]] = {}
        existing: dict[uuid.UUID, dict[str, Any]] = {}
        fold = _Folder(conn, table, in_memory, fresh_ids, ranges, villages, stats, conflicts, states, existing)
        fold(ids)
        # rows held as duplicates whose key these rows take or give up are looked at again: their
        # rival may be gone, or a new one come (only these: every file re-folding every held row
        # made a 300-village merge quadratic)
        held = _open_duplicates(conn, table)
        fold(_held_rivals(conn, table, held, states, existing) - ids)
        _wait_for_parents(conn, table, states, waiting.get(name, set()))
        conflicts += _hold_duplicates(conn, table, held, states, existing, villages)
        inserts = [s for rid, s in states.items() if rid not in existing]
        updates = [s for rid, s in states.items() if rid in existing and existing[rid] != s]
        first, vacate, updates = _write_order(table, existing, updates)
        for s in first:
            conn.execute(update(table).where(table.c.id == s["id"]).values(**s))
        for s in vacate:
            conn.execute(update(table).where(table.c.id == s["id"])
                         .values(deleted_at=HELD, updated_at=existing[s["id"]]["updated_at"]))
        if inserts:  # column-wise through the bind processors: a dict per row costs more than sqlite
            executemany(conn, table, len(inserts), {c: [s[c] for s in inserts] for c in inserts[0]})
        for s in updates:
            conn.execute(update(table).where(table.c.id == s["id"]).values(**s))
        stats.new_rows += len(inserts)
        stats.changed_rows += len(updates)
        if inserts or updates:
            stats.tables[str(name)] = len(inserts) + len(updates)
    new, open_ = _store_conflicts(conn, conflicts)
    stats.conflicts_new, stats.conflicts_open = new, open_
    return stats


def _fresh_ranges(fresh: Sequence[Change], most: int = 8) -> list[tuple[uuid.UUID, int, int]]:
    """The longest runs of consecutive seqs of one replica in `fresh`: log rows in them are fresh,
    so a query for older changes can leave them out (a run is broken where a change was refused)."""
    runs: list[tuple[uuid.UUID, int, int]] = []
    for c in sorted(fresh, key=lambda c: (c.replica, c.seq)):
        if runs and runs[-1][0] == c.replica and runs[-1][2] == c.seq - 1:
            runs[-1] = (c.replica, runs[-1][1], c.seq)
        else:
            runs.append((c.replica, c.seq, c.seq))
    return sorted(runs, key=lambda r: r[1] - r[2])[:most]


@dataclass
class _Folder:
    """Folds rows of one table from the log (and the changes just stored) into `states`, reading
    what is stored of them into `existing`."""
    conn: Connection
    table: Table
    in_memory: dict[uuid.UUID, list[Change]]
    fresh_ids: set[tuple[uuid.UUID, int]]
    ranges: list[tuple[uuid.UUID, int, int]]
    villages: dict[str, str | None]
    stats: ApplyStats
    conflicts: list[dict[str, Any]]
    states: dict[uuid.UUID, dict[str, Any]]
    existing: dict[uuid.UUID, dict[str, Any]]

    def __call__(self, ids: set[uuid.UUID]) -> None:
        log, table, name = ChangeLog.__table__, self.table, self.table.name
        not_fresh = [~and_(log.c.replica_id == rep, log.c.seq.between(lo, hi)) for rep, lo, hi in self.ranges]
        for chunk in _chunks(sorted(ids)):
            # rows with changes stored before this import (most rows of a first import have none)
            older = {r.row_id for r in self.conn.execute(
                select(log.c.row_id, log.c.replica_id, log.c.seq).where(
                    log.c.table_name == name, log.c.row_id.in_(chunk), *not_fresh))
                if (r.replica_id, r.seq) not in self.fresh_ids}
            per_row: dict[uuid.UUID, list[Change]] = {rid: list(self.in_memory.get(rid, ()))
                                                      for rid in chunk if rid not in older}
            if older:
                for r in self.conn.execute(select(log).where(log.c.table_name == name,
                                                             log.c.row_id.in_(sorted(older)))):
                    per_row.setdefault(r.row_id, []).append(change_from_row(r))
            for r in self.conn.execute(select(table).where(table.c.id.in_(chunk))):
                self.existing[r.id] = dict(r._mapping)
            for rid in chunk:
                state, found = _fold(table, rid, per_row.get(rid, []))
                for f in found:
                    f["village_code"] = self.villages.get(f["winner"][0])
                self.conflicts += found
                if state is None:
                    self.stats.skipped_rows += 1
                else:
                    self.states[rid] = state


def _open_duplicates(conn: Connection, table: Table) -> dict[uuid.UUID, uuid.UUID]:
    """Rows of `table` held as duplicates: row id → its open conflict's id."""
    if not _unique_keys(table):
        return {}
    sc = SyncConflict.__table__
    return {r.row_id: r.id for r in conn.execute(select(sc.c.row_id, sc.c.id).where(
        sc.c.kind == DUPLICATE, sc.c.table_name == table.name, sc.c.status == OPEN))}


def _held_rivals(conn: Connection, table: Table, held: dict[uuid.UUID, uuid.UUID],
                 states: dict[uuid.UUID, dict[str, Any]], existing: dict[uuid.UUID, dict[str, Any]]) -> set[uuid.UUID]:
    """Rows held as duplicates in `table` whose unique key one of these rows has now or had."""
    keys = _unique_keys(table)
    if not held:
        return set()
    wanted = {(ix, tuple(row[c] for c in cols)) for ix, cols in keys
              for row in (*states.values(), *existing.values()) if row}
    columns = sorted({c for _ix, cols in keys for c in cols})
    out = set()
    for chunk in _chunks(sorted(held)):
        for r in conn.execute(select(table.c.id, *(table.c[c] for c in columns)).where(table.c.id.in_(chunk))):
            if any((ix, tuple(r._mapping[c] for c in cols)) in wanted for ix, cols in keys):
                out.add(r.id)
    return out


def _write_order(table: Table, existing: dict[uuid.UUID, dict[str, Any]],
                 updates: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                                       list[dict[str, Any]]]:
    """Split updates so that no statement sees two live rows with one unique key on the way to a
    final state that has none (_hold_duplicates saw to that). A unique index is checked at each
    statement, so a row already here that gives up a key must do so before another row takes it:
    a new row inserted with the ID number an existing row moves away from, a smaller id held
    against an existing row, two rows swapping keys. Returns (rows going out of the live set: their
    final update first; live rows moving to another key: tombstoned for a moment; the rest, after
    the inserts)."""
    keys = [cols for _name, cols in _unique_keys(table)]
    if not keys or not updates:
        return [], [], updates
    first, vacate, rest = [], [], []
    for s in updates:
        old = existing[s["id"]]
        if old["deleted_at"] is not None:
            rest.append(s)  # not in any live index yet
        elif s["deleted_at"] is not None:
            first.append(s)
        elif any(tuple(old[c] for c in cols) != tuple(s[c] for c in cols) for cols in keys):
            vacate.append(s)
            rest.append(s)
        else:
            rest.append(s)
    return first, vacate, rest


def _wait_for_parents(conn: Connection, table: Table, states: dict[uuid.UUID, dict[str, Any]],
                      was_waiting: set[uuid.UUID]) -> None:
    """Rows that refer to a row not here yet (in another laptop's bundle still on its way) wait in
    sync_pending instead of breaking a foreign key; tables are handled parents first."""
    pend = SyncPending.__table__
    missing: dict[uuid.UUID, str] = {}
    for fk in table.foreign_keys:
        col, parent = fk.parent.name, fk.column.table
        wanted = {s[col] for s in states.values() if s.get(col) is not None}
        if not wanted:
            continue
        found: set[Any] = set()
        for chunk in _chunks(sorted(wanted)):
            found |= set(conn.scalars(select(fk.column).where(fk.column.in_(chunk))))
        if parent.name == table.name:
            found |= set(states)
        for rid, s in states.items():
            if s.get(col) is not None and s[col] not in found:
                missing[rid] = f"{table.name}.{col} → {parent.name} {s[col]}"
    for rid in missing:
        del states[rid]
    now_free = was_waiting - set(missing)
    if now_free:
        for chunk in _chunks(sorted(now_free)):
            conn.execute(delete(pend).where(pend.c.table_name == table.name, pend.c.row_id.in_(chunk)))
    new = {rid: why for rid, why in missing.items() if rid not in was_waiting}
    if new:
        conn.execute(insert(pend), [{"table_name": table.name, "row_id": rid, "missing": why}
                                    for rid, why in new.items()])


def _unique_keys(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    keys = [(str(ix.name or ""), tuple(c.name for c in ix.columns)) for ix in table.indexes if ix.unique]
    keys += [(str(uc.name or ""), tuple(c.name for c in uc.columns)) for uc in table.constraints
             if isinstance(uc, UniqueConstraint)]
    return [k for k in keys if k[1] and k[1] != ("id",)]


def _hold_duplicates(conn: Connection, table: Table, held_before: dict[uuid.UUID, uuid.UUID],
                     states: dict[uuid.UUID, dict[str, Any]],
                     existing: dict[uuid.UUID, dict[str, Any]],
                     villages: dict[str, str | None]) -> list[dict[str, Any]]:
    """Two live rows may not share a unique key: the smaller id stays, the other is held."""
    found: list[dict[str, Any]] = []
    for ix_name, cols in _unique_keys(table):
        groups: dict[tuple[Any, ...], set[uuid.UUID]] = defaultdict(set)
        held: dict[tuple[Any, ...], set[uuid.UUID]] = defaultdict(set)
        for rid, s in states.items():
            key = tuple(s[c] for c in cols)
            if None in key:
                continue
            if s["deleted_at"] is None:
                groups[key].add(rid)
        if not groups:
            continue
        others: dict[uuid.UUID, dict[str, Any]] = {}
        for chunk in _chunks(sorted(groups, key=str)):
            # every column of the key narrows: on its first alone (a household number, an attachment
            # link's target table) each village matched the whole county's rows, growing per file
            narrow = [table.c[c].in_(sorted({k[i] for k in chunk}, key=str)) for i, c in enumerate(cols)]
            for r in conn.execute(select(table).where(*narrow, table.c.deleted_at.is_(None))):
                if r.id not in states:
                    others[r.id] = dict(r._mapping)
        for rid, row in others.items():
            key = tuple(row[c] for c in cols)
            if key in groups:
                groups[key].add(rid)
        for key, ids in groups.items():
            if len(ids) < 2:
                continue
            winner = min(ids)
            for loser in ids - {winner}:
                if loser in states:
                    states[loser]["deleted_at"] = HELD
                else:  # a live row already here loses to a new one
                    others[loser]["deleted_at"] = HELD
                    conn.execute(update(table).where(table.c.id == loser)  # keep updated_at: no onupdate
                                 .values(deleted_at=HELD, updated_at=others[loser]["updated_at"]))
                    existing.setdefault(loser, {})
                held[key].add(loser)
            members = [[i.hex, 0, ""] for i in sorted(ids)]
            for loser in held[key]:
                found.append({"id": uuid.uuid5(CONFLICT_NS, f"{DUPLICATE}/{table.name}/{loser.hex}/{ix_name}"),
                              "kind": DUPLICATE, "table_name": table.name, "row_id": loser, "field": ix_name,
                              "members": members, "winner": [winner.hex, 0, ""], "status": OPEN,
                              "village_code": None})
    log = ChangeLog.__table__
    registered: dict[uuid.UUID, tuple[str, uuid.UUID]] = {}  # a held row's first change: (hlc, replica)
    for chunk in _chunks(sorted({f["row_id"] for f in found})):
        for r in conn.execute(select(log.c.row_id, log.c.hlc, log.c.replica_id)
                              .where(log.c.table_name == table.name, log.c.row_id.in_(chunk))):
            registered[r.row_id] = min(registered.get(r.row_id, (r.hlc, r.replica_id)), (r.hlc, r.replica_id))
    for f in found:  # a duplicate belongs to the village that registered the held row
        rep = registered.get(f["row_id"])
        f["village_code"] = villages.get(rep[1].hex) if rep else None
    # rows held before whose key no longer collides are live again: their conflict is gone (so the
    # set of duplicate conflicts depends only on the data, not on the order bundles came in)
    still = {f["row_id"] for f in found}
    for rid, cid in held_before.items():
        if rid not in still and rid in states:
            found.append({"id": cid, "resolve_only": True})
    return found


def _store_conflicts(conn: Connection, conflicts: list[dict[str, Any]]) -> tuple[int, int]:
    sc = SyncConflict.__table__
    if not conflicts:
        return 0, 0
    ids = [c["id"] for c in conflicts]
    known = {}
    for chunk in _chunks(ids):
        known.update({r.id: r for r in conn.execute(select(sc).where(sc.c.id.in_(chunk)))})
    now = datetime.now(UTC)
    opened = 0
    fresh: list[dict[str, Any]] = []
    for c in conflicts:
        old = known.get(c["id"])
        if c.get("resolve_only"):
            conn.execute(delete(sc).where(sc.c.id == c["id"]))
            continue
        opened += c["status"] == OPEN
        values = {k: c[k] for k in ("kind", "table_name", "row_id", "field", "members", "winner", "status",
                                    "village_code")}
        values["resolved_at"] = now if c["status"] == RESOLVED else None
        if old is None:
            fresh.append({"id": c["id"], "detected_at": now, **values})
        elif (old.members, old.winner, old.status) != (c["members"], c["winner"], c["status"]):
            if old.status == c["status"]:
                values.pop("resolved_at")
            conn.execute(update(sc).where(sc.c.id == c["id"]).values(**values))
    if fresh:
        conn.execute(insert(sc), fresh)
    return len(fresh), opened
