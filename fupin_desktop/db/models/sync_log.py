"""Replicas, the append-only change log that sync, history and undo read, and the sync ledgers."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, utcnow

VILLAGE, COUNTY = "village", "county"


class Replica(Base):
    """An installation of the program (or one incarnation of it). Exactly one row is the local one.

    The other rows are the peers this database has heard of: at a county, every village laptop
    that sent a bundle; in a village, the county (installed from its set-up file) and earlier
    incarnations of itself (a restored backup continues under a new replica id, so no sequence
    number is ever issued twice).
    """

    __tablename__ = "replica"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str]
    is_local: Mapped[bool] = mapped_column(default=False)
    last_seq: Mapped[int] = mapped_column(default=0)  # highest sequence number issued or received
    last_hlc: Mapped[str | None]  # hybrid logical clock, persisted so it never runs backwards
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    role: Mapped[str] = mapped_column(default=VILLAGE)  # village / county
    village_code: Mapped[str | None]  # the village (or, for a county, the county code) it keeps
    sign_key: Mapped[str | None]  # Ed25519 public key, hex
    box_key: Mapped[str | None]  # X25519 public key, hex
    trusted_at: Mapped[datetime | None]  # when this peer's keys were first accepted (TOFU)
    acked_seq: Mapped[int] = mapped_column(default=0)  # our changes the county has acknowledged
    successor_of: Mapped[uuid.UUID | None]  # the incarnation this one continues (after a restore)


class ChangeLog(Base):
    """One insert, update or delete of a synced row, written in the same transaction."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log__row", "table_name", "row_id"),)

    replica_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("replica.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    hlc: Mapped[str]
    table_name: Mapped[str]
    row_id: Mapped[uuid.UUID]
    op: Mapped[str]  # insert / update / delete / restore
    fields: Mapped[dict[str, Any]]  # column → new value (JSON-ready)
    base: Mapped[dict[str, Any]]  # column → hlc of the change this edit was based on
    actor: Mapped[str]
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncBundle(Base):
    """Ledger of bundles written and read: the bundle's SHA-256 is its identity."""

    __tablename__ = "sync_bundle"

    id: Mapped[str] = mapped_column(primary_key=True)  # SHA-256 of the whole file, hex
    direction: Mapped[str]  # out / in
    kind: Mapped[str]  # changes / return
    sender_id: Mapped[uuid.UUID]
    village_code: Mapped[str | None]
    streams: Mapped[list[Any]] = mapped_column(JSON)  # [{replica, seq_from, seq_to, count, prev}]
    status: Mapped[str] = mapped_column(index=True)  # written / applied / held
    file_name: Mapped[str]
    header: Mapped[dict[str, Any]]
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # the whole file, kept while held
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]


class SyncConflict(Base):
    """A field edited concurrently on two replicas, a delete against an update, or a key held twice.

    Derived from the change log (the same set of changes always gives the same conflicts);
    `members` keeps every competing change as [replica hex, seq, hlc], `winner` the provisional one.
    """

    __tablename__ = "sync_conflict"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # uuid5 of kind/table/row/field
    kind: Mapped[str]  # field / delete / duplicate
    table_name: Mapped[str]
    row_id: Mapped[uuid.UUID] = mapped_column(index=True)
    field: Mapped[str]
    members: Mapped[list[Any]] = mapped_column(JSON)
    winner: Mapped[list[Any]] = mapped_column(JSON)
    village_code: Mapped[str | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(index=True)  # open / resolved
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    detail: Mapped[str | None]  # people-readable: names, household numbers, villages (set at the county)


class SyncPending(Base):
    """A received row not written yet because a row it refers to has not arrived (another laptop's
    bundle still on its way). Looked at again on every import."""

    __tablename__ = "sync_pending"

    table_name: Mapped[str] = mapped_column(primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    missing: Mapped[str]  # e.g. "household.village_id → village 0190…"


class TrustedKey(Base):
    """A sender's keys confirmed at the county: the clerk read the fingerprint over the phone with the
    village (`fupin keys trust`). Only confirmed, unrevoked keys may write, and only their village."""

    __tablename__ = "sync_trusted_key"

    fingerprint: Mapped[str] = mapped_column(primary_key=True)  # keys.fingerprint(sign, box)
    village_code: Mapped[str] = mapped_column(index=True)
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_by: Mapped[str]
    revoked_at: Mapped[datetime | None]  # a lost or replaced laptop: its bundles are refused from then on
    note: Mapped[str | None]


class RejectedChange(Base):
    """A received change its sender had no right to make (another village's row, reference data):
    kept for the record and for replay checks, never applied."""

    __tablename__ = "sync_rejected"

    replica_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str]
    row_id: Mapped[uuid.UUID]
    reason: Mapped[str]  # reference / forbidden
    detail: Mapped[str]
    change: Mapped[list[Any]] = mapped_column(JSON)  # the change as it came (wire form)
    file_name: Mapped[str]
    at: Mapped[datetime] = mapped_column(default=utcnow)
