"""SQLCipher: the database file (and every backup of it) encrypted with one random 256-bit key.

The key never comes from a password directly: it is wrapped in key slots (db/keyslots.py), one
per account password and one per recovery code, so changing a password never re-encrypts the
data. SQLCipher is given the raw key (`PRAGMA key = "x'…'"`), which skips its own PBKDF2: opening
a connection costs nothing extra, the slow argon2id runs once at sign-in.

A database with no account yet stays plain SQLite (nobody could unlock anything else); the
first account encrypts it in place (`encrypt_file`).
"""

import base64
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from fupin_desktop.errors import DatabaseFileError
from fupin_desktop.safe_files import write_bytes

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


def _in_both(name: str) -> tuple[type[BaseException], ...]:
    """sqlite3's exception class `name`, and sqlcipher3's when it is installed."""
    try:
        import sqlcipher3
    except ImportError:
        return (getattr(sqlite3, name),)
    return getattr(sqlite3, name), getattr(sqlcipher3, name)


def database_errors() -> tuple[type[BaseException], ...]:
    """What sqlite3 and sqlcipher3 raise for a file they cannot read (wrong key, damage)."""
    return _in_both("DatabaseError")


def errors() -> tuple[type[BaseException], ...]:
    """Every error sqlite3 and sqlcipher3 raise."""
    return _in_both("Error")


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
        # a new file, flushed once at the end and thrown away on any failure: no journal needed
        # (with one, every table is its own synced commit: 3 s instead of 0.1 s for a small register)
        conn.execute("PRAGMA encrypted.journal_mode = OFF")
        conn.execute("PRAGMA encrypted.synchronous = OFF")
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


# -- other secrets kept beside the database (the installation's private signing key) -----------------

_unlocked: dict[Path, bytes] = {}  # folder of an open encrypted database → its key (in memory only)


def remember_key(db_file: Path, key: bytes) -> None:
    """Files beside an open encrypted database (keys/…) are sealed with its key. Their readers get
    only a path (sync/keys.py), so the key is found by the database's folder."""
    _unlocked[db_file.resolve().parent] = key


def forget_key(db_file: Path) -> None:
    _unlocked.pop(db_file.resolve().parent, None)


def key_near(path: Path) -> bytes | None:
    """The key of the open encrypted database in `path`'s folder or the one above it (keys/x.key)."""
    folder = path.resolve().parent
    return _unlocked.get(folder) or _unlocked.get(folder.parent)


def seal(body: bytes, key: bytes) -> str:
    """`body` encrypted with a key derived from the database key (AES-256-GCM), as base64 text."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(_derived(key)).encrypt(nonce, body, b"fupin-sealed")).decode("ascii")


def unseal(text: str, key: bytes) -> bytes:
    """The body of `seal`; ValueError when the key is wrong or the text damaged."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = base64.b64decode(text, validate=True)
        return AESGCM(_derived(key)).decrypt(raw[:12], raw[12:], b"fupin-sealed")
    except (InvalidTag, ValueError, TypeError) as e:
        raise ValueError("cannot unseal") from e


def _derived(key: bytes) -> bytes:
    return hashlib.sha256(b"fupin-sealed-files|" + key).digest()


def write_private(path: Path, text: str) -> None:
    """A file only its owner may read (0600), through the one safe writer."""
    write_bytes(path, text.encode(), private=True)


def seal_json_files(folder: Path, key: bytes, pattern: str = "*.key") -> int:
    """Seal the plain JSON files matching `pattern` in `folder` (each replaced atomically); how many
    were sealed."""
    done = 0
    for path in folder.glob(pattern) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text("utf-8"))
            if not isinstance(data, dict) or "sealed" in data:
                continue
            write_private(path, json.dumps({"format": data.get("format"), "sealed": seal(path.read_bytes(), key)}))
            done += 1
        except (OSError, ValueError):
            continue
    return done
