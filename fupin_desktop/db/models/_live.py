"""Partial unique indexes over live (not tombstoned) rows, on SQLite and PostgreSQL alike."""

from sqlalchemy import Index, text


def live_unique(name: str, *columns: str) -> Index:
    where = text("deleted_at IS NULL")
    return Index(name, *columns, unique=True, sqlite_where=where, postgresql_where=where)
