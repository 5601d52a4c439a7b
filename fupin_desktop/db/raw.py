"""Plain sqlite3 connections to a database file, for the work below SQLAlchemy: integrity checks,
backups, restores. One place, so that how a file is opened (read-only, a key) is decided once.

An encrypted file (db/cipher.py) is opened with `key`, or with the key of the open database it
belongs to (the database itself, its backups folder, a copy beside it); its connection raises
sqlite3's own exceptions, so the code here and above handles plain and encrypted files alike."""

import sqlite3
from pathlib import Path
from typing import Any

from fupin_desktop.db import cipher


def connect(path: Path, *, read_only: bool = False, key: bytes | None = None) -> Any:
    """A connection to `path`; `read_only` never writes (not even a -wal/-shm it would create)."""
    if key is None and cipher.is_encrypted(path):
        key = cipher.key_near(path)
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    if key is None:
        return sqlite3.connect(target, uri=read_only)
    try:
        return _Translated(cipher.connect(target, key, uri=read_only))
    except cipher.errors() as e:
        raise _as_sqlite3(e) from e


def _as_sqlite3(e: BaseException) -> BaseException:
    if isinstance(e, sqlite3.Error):
        return e
    kind = getattr(sqlite3, type(e).__name__, sqlite3.DatabaseError)
    return kind(*e.args) if isinstance(kind, type) and issubclass(kind, sqlite3.Error) else sqlite3.Error(*e.args)


def _translating(call: Any) -> Any:
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            result = call(*args, **kwargs)
        except cipher.errors() as e:
            raise _as_sqlite3(e) from e
        return _Translated(result) if type(result).__name__ == "Cursor" else result
    return run


class _Translated:
    """A SQLCipher connection (or cursor) that raises sqlite3's exceptions."""

    def __init__(self, inner: Any):
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        return _translating(attr) if callable(attr) else attr

    def backup(self, target: Any, **kwargs: Any) -> None:
        _translating(self._inner.backup)(getattr(target, "_inner", target), **kwargs)

    def __iter__(self) -> Any:
        try:
            yield from self._inner
        except cipher.errors() as e:
            raise _as_sqlite3(e) from e

    def __enter__(self) -> "_Translated":
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return _translating(self._inner.__exit__)(*exc)
