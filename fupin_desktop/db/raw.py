"""Plain sqlite3 connections to a database file, for the work below SQLAlchemy: integrity checks,
backups, restores. One place, so that how a file is opened (read-only, a key) is decided once."""

import sqlite3
from pathlib import Path


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to `path`; `read_only` never writes (not even a -wal/-shm it would create)."""
    if read_only:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(path)
