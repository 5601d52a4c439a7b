"""Encryption at rest: turning a plain database into an encrypted one, in place and crash-safe.

When: right after the first account is created (the set-up wizard, `fupin users add`), or, for a
database that got its accounts before this version, when a first secretary (or county
administrator) signs in and asks for it (`fupin users encrypt`, 设置 → 账户).

Steps, each safe to interrupt: fold the WAL in and close every connection → write an encrypted
copy beside the file (`fupin.db.encrypting`) and check it (integrity, same row counts) → save
the key slots file → rename the copy over the plain file. A crash before the rename leaves the
plain database as it was (the next attempt starts again); after it, the encrypted database and its
slots are both in place: an encrypted file never exists without its key slots. The backups
already in the backups folder (and on the second folder, when plugged in) are encrypted the
same way, so no plain copy of the data stays behind in the program's folders.
"""

import os
import secrets
from pathlib import Path

from sqlalchemy import select

from fupin_desktop.db import cipher
from fupin_desktop.db.keyslots import PASSWORD, RECOVERY, KeySlots, keys_file
from fupin_desktop.db.migrate import backup_files
from fupin_desktop.db.models import LocalSetting, Replica, UserAccount
from fupin_desktop.db.session import Database, make_engine
from fupin_desktop.domain.accounts import MANAGERS
from fupin_desktop.errors import DatabaseFileError, PermissionDeniedError, StorageError
from fupin_desktop.paths import backups_dir
from fupin_desktop.safe_files import fsync_folder, reason
from fupin_desktop.services import accounts

_MIRROR_KEY = "backup_mirror_folder"  # services.backup.MIRROR_KEY (that module imports this one's callers)


def plain_with_accounts(db: Database) -> bool:
    """A file database that has accounts but is not encrypted yet (made before encryption existed)."""
    if db.file is None or db.encrypted:
        return False
    with db.reading() as s:
        return accounts.has_accounts(s)


def encrypt_for_first_account(db: Database, *, username: str, password: str, recovery_code: str) -> None:
    """Encrypt the database of a new installation, just after its first account was committed.
    (Already encrypted — a backup from before the first account, restored — the account gets its slots.)"""
    def fill(slots: KeySlots, key: bytes) -> None:
        slots.add(PASSWORD, username, password, key)
        slots.add(RECOVERY, username, accounts.normal_code(recovery_code), key)
    if db.encrypted and db.slots is not None and db.key is not None:
        fill(db.slots, db.key)
        db.slots.save()
        return
    _encrypt(db, fill)


def encrypt_existing(db: Database, *, password: str) -> str:
    """Encrypt a database that already has accounts; the signed-in manager's `password` gets the
    first slot. Returns the manager's NEW recovery code (the old one cannot have a slot: only its
    hash is known). The other accounts need a password reset by the manager before they can sign
    in again (their passwords are not known here, so no slot can be made for them)."""
    user = db.user
    if user is None or user.role not in MANAGERS:
        raise PermissionDeniedError("只有第一书记或县级管理员登录后才能加密数据库。")
    if db.file is None:
        raise DatabaseFileError("数据库服务器（PostgreSQL）由服务器自己的磁盘加密保护，本程序不对它加密。")
    if db.encrypted:
        raise DatabaseFileError("数据库已经加密。")
    with db.reading() as s:
        account = s.scalar(select(UserAccount).where(UserAccount.username == user.username))
        if account is None or not accounts.verify(account.password_hash, password):
            raise PermissionDeniedError("密码不正确，数据库没有加密。")
    with db.transaction() as s:
        code = accounts.new_recovery_code_for(s, user.username)

    def fill(slots: KeySlots, key: bytes) -> None:
        slots.add(PASSWORD, user.username, password, key)
        slots.add(RECOVERY, user.username, accounts.normal_code(code), key)
    _encrypt(db, fill)
    return code


def _encrypt(db: Database, fill) -> None:
    path = db.file
    if path is None or db.encrypted:
        return
    key = secrets.token_bytes(cipher.KEY_BYTES)
    slots = KeySlots.create(keys_file(path), key)
    fill(slots, key)
    mirror = _mirror_folder(db)
    work = path.with_name(f"{path.name}.encrypting")
    with db.engine.connect() as conn:  # everything into the main file, then no connection stays open
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.engine.dispose()
    try:
        if Path(f"{path}-wal").exists() and Path(f"{path}-wal").stat().st_size > 0:
            raise StorageError("数据库正被另一个程序使用，没有加密。请关闭其他打开该数据库的程序后重试。")
        work.unlink(missing_ok=True)  # left by an attempt that was interrupted
        cipher.encrypt_copy(path, work, key)
        _same_content(path, work, key)
        slots.save()
        os.replace(work, path)
        fsync_folder(path.parent)
        for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            extra.unlink(missing_ok=True)
    except OSError as e:
        raise StorageError(f"加密数据库失败（{reason(e)}），数据库仍是原样，未加密。"
                           "请检查磁盘空间后重试。") from e
    finally:
        work.unlink(missing_ok=True)
    db.slots, db.key = slots, key
    db._attach(make_engine(cipher.engine_url(path, key)))
    with db.reading() as session:  # this installation's private signing key (sync/keys.py names its file)
        sign_key = session.scalar(select(Replica.sign_key).where(Replica.is_local))
    if sign_key:  # only ours: another database's key file may share the folder
        cipher.seal_json_files(path.parent / "keys", key, f"{sign_key[:16]}.key")
    for folder in (backups_dir(path), mirror):
        if folder is not None and folder.is_dir():
            encrypt_backups(path, folder, slots, key)


def _same_content(plain: Path, encrypted: Path, key: bytes) -> None:
    """The encrypted copy opens with the key, passes the integrity check and has every row."""
    a, b = cipher.connect(plain), cipher.connect(encrypted, key)
    try:
        if b.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DatabaseFileError("加密后的副本检查未通过，数据库仍是原样，未加密。")
        tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for t in tables:
            query = f'SELECT count(*) FROM "{t}"'
            if a.execute(query).fetchone() != b.execute(query).fetchone():
                raise DatabaseFileError(f"加密后的副本与原数据库不一致（{t}），数据库仍是原样，未加密。")
    finally:
        a.close()
        b.close()


def encrypt_backups(db_file: Path, folder: Path, slots: KeySlots, key: bytes) -> int:
    """Encrypt the plain backups of `db_file` in `folder` (each replaced only once its copy is
    complete) and put the key slots beside them. Returns how many were encrypted."""
    done = 0
    unreadable: tuple[type[BaseException], ...] = (OSError, *cipher.database_errors())
    for backup, _label, _time in backup_files(db_file, folder):
        if cipher.is_encrypted(backup):
            continue
        work = backup.with_name(f"{backup.name}.encrypting")
        try:
            work.unlink(missing_ok=True)
            cipher.encrypt_copy(backup, work, key)
            os.replace(work, backup)
            done += 1
        except unreadable:
            work.unlink(missing_ok=True)  # a damaged or unreadable backup stays as it is
    try:
        slots.copy_to(folder / keys_file(db_file).name)
    except OSError:
        pass
    return done


def _mirror_folder(db: Database) -> Path | None:
    with db.reading() as s:
        row = s.get(LocalSetting, _MIRROR_KEY)
    return Path(row.value) if row is not None and row.value else None
