"""Replicas and the append-only change log that sync, history and undo read."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, utcnow


class Replica(Base):
    """An installation of the program. Exactly one row is the local one."""

    __tablename__ = "replica"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str]
    is_local: Mapped[bool] = mapped_column(default=False)
    last_seq: Mapped[int] = mapped_column(default=0)  # highest sequence number issued or received
    last_hlc: Mapped[str | None]  # hybrid logical clock, persisted so it never runs backwards
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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
