"""Partial indexes over live (not tombstoned) rows, on SQLite and PostgreSQL alike."""

from sqlalchemy import Index, text


def live_index(name: str, *columns: str, unique: bool = False) -> Index:
    where = text("deleted_at IS NULL")
    return Index(name, *columns, unique=unique, sqlite_where=where, postgresql_where=where)


def live_unique(name: str, *columns: str) -> Index:
    return live_index(name, *columns, unique=True)
