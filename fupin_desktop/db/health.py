"""What is wrong with a database file, told apart: disk full, read-only medium, permission denied,
locked, storage device error, or real damage. Only damage offers a backup in the file's place;
the other five leave the data intact and say what to do about the disk.

A file found damaged is recorded in `fupin.db.damaged` beside it (what was found, when): from
then on every program refuses to write to it and to back it up (a copy of a damaged file would
rotate the good backups away) until a check passes again or a backup replaces it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from fupin_desktop import safe_files
from fupin_desktop.db import raw
from fupin_desktop.db.keyslots import keys_file
from fupin_desktop.errors import DatabaseBusyError, DatabaseDamagedError, FupinError, StorageError

SQLITE_MAGIC = b"SQLite format 3\x00"
AFTER = "本次操作没有保存，数据库本身没有损坏。"
FULL = f"磁盘空间已满，{AFTER}请清理磁盘（删除不用的文件、清空回收站）后重试。"
READ_ONLY = f"数据库所在的磁盘是只读的（写保护的U盘或光盘？），{AFTER}请把数据文件夹复制到本机硬盘后再打开。"
DENIED = f"没有写入数据库文件的权限，{AFTER}请在文件属性中取消“只读”，或用有权限的账户运行本程序。"
LOCKED = "数据库正被另一个程序占用，本次操作没有保存。请关闭其他打开该数据库的程序后重试。"
DEVICE = "读写磁盘出错（U盘被拔出或磁盘故障？），本次操作没有保存。请检查存储设备后重试。"
_DAMAGE_WORDS = ("malformed", "file is not a database", "not a database", "corrupt")


def diagnose(e: BaseException, file: Path | None = None) -> FupinError | None:
    """The user's version of a storage failure (StorageError) or of damage (DatabaseDamagedError);
    None when `e` is neither (a bug, or a constraint)."""
    if isinstance(e, FupinError):
        return e
    if isinstance(e, OSError):
        return _os_error(e, file)
    text = str(getattr(e, "orig", None) or e).lower()
    if "database or disk is full" in text or "disk is full" in text:
        return StorageError(FULL)
    if "database is locked" in text or "database table is locked" in text:
        return DatabaseBusyError(LOCKED)
    if "readonly database" in text or "read-only" in text:
        return StorageError(READ_ONLY if _read_only_medium(file) else DENIED)
    if "unable to open database file" in text:
        return _cannot_open(file)
    if "disk i/o error" in text:
        return StorageError(FULL if _disk_full(file) else DEVICE)
    if any(word in text for word in _DAMAGE_WORDS):
        return damaged(file, str(getattr(e, "orig", None) or e))
    return None


def damaged(file: Path | None, problem: str, *, record: bool = True) -> DatabaseDamagedError:
    """The error for a damaged file (recorded, unless it already is)."""
    where = f"数据库文件 {file}" if file is not None else "数据库文件"
    if file is not None and record:
        record_damage(file, [problem])
    return DatabaseDamagedError(f"{where}已损坏（{problem}）。为免损坏扩大，程序不再向它写入，也不再备份它。"
                                "请从备份恢复：在“设置 → 备份”中恢复，或运行 “fupin restore 备份文件”；"
                                "损坏的文件会改名保留。")


def _os_error(e: OSError, file: Path | None) -> StorageError:
    what = safe_files.kind(e)  # the one errno table; the database's own advice for each kind
    if what == safe_files.DENIED and _read_only_medium(file):
        what = safe_files.READ_ONLY
    if what is None:
        return StorageError(f"读写数据库文件出错（{safe_files.reason(e)}），本次操作没有保存。请检查存储设备后重试。")
    return StorageError({safe_files.FULL: FULL, safe_files.READ_ONLY: READ_ONLY, safe_files.DENIED: DENIED,
                         safe_files.DEVICE: DEVICE}[what])


def _cannot_open(file: Path | None) -> StorageError:
    if file is None:
        return StorageError(DEVICE)
    folder = file.parent
    if not folder.is_dir():
        return StorageError(f"数据库所在的文件夹 {folder} 不存在（U盘被拔出？）。请插好U盘或检查路径后重试。")
    if _read_only_medium(file):
        return StorageError(READ_ONLY)
    if _disk_full(file):
        return StorageError(FULL)
    return StorageError(DENIED)


def _read_only_medium(file: Path | None) -> bool:
    if file is None or not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(file.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _disk_full(file: Path | None) -> bool:
    try:
        return file is not None and shutil.disk_usage(file.parent).free < 1024 * 1024
    except OSError:
        return False


# -- the integrity check and the record of damage ----------------------------------------------

def integrity_problems(db_file: Path, *, limit: int = 5, quick: bool = False, key: bytes | None = None) -> list[str]:
    """What `PRAGMA integrity_check` finds wrong with the file ([] when it is sound). Storage
    trouble (full disk, no permission, locked) raises StorageError instead: it is not damage.

    Opens the file read-only (the check itself never writes); a file whose header is gone counts
    as damaged. `quick` runs `quick_check` (every page and b-tree, not index contents): at start
    it costs 0.6 s instead of 3 s on a 50,000-household database. Damage found is recorded.
    An encrypted file is opened with `key`, or with the key of its open database (db/raw.py).
    """
    try:
        conn = raw.connect(db_file, read_only=True, key=key)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}({int(limit)})")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        known = diagnose(e, db_file)
        if isinstance(known, StorageError):
            raise known from e
        rows = [str(e)]
    if rows == ["ok"]:
        return []
    record_damage(db_file, rows)
    return rows


def header_problem(db_file: Path) -> str | None:
    """Why the first bytes show a damaged database ("" for a file that is simply something else,
    None for a sound header or an empty file). A header wiped to zeros, or any other header on a
    file that has backups of ours, is damage."""
    try:
        with db_file.open("rb") as f:
            head = f.read(100)
    except OSError as e:
        raise _os_error(e, db_file) from e
    if not head or head.startswith(SQLITE_MAGIC):
        return None
    slots = keys_file(db_file)
    if head.strip(b"\x00") and (slots.exists() or (db_file.parent / "backups" / slots.name).exists()):
        return None  # encrypted (db/cipher.py): random by design; a missing key file is said when opening
    if not head.strip(b"\x00"):
        return "文件头被清零"
    backups = db_file.parent / "backups"
    if backups.is_dir() and any(backups.glob(f"{db_file.stem}-*.db")):
        return "文件头已损坏"
    return ""


def damage_file(db_file: Path) -> Path:
    return db_file.with_name(f"{db_file.name}.damaged")


def record_damage(db_file: Path, problems: list[str]) -> None:
    """Remember that `db_file` failed its check (kept until a check passes or it is replaced)."""
    note = {"found": datetime.now(UTC).isoformat(), "problems": problems[:5]}
    try:
        damage_file(db_file).write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # a full or read-only disk: every later start checks again anyway


def recorded_damage(db_file: Path | None) -> list[str]:
    """What the last failed check found ([] when the file has not failed one)."""
    if db_file is None:
        return []
    try:
        note = json.loads(damage_file(db_file).read_text(encoding="utf-8"))
        return [str(p) for p in note.get("problems", [])] or ["完整性检查未通过"]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, AttributeError):
        return ["完整性检查未通过"]


def clear_damage(db_file: Path) -> None:
    try:
        damage_file(db_file).unlink(missing_ok=True)
    except OSError:
        pass
