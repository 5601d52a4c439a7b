"""Backups: now, daily, the list, and restores that refuse bad files and bring back good ones."""

import errno
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fupin_desktop.db.session import open_database
from fupin_desktop.errors import DatabaseFileError, FupinError, SchemaTooNewError, StorageError
from fupin_desktop.services import backup
from fupin_desktop.services.village import add_group, group_names


def groups(db_path: Path) -> list[str]:
    db = open_database(db_path)
    try:
        with db.reading() as s:
            return group_names(s)
    finally:
        db.close()


def snapshot(db_path: Path) -> bytes:
    """The database file and its WAL, to prove a refused restore touched nothing."""
    wal = Path(f"{db_path}-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_backup_now_lists_and_dates_the_backup(db):
    assert backup.list_backups(db) == [] and backup.last_backup_time(db) is None
    before = datetime.now(UTC)
    path = backup.backup_now(db)
    assert path.parent == db.file.parent / "backups" and path.name.startswith("fupin-manual-")
    [row] = backup.list_backups(db)
    assert row.path == path and row.label == "manual" and row.kind == "手动备份"
    assert row.size == path.stat().st_size > 0
    assert before.replace(microsecond=0) <= row.time <= datetime.now(UTC)
    assert row.local_time.utcoffset().total_seconds() == 8 * 3600
    assert backup.last_backup_time(db) == row.time


def test_list_ignores_other_databases_and_stray_files(db):
    folder = db.file.parent / "backups"
    folder.mkdir()
    (folder / "fupin-old-manual-20250101T000000000000Z.txt").write_text("x")
    (folder / "fupin-notes.db").write_text("x")
    (folder / "other-manual-20250101T000000000000Z.db").write_text("x")
    newest = backup.backup_now(db, label="before-restore")
    assert [(r.path, r.kind) for r in backup.list_backups(db)] == [(newest, "恢复前自动备份")]


def test_daily_backup_once_a_day_in_china_time(db):
    # 23:30 UTC on 1 May is already 2 May in China
    assert backup.daily_backup(db, now=datetime(2025, 5, 1, 23, 30, tzinfo=UTC)) is not None
    assert backup.daily_backup(db, now=datetime.now(UTC)) is None  # made "today" (the file has today's stamp)
    assert [r.label for r in backup.list_backups(db)] == ["daily"]


def test_daily_backup_runs_again_on_a_later_day(db):
    folder = db.file.parent / "backups"
    folder.mkdir()
    shutil.copy(db.file, folder / "fupin-daily-20200101T010000000000Z.db")
    assert backup.daily_backup(db) is not None
    assert len(backup.list_backups(db)) == 2


def test_a_backup_includes_what_is_still_in_the_wal(db, tmp_path):
    with db.transaction() as s:
        add_group(s, "三组")
    path = backup.backup_now(db)
    copy = tmp_path / "copy" / "fupin.db"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    assert "三组" in groups(copy)


def test_good_restore_brings_back_old_data_and_keeps_the_current_data(db, db_path):
    old = backup.backup_now(db)
    with db.transaction() as s:
        add_group(s, "三组")
    info = backup.inspect_backup(old)
    assert info.village == "新沟村（410182104201）" and info.households == 0 and info.path == old
    db.engine.dispose()  # the caller lets go of the file
    kept = backup.restore_backup(db_path, old, mine=db.hold)
    assert groups(db_path) == ["一组", "二组"]
    assert kept.name.startswith("fupin-before-restore-") and "三组" in groups(kept)
    assert not list(db_path.parent.glob("*.restore-*"))  # no temporary files left
    assert {r.label for r in backup.list_backups(db)} == {"manual", "before-restore"}


def refused(db, db_path: Path, bad: Path, error: type[FupinError], message: str) -> None:
    with db.transaction() as s:
        add_group(s, "三组")
    db.engine.dispose()  # closing the last connection folds the WAL in
    before = snapshot(db_path)
    with pytest.raises(error, match=message) as e:
        backup.restore_backup(db_path, bad, mine=db.hold)
    assert "当前数据库未做任何改动" in str(e.value)
    assert snapshot(db_path) == before
    assert groups(db_path) == ["一组", "二组", "三组"]
    assert not list(db_path.parent.glob("*.restore-*"))
    assert not (db_path.parent / "backups").exists()  # refused before even backing up


def test_restore_refuses_a_corrupt_backup(db, db_path, tmp_path):
    bad = tmp_path / "corrupt.db"
    data = bytearray(backup.backup_now(db).read_bytes())
    shutil.rmtree(db_path.parent / "backups")
    data[4096 * 3:4096 * 6] = b"\xff" * (4096 * 3)  # scribble over a few pages after the header
    bad.write_bytes(bytes(data))
    refused(db, db_path, bad, DatabaseFileError, "已损坏")


def test_restore_refuses_a_file_that_is_not_a_database(db, db_path, tmp_path):
    bad = tmp_path / "照片.db"
    bad.write_bytes(b"\x89PNG" + b"\0" * 5000)
    refused(db, db_path, bad, DatabaseFileError, "不是本程序的数据库备份")


def test_restore_refuses_a_foreign_sqlite_database(db, db_path, tmp_path):
    bad = tmp_path / "other.db"
    conn = sqlite3.connect(bad)
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()
    refused(db, db_path, bad, DatabaseFileError, "不是本程序的数据库备份")


def test_restore_refuses_a_backup_from_a_newer_version(db, db_path, tmp_path):
    newer = tmp_path / "newer.db"
    shutil.copy(backup.backup_now(db), newer)
    shutil.rmtree(db_path.parent / "backups")
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNewError):
        backup.inspect_backup(newer)
    refused(db, db_path, newer, SchemaTooNewError, "更新版本")


def test_restore_refuses_a_missing_file_and_the_database_itself(db, db_path, tmp_path):
    db.engine.dispose()
    with pytest.raises(DatabaseFileError, match="找不到备份文件"):
        backup.restore_backup(db_path, tmp_path / "nothing.db")
    with pytest.raises(DatabaseFileError, match="当前数据库本身"):
        backup.restore_backup(db_path, db_path)


def test_backups_need_a_database_file(db, monkeypatch):
    monkeypatch.setattr(db, "file", None)
    with pytest.raises(DatabaseFileError, match="PostgreSQL"):
        backup.backup_now(db)
    assert backup.last_backup_time(db) is None and backup.daily_backup(db) is None


def test_a_full_disk_during_backup_is_a_clear_message(db, monkeypatch):
    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "backup_sqlite", full)
    with pytest.raises(StorageError, match="备份失败：磁盘空间已满。数据库本身未受影响。"):
        backup.backup_now(db)


def test_a_full_disk_during_restore_changes_nothing(db, db_path, monkeypatch):
    old = backup.backup_now(db)
    with db.transaction() as s:
        add_group(s, "三组")
    db.engine.dispose()
    before = snapshot(db_path)

    def full(_src, dst):
        Path(dst).write_bytes(b"SQLite format 3\x00")  # a partial copy, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup.shutil, "copyfile", full)
    with pytest.raises(StorageError, match="无法复制备份文件：磁盘空间已满。当前数据库未做任何改动。"):
        backup.restore_backup(db_path, old, mine=db.hold)
    assert snapshot(db_path) == before
    assert not list(db_path.parent.glob("*.restore-*"))
    assert [r.label for r in backup.list_backups(db)] == ["manual"]


def test_second_folder_gets_a_copy_and_a_missing_stick_does_not_stop_the_backup(db, tmp_path):
    stick = tmp_path / "usb"
    with pytest.raises(StorageError, match="不存在"):
        backup.set_mirror_folder(db, stick)
    stick.mkdir()
    backup.set_mirror_folder(db, stick)
    first = backup.backup_now(db)
    assert (stick / first.name).read_bytes() == first.read_bytes()
    shutil.rmtree(stick)  # the stick is pulled out
    second = backup.backup_now(db, label="before-import")
    assert second.exists() and not stick.exists()
    with pytest.raises(StorageError, match="不在"):
        backup.mirror_backup(db, second)
    backup.set_mirror_folder(db, None)
    assert backup.mirror_folder(db) is None and backup.mirror_backup(db, second) is None


def test_before_import_backups_are_named_for_people(db):
    path = backup.backup_before_import(db)
    [row] = backup.list_backups(db)
    assert row.path == path and row.kind == "导入同步包前自动备份"


def wreck(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 * 2:4096 * 6] = b"\xa5" * (4096 * 4)  # pages in the middle of the file: tables and indexes
    path.write_bytes(bytes(data))


def test_damaged_database_is_found_and_replaced_by_the_newest_good_backup(db_path):
    db = open_database(db_path)
    try:
        good = backup.backup_now(db)
        with db.transaction() as s:
            add_group(s, "三组")
        broken = backup.backup_now(db)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    assert backup.integrity_problems(db_path) == []
    wreck(broken)  # the newest backup is bad too: skipped
    wreck(db_path)
    assert backup.integrity_problems(db_path) != []
    info = backup.newest_good_backup(db_path)
    assert info is not None and info.path == good
    damaged = backup.replace_damaged(db_path, info.path)
    assert damaged.exists() and "damaged" in damaged.name
    assert backup.integrity_problems(db_path) == [] and groups(db_path) == ["一组", "二组"]


def test_not_a_database_at_all_counts_as_damaged(tmp_path):
    junk = tmp_path / "fupin.db"
    junk.write_bytes(b"hello" * 1000)
    assert backup.integrity_problems(junk) and backup.newest_good_backup(junk) is None
