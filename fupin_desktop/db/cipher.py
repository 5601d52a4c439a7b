"""SQLCipher: the database file (and every backup of it) encrypted with one random 256-bit key.

The key never comes from a password directly: it is wrapped in key slots (db/keyslots.py), one
per account password and one per recovery code, so changing a password never re-encrypts the
data. SQLCipher is given the raw key (`PRAGMA key = "x'…'"`), which skips its own PBKDF2: opening
a connection costs nothing extra, the slow argon2id runs once at sign-in.

A database with no account yet stays plain SQLite (nobody could unlock anything else); the
first account encrypts it in place (`encrypt_file`).
"""

import os
import sqlite3
from pathlib import Path
from typing import Any

from fupin_desktop.errors import DatabaseFileError

KEY_BYTES = 32
SQLITE_MAGIC = b"SQLite format 3\x00"
QUIET = "PRAGMA cipher_log_level = NONE"  # else a wrong key prints SQLCipher's own log lines on stderr


def _sqlcipher() -> Any:
    try:
        import sqlcipher3
    except ImportError as e:  # a broken installation: say so instead of a traceback
        raise DatabaseFileError("本程序缺少加密组件（sqlcipher3），无法打开加密的数据库。请重新安装本程序。") from e
    return sqlcipher3


def is_encrypted(path: Path) -> bool:
    """A file that exists, is not empty and is not plain SQLite (the header of an encrypted file is random)."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return len(head) == 16 and head != SQLITE_MAGIC


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path | str, key: bytes | None = None, *, uri: bool = False) -> Any:
    """A DB-API connection to `path`: sqlite3 for a plain file, sqlcipher3 keyed with `key`.

    With a key, reading the schema proves it is the right one: a wrong key or a damaged file
    raises `sqlite3.DatabaseError`-like errors ("file is not a database") here, not later.
    """
    if key is None:
        return sqlite3.connect(path, uri=uri)
    conn = _sqlcipher().connect(str(path), uri=uri)
    try:
        conn.execute(QUIET)
        conn.execute(key_pragma(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:
        conn.close()
        raise
    return conn


def database_errors() -> tuple[type[BaseException], ...]:
    """What sqlite3 and sqlcipher3 raise for a file they cannot read (wrong key, damage)."""
    errors: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)
    try:
        import sqlcipher3
        errors += (sqlcipher3.DatabaseError,)
    except ImportError:
        pass
    return errors


def errors() -> tuple[type[BaseException], ...]:
    """Every error sqlite3 and sqlcipher3 raise."""
    found: tuple[type[BaseException], ...] = (sqlite3.Error,)
    try:
        import sqlcipher3
        found += (sqlcipher3.Error,)
    except ImportError:
        pass
    return found


def engine_url(path: Path, key: bytes) -> Any:
    """The SQLAlchemy URL of an encrypted file; the key travels as the URL's (never printed) password."""
    from sqlalchemy.engine import URL

    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))


def encrypt_copy(plain: Path, target: Path, key: bytes) -> None:
    """Write an encrypted copy of the plain database `plain` to `target` (which must not exist)."""
    conn = _sqlcipher().connect(str(plain))
    try:
        conn.execute(QUIET)
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    fsync(target)


def fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
