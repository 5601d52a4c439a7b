"""Backups of the SQLite database: now, daily, the list, and restoring one safely.

Backups live in `backups/` beside the database (`db/migrate.backup_sqlite` writes them with
SQLite's online backup API, so a live database with its WAL is copied consistently). A restore
checks the backup before anything is touched, keeps a copy of the current data, then swaps the
file in with a rename; on any failure the current database is left exactly as it was.
"""

import logging
import os
import shutil
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fupin_desktop.db import cipher, contents, health, lock, raw
from fupin_desktop.db.health import integrity_problems  # noqa: F401  (the GUI's start-up check)
from fupin_desktop.db.keyslots import KeySlots, keys_file
from fupin_desktop.db.migrate import backup_files, backup_sqlite, known_revisions, rotate_backups
from fupin_desktop.db.models import LocalSetting
from fupin_desktop.db.replicas import continue_as_new_replica
from fupin_desktop.db.session import Database, storage_error
from fupin_desktop.domain.accounts import may_write
from fupin_desktop.domain.clock import CHINA
from fupin_desktop.errors import (
    DatabaseDamagedError,
    DatabaseFileError,
    FupinError,
    PermissionDeniedError,
    SchemaTooNewError,
    StorageError,
)
from fupin_desktop.paths import backups_dir
from fupin_desktop.safe_files import fsync_folder, reason, write_atomically

MANUAL, DAILY, BEFORE_RESTORE, BEFORE_IMPORT = "manual", "daily", "before-restore", "before-import"
# How the list names the labels; any other label is the schema revision saved before an upgrade.
LABEL_NAMES = {MANUAL: "手动备份", DAILY: "每日自动备份", BEFORE_RESTORE: "恢复前自动备份",
               BEFORE_IMPORT: "导入同步包前自动备份"}
MIRROR_KEY = "backup_mirror_folder"  # local_setting: a second folder (USB stick) that gets a copy
UNCHANGED = "当前数据库未做任何改动。"
RESTORE_WAIT_S = 3.0  # a restore waits this long for another program (a CLI command) to close the file
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupRow:
    path: Path
    time: datetime  # UTC, from the file name
    size: int  # bytes
    label: str  # manual / daily / before-restore / a schema revision

    @property
    def local_time(self) -> datetime:
        """When it was made, in China time."""
        return self.time.astimezone(CHINA)

    @property
    def kind(self) -> str:
        """What people read in the list: 手动备份, 每日自动备份 …"""
        return LABEL_NAMES.get(self.label, f"升级前自动备份（版本{self.label}）")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, checked and ready to show before restoring it."""

    path: Path
    revision: str
    village: str  # 新沟村 (410182104201)
    households: int
    persons: int
    last_change: datetime | None  # UTC, the newest entry of its change log
    key: str = ""  # which village (db/contents.py): a restore of another one needs a confirmation


class OtherVillageError(FupinError):
    """The backup holds another village (or a county database) than the current database: a
    restore needs an explicit confirmation that names both."""


def database_file(db: Database) -> Path:
    """The SQLite file of `db`; backups need one (a PostgreSQL hub is backed up by its own tools)."""
    if db.file is None:
        raise DatabaseFileError("当前数据库不是本机文件（如PostgreSQL服务器），请使用数据库服务器自己的备份工具。")
    return db.file


def backup_now(db: Database, *, label: str = MANUAL) -> Path:
    """Write a backup of the open database (and a copy to the second folder when one is set and
    present); returns its path. Raises StorageError when the backup itself fails; a missing or
    full second folder is only logged (see `mirror_backup` to report it)."""
    if label == MANUAL:  # the program's own backups (daily, before an upgrade) are made for anyone
        _require_writer(db, "备份数据")
    path = _backup_file(database_file(db), label, db.key)
    try:
        mirror_backup(db, path)
    except StorageError as e:
        log.warning("second backup folder: %s", e)
    return path


def backup_before_import(db: Database) -> Path | None:
    """The backup made before a sync bundle is applied (None for a database server)."""
    return None if db.file is None else backup_now(db, label=BEFORE_IMPORT)


def mirror_folder(db: Database) -> Path | None:
    """The second backup folder chosen in 设置 (e.g. on a USB stick), or None."""
    with db.reading() as s:
        setting = s.get(LocalSetting, MIRROR_KEY)
    return Path(setting.value) if setting is not None and setting.value else None


def set_mirror_folder(db: Database, folder: Path | None) -> None:
    """Choose (or, with None, forget) the second backup folder. It must exist and be writable now."""
    _require_writer(db, "设置第二备份文件夹")
    if folder is not None:
        if not folder.is_dir():
            raise StorageError(f"文件夹 {folder} 不存在（U盘没有插好？）。")
        probe = folder / f".fupin-probe-{uuid.uuid4().hex[:8]}"
        try:
            probe.write_bytes(b"x")
            probe.unlink()
        except OSError as e:
            raise StorageError(f"无法写入文件夹 {folder}：{_reason(e)}。") from e
    with db.transaction() as s:
        if folder is None:
            if (row := s.get(LocalSetting, MIRROR_KEY)) is not None:
                s.delete(row)
        else:
            s.merge(LocalSetting(key=MIRROR_KEY, value=str(folder)))


def _require_writer(db: Database, what: str) -> None:
    """A backup is the whole database with every ID number in full: not for a read-only account."""
    if not may_write(db.user):
        raise PermissionDeniedError(f"{db.user.label}不能{what}。请让第一书记或工作队员操作。")  # type: ignore[union-attr]


def mirror_backup(db: Database, backup: Path) -> Path | None:
    """Copy a finished backup to the second folder and rotate the copies there. Returns the copy,
    None when no second folder is set; raises StorageError when it is set but cannot be written."""
    folder = mirror_folder(db)
    if folder is None:
        return None
    if not folder.is_dir():
        raise StorageError(f"第二备份文件夹 {folder} 不在（U盘没有插？），这次只备份到了数据文件夹。")
    target = folder / backup.name
    partial = target.with_suffix(".part")
    _remove_stale_parts(folder, database_file(db))
    try:
        _copy(backup, partial)
        if db.slots is not None:  # an encrypted copy is of use only with its key slots beside it
            db.slots.copy_to(folder / keys_file(database_file(db)).name)
        os.replace(partial, target)
        if (note := contents.note_of(backup)).exists():  # the rotation there keeps the last good copy too
            shutil.copyfile(note, contents.note_of(target))
        rotate_backups(database_file(db), folder)
    except (OSError, StorageError) as e:
        partial.unlink(missing_ok=True)
        raise StorageError(f"复制到第二备份文件夹 {folder} 失败，这次只备份到了数据文件夹。") from e
    return target


def _remove_stale_parts(folder: Path, db_file: Path) -> None:
    """Half copies a killed run left on the stick (an hour old: no copy takes that long)."""
    now = datetime.now(UTC).timestamp()
    for partial in folder.glob(f"{db_file.stem}-*.part"):
        try:
            if now - partial.stat().st_mtime > 3600:
                partial.unlink()
        except OSError:
            continue


def _backup_file(db_file: Path, label: str, key: bytes | None = None) -> Path:
    try:
        return backup_sqlite(db_file, label=label, key=key)
    except (OSError, sqlite3.Error, FupinError) as e:
        for partial in backups_dir(db_file).glob(f"{db_file.stem}-{label}-*.part*"):
            partial.unlink(missing_ok=True)
        if isinstance(e, DatabaseDamagedError):
            raise DatabaseDamagedError(f"没有备份：{e}") from e
        if isinstance(e, FupinError):
            raise
        raise StorageError(f"备份失败：{_reason(e)}。数据库本身未受影响。") from e


def list_backups(db: Database) -> list[BackupRow]:
    """This database's backups, newest first."""
    return _backups_of(database_file(db))


def _backups_of(db_file: Path) -> list[BackupRow]:
    rows = []
    for path, label, time in backup_files(db_file):
        try:
            rows.append(BackupRow(path=path, time=time, size=path.stat().st_size, label=label))
        except OSError:  # removed meanwhile
            continue
    return rows


def last_backup_time(db: Database) -> datetime | None:
    """When the newest backup was made (UTC), or None if there is none."""
    if db.file is None:
        return None
    backups = _backups_of(db.file)
    return backups[0].time if backups else None


def daily_backup(db: Database, *, now: datetime | None = None) -> Path | None:
    """Back up unless a backup was already made today (China time); returns the new file or None."""
    if db.file is None:
        return None
    today = (now or datetime.now(UTC)).astimezone(CHINA).date()
    if any(b.local_time.date() == today for b in _backups_of(db.file)):
        return None
    return backup_now(db, label=DAILY)


# -- damaged database at start ----------------------------------------------------------------------

def in_use_marker(db_file: Path) -> Path:
    """The single marker older versions kept beside the file; found at start, it still means that
    their last run did not close the file. Now every process has its own (db/lock.py)."""
    return db_file.with_name(f"{db_file.name}.in-use")


def newest_good_backup(db_file: Path, key: bytes | None = None) -> BackupInfo | None:
    """The newest backup of `db_file` that passes every check, or None."""
    for row in _backups_of(db_file):
        try:
            return inspect_backup(row.path, key)
        except FupinError:
            continue
    return None


def replace_damaged(db_file: Path, backup: Path, *, mine: lock.Hold | None = None,
                    wait: float = RESTORE_WAIT_S, key: bytes | None = None) -> Path:
    """Put a checked backup in place of a damaged database. The damaged file is not deleted but
    renamed (returned), for a technician. Nothing is changed when the backup does not pass, or
    while a program other than the caller (holding `mine`) has the file open."""
    with lock.exclusive(db_file, mine=mine, wait=wait, doing="替换损坏的数据库"):
        return _replace_damaged(db_file, backup, key)


def _replace_damaged(db_file: Path, backup: Path, key: bytes | None = None) -> Path:
    incoming = db_file.with_name(f"{db_file.name}.restore-{uuid.uuid4().hex[:8]}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    damaged = db_file.with_name(f"{db_file.stem}-damaged-{stamp}{db_file.suffix}")
    try:
        _copy(backup, incoming)
        _check_copy(incoming, shown_as=backup, key=key)
        incoming = _encrypted(incoming, key)
        continue_as_new_replica(incoming, key=key)  # as for any restore: never reissue sequence numbers already sent
        for extra in (Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
            if extra.exists():
                os.replace(extra, Path(f"{damaged}{extra.name[len(db_file.name):]}"))
        os.replace(db_file, damaged)
        os.replace(incoming, db_file)
    except OSError as e:
        raise StorageError(f"恢复失败：{_reason(e)}。") from e
    finally:
        _remove_sqlite(incoming)
    health.clear_damage(db_file)
    fsync_folder(db_file.parent)
    return damaged


# -- restore ---------------------------------------------------------------------------------------

def inspect_backup(backup: Path, key: bytes | None = None) -> BackupInfo:
    """Check a backup file (on a copy, the file itself is never opened for writing) and say what it holds.

    Raises DatabaseFileError / SchemaTooNewError with a message for the user.
    """
    if not backup.is_file():
        raise DatabaseFileError(f"找不到备份文件 {backup}。")
    with tempfile.TemporaryDirectory(prefix="fupin-check-") as folder:  # the backup may be on a read-only stick
        scratch = Path(folder) / "backup.db"
        try:
            _copy(backup, scratch)
            return _check_copy(scratch, shown_as=backup, key=key)
        finally:
            _remove_sqlite(scratch)


def restore_backup(db_path: Path, backup: Path, *, mine: lock.Hold | None = None, other_village: bool = False,
                   wait: float = RESTORE_WAIT_S, key: bytes | None = None) -> Path:
    """Replace the database at `db_path` by `backup`; returns the copy of the data it replaced.

    The caller closes its connections to `db_path` first (passing its own open marker as `mine`)
    and reopens it afterwards (which also upgrades a backup from an older version of the
    program). Refused (DatabaseBusyError, naming who) while any other program has the file open,
    after waiting `wait` seconds for it to close; refused (OtherVillageError) when the backup
    holds another village or a county database, unless `other_village` confirms it. Steps: copy
    the backup beside the database, check the copy, back up the current database
    ("before-restore"), fold its WAL in, then rename the copy over it. Until the rename nothing is
    changed; any failure before it leaves the database as it was and raises a FupinError that
    says so. A damaged database cannot be backed up: it is renamed aside instead (and returned).
    """
    if not backup.is_file():
        raise DatabaseFileError(f"找不到备份文件 {backup}。")
    if backup.resolve() == db_path.resolve():
        raise DatabaseFileError("所选文件就是当前数据库本身，无需恢复。")
    with lock.exclusive(db_path, mine=mine, wait=wait):
        if health.recorded_damage(db_path):
            return _replace_damaged(db_path, backup, key)
        incoming = db_path.with_name(f"{db_path.name}.restore-{uuid.uuid4().hex[:8]}")
        try:
            _copy(backup, incoming)
            info = _check_copy(incoming, shown_as=backup, key=key)
            incoming = _encrypted(incoming, key)
            if not other_village and (warning := other_village_warning(db_path, info)):
                raise OtherVillageError(f"{warning}如确要恢复，请确认后再试。{UNCHANGED}")
            try:
                kept = _backup_file(db_path, BEFORE_RESTORE, key)
            except DatabaseDamagedError:  # found damaged just now: keep it aside, as at start
                _remove_sqlite(incoming)
                return _replace_damaged(db_path, backup, key)
            _checkpoint(db_path, key)
            _carry_settings(db_path, incoming)
            for extra in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
                extra.unlink(missing_ok=True)
            # the restored log must not issue sequence numbers already sent to the county again
            continue_as_new_replica(incoming, key=key)
            os.replace(incoming, db_path)
        except OSError as e:
            raise StorageError(f"恢复失败：{_reason(e)}。{UNCHANGED}") from e
        finally:
            _remove_sqlite(incoming)
        fsync_folder(db_path.parent)
        return kept


def current_contents(db_file: Path) -> contents.Contents | None:
    """What the database at `db_file` holds now (None when it cannot be read)."""
    try:
        conn = raw.connect(db_file, read_only=True)
        try:
            return contents.read(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def check_before_restore(db: Database, backup: Path) -> tuple[BackupInfo, str | None]:
    """What a backup holds (opened with this database's key) and, when it is another village's,
    the warning to confirm before it replaces this one."""
    info = inspect_backup(backup, db.key)
    return info, other_village_warning(db.file, info) if db.file is not None else None


def other_village_warning(db_file: Path, info: BackupInfo) -> str | None:
    """What a person must confirm before `info` replaces the database at `db_file`: the backup
    holds another village, or a county database (None: the same village, or nothing to lose)."""
    current = current_contents(db_file)
    if current is None or not info.key or current.key == info.key or current.key == "village:":
        return None
    kind = "县级汇总数据库" if info.key.startswith("county:") else "另一个村的数据"
    return (f"注意：备份中是{kind}：{info.village}，{info.households}户{info.persons}人；"
            f"当前数据库是 {current}。恢复后当前村的数据会被替换（恢复前会另存一份）。")


def _carry_settings(db_file: Path, incoming: Path) -> None:
    """Settings of this computer that must survive a restore: the second backup folder."""
    try:
        conn = raw.connect(db_file, read_only=True)
        try:
            row = conn.execute("SELECT value FROM local_setting WHERE key = ?", (MIRROR_KEY,)).fetchone()
        finally:
            conn.close()
        if row is None:
            return
        conn = raw.connect(incoming)
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO local_setting (key, value) VALUES (?, ?)", (MIRROR_KEY, row[0]))
        finally:
            conn.close()
    except sqlite3.Error as e:
        log.warning("second backup folder not carried over: %s", e)


def _encrypted(incoming: Path, key: bytes | None) -> Path:
    """A checked backup from before encryption, restored into an encrypted installation, is
    encrypted on the way in (the copy beside the database is replaced by its encrypted copy)."""
    if key is None or cipher.is_encrypted(incoming):
        return incoming
    encrypted = incoming.with_name(f"{incoming.name}.enc")
    try:
        cipher.encrypt_copy(incoming, encrypted, key)
    except BaseException:
        _remove_sqlite(encrypted)
        raise
    finally:
        _remove_sqlite(incoming)
    return encrypted


def restore_to_new(source: Path, target: Path) -> bool:
    """No database yet (a new laptop): the backup simply becomes the database; True when it is
    encrypted. An encrypted backup needs its key slots file, which backups keep beside them
    (backups folder, USB stick)."""
    slots = None
    if cipher.is_encrypted(source):
        found = sorted(source.parent.glob("*.keys"))
        if len(found) != 1:
            why = "，但找到了多个" if found else "，但没有找到"
            raise DatabaseFileError(f"{source.name} 是加密的备份，需要它旁边的密钥文件（.keys）{why}。"
                                    "请把备份和它的 .keys 文件放在同一文件夹。")
        slots = KeySlots.load(found[0])
    else:
        _check_copy(source, shown_as=source)
    target.parent.mkdir(parents=True, exist_ok=True)
    if slots is not None:
        slots.copy_to(keys_file(target))
    _copy(source, target)
    return slots is not None


def _copy(source: Path, target: Path) -> None:
    """Copy through the one safe writer: a power cut cannot leave a half-written file under the real name."""
    def copy(temp: Path) -> None:
        shutil.copyfile(source, temp)

    write_atomically(target, copy, failed=lambda e: StorageError(f"无法复制备份文件：{reason(e)}。{UNCHANGED}"))


def _reason(e: OSError | sqlite3.Error) -> str:
    """Why a file operation failed, in words a clerk understands."""
    if isinstance(e, OSError):
        return reason(e)
    known = storage_error(e)
    return str(known).split("，")[0] if known else str(e)


def _check_copy(copy: Path, *, shown_as: Path, key: bytes | None = None) -> BackupInfo:
    """Check a copy of a backup. With the database's `key`, an encrypted backup is opened with it (a
    plain one from before encryption is accepted too); without, only a plain one can be checked."""
    name = shown_as.name
    try:
        with copy.open("rb") as f:
            head = f.read(16)
    except OSError as e:
        raise DatabaseFileError(f"无法读取备份文件 {name}：{reason(e)}。") from e
    encrypted = head != b"SQLite format 3\x00"
    if encrypted and (key is None or len(head) < 16):  # without the key, an encrypted backup is like any file
        raise DatabaseFileError(f"文件 {name} 不是本程序的数据库备份。当前数据库未做任何改动。")
    try:
        conn = raw.connect(copy, key=key if encrypted else None)
    except sqlite3.DatabaseError as e:
        raise DatabaseFileError(f"备份文件 {name} 不是用本村的密钥加密的（其他村或其他电脑的备份），或已损坏，"
                                "无法使用。当前数据库未做任何改动。") from e
    try:
        return _check_connection(conn, shown_as)
    except sqlite3.DatabaseError as e:
        raise DatabaseFileError(f"备份文件 {name} 已损坏，无法使用（{e}）。当前数据库未做任何改动。") from e
    finally:
        conn.close()


def _check_connection(conn: sqlite3.Connection, shown_as: Path) -> BackupInfo:
    name = shown_as.name
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise DatabaseFileError(f"备份文件 {name} 已损坏（完整性检查未通过：{problems[0]}）。当前数据库未做任何改动。")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"alembic_version", "village", "household", "replica"} <= tables:
        raise DatabaseFileError(f"文件 {name} 不是本程序的数据库备份。当前数据库未做任何改动。")
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None:
        raise DatabaseFileError(f"备份文件 {name} 缺少版本信息，无法使用。当前数据库未做任何改动。")
    if revision[0] not in known_revisions():
        raise SchemaTooNewError(f"备份文件 {name} 由更新版本的扶贫工作队桌面助手创建（结构版本 {revision[0]}），"
                                "本程序无法使用。请先升级本程序。当前数据库未做任何改动。")
    if conn.execute("SELECT count(*) FROM replica WHERE is_local").fetchone()[0] != 1:
        raise DatabaseFileError(f"备份文件 {name} 缺少本机副本信息，无法使用。当前数据库未做任何改动。")
    return _describe(conn, shown_as, revision[0])


def _describe(conn: sqlite3.Connection, path: Path, revision: str) -> BackupInfo:
    held = contents.read(conn)
    # the local replica's newest change, found through the key instead of a scan of the whole log
    last = conn.execute("SELECT at FROM change_log WHERE replica_id = (SELECT id FROM replica WHERE is_local) "
                        "ORDER BY seq DESC LIMIT 1").fetchone()
    return BackupInfo(path=path, revision=revision, village=held.village, households=held.households,
                      persons=held.persons, last_change=_utc(last[0] if last else None), key=held.key)


def _utc(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        return None


def _checkpoint(db_file: Path, key: bytes | None = None) -> None:
    """Fold the WAL into the file, so nothing of the current data is only in -wal when we swap."""
    try:
        conn = raw.connect(db_file, key=key)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise (storage_error(e) or FupinError(f"无法整理当前数据库（{e}），恢复已取消。{UNCHANGED}")) from e
    if busy:
        raise StorageError(f"数据库正被另一个程序使用，恢复已取消。{UNCHANGED}请关闭其他打开该数据库的程序后重试。")


def _remove_sqlite(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass
