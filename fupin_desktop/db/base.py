"""Declarative base: named constraints, UUID keys, UTC timestamps and tombstones."""

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, DateTime, MetaData, String, Table, TypeDecorator, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fupin_desktop.domain.ids import uuid7

# Named constraints let Alembic's batch mode drop or alter them on SQLite.
NAMING = {
    "ix": "ix_%(table_name)s__%(column_0_N_name)s",
    "uq": "uq_%(table_name)s__%(column_0_N_name)s",
    "ck": "ck_%(table_name)s__%(constraint_name)s",
    "fk": "fk_%(table_name)s__%(column_0_name)s__%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use UTC-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    __table__: ClassVar[Table]  # every model maps one plain table (DeclarativeBase allows any FromClause)
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        uuid.UUID: Uuid(),
        datetime: UtcDateTime(),
        str: String(),
        list[str]: JSON(),
        dict[str, Any]: JSON(),
        date: Date(),
    }


class Synced:
    """Mixin for rows that travel in sync bundles: every write lands in the change log.

    Rows are never hard-deleted; `deleted_at` is the tombstone.
    """

    __synced__: ClassVar[bool] = True
    __noun__: ClassVar[str] = "记录"  # what a message calls one row: 找不到该户 / 该笔贷款 (db.query.get_live)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]


# Columns the change log does not copy: the key is the row id, timestamps are bookkeeping.
UNLOGGED_COLUMNS = frozenset({"id", "created_at", "updated_at"})


def synced_tables() -> list[str]:
    """Names of all tables whose classes use the Synced mixin, in dependency order."""
    names = {t.name for m in Base.registry.mappers if issubclass(m.class_, Synced) for t in m.tables}
    return [t.name for t in Base.metadata.sorted_tables if t.name in names]
