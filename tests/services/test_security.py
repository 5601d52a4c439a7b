"""Encryption at rest (issue 19): the first account encrypts the database in place; key slots per
password and recovery code; backups and the second folder encrypted; bad secrets and foreign or
damaged files refused with nothing changed."""

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from fupin_desktop.db import cipher
from fupin_desktop.db.keyslots import KeySlots, keys_file
from fupin_desktop.db.models import Household
from fupin_desktop.db.session import Database, open_database
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import DatabaseFileError, FupinError, PermissionDeniedError, SignInError
from fupin_desktop.services import accounts, backup, security
from fupin_desktop.services.households import save_household
from fupin_desktop.services.setup import init_village

HEAD = idcard.make("410182", date(1968, 3, 4), 7, "男")


@contextmanager
def signed_in(db_path: Path, username: str = "liming", password: str = "shuji2026") -> Iterator[Database]:
    """The encrypted file opened and signed in to (the first secretary unless said); closed afterwards."""
    db = open_database(db_path)
    try:
        accounts.sign_in(db, username, password)
        yield db
    finally:
        db.close()


def _household(db, number="001"):
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number=number, status="未脱贫", group="一组", main_cause="01"),
                       [MemberForm("张秀英", HEAD if number == "001" else idcard.make("410182", date(1970, 1, 1),
                                                                                   int(number), "女"), "户主")])


def _first_account(db):
    with db.transaction() as s:
        code = accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
    security.encrypt_for_first_account(db, username="liming", password="shuji2026", recovery_code=code)
    return code


@pytest.fixture
def encrypted(db, db_path):
    """A village database with one household, a manual backup from before the account, then encrypted."""
    _household(db)
    plain_backup = backup.backup_now(db)
    code = _first_account(db)
    db.close()
    return db_path, code, plain_backup


def test_the_first_account_encrypts_the_file_and_every_backup(encrypted):
    db_path, _code, plain_backup = encrypted
    assert cipher.is_encrypted(db_path) and keys_file(db_path).exists()
    for file in (db_path, plain_backup):  # no ID number, no name left readable (what `strings` would find)
        raw = file.read_bytes()
        assert HEAD.encode() not in raw and "张秀英".encode() not in raw and not raw.startswith(b"SQLite format 3")
    assert oct(keys_file(db_path).stat().st_mode & 0o777) == "0o600"
    assert (plain_backup.parent / keys_file(db_path).name).exists()  # the backups folder can be restored alone
    assert not list(db_path.parent.glob("*.encrypting"))


def test_a_locked_database_opens_only_with_a_password_or_the_recovery_code(encrypted):
    db_path, code, _ = encrypted
    db = open_database(db_path)
    try:
        assert db.locked
        with pytest.raises(DatabaseFileError, match="请先登录"):
            db.reading().__enter__()
        with pytest.raises(SignInError, match="^登录名或密码不正确。$"):
            accounts.sign_in(db, "liming", "wrong-password")
        with pytest.raises(SignInError, match="^登录名或密码不正确。$"):
            accounts.sign_in(db, "nobody", "shuji2026")
        assert db.locked  # nothing was opened, nothing changed
        assert accounts.sign_in(db, "liming", "shuji2026").role == "第一书记"
        with db.reading() as s:
            assert s.scalar(select(Household.number)) == "001"
    finally:
        db.close()
    db = open_database(db_path)
    try:
        with pytest.raises(SignInError, match="恢复码不正确"):
            accounts.recover_with_code(db, username="liming", code="AAAA-BBBB-CCCC-DDDD", new_password="new2026xy")
        fresh = accounts.recover_with_code(db, username="liming", code=code, new_password="new2026xy")
    finally:
        db.close()
    db = open_database(db_path)
    try:
        assert accounts.sign_in(db, "liming", "new2026xy").username == "liming"
    finally:
        db.close()
    with pytest.raises(SignInError):  # the old code's slot is gone with it
        accounts.recover_with_code(open_database(db_path), username="liming", code=code, new_password="x2026abcd")
    assert fresh != code


def test_changing_passwords_never_re_encrypts_the_data(encrypted):
    db_path, _code, _ = encrypted
    with signed_in(db_path) as db, db.transaction() as s:
        accounts.create_user(s, username="wangfang", full_name="王芳", role="工作队员", password="first2026x")
    before = db_path.read_bytes()[:4096]  # the first page: SQLCipher's salt and the schema, encrypted
    with signed_in(db_path, "wangfang", "first2026x") as db, db.transaction() as s:
        accounts.change_password(s, username="wangfang", old_password="first2026x", new_password="mine2026xy")
    assert db_path.read_bytes()[:4096] == before
    slots = KeySlots.load(keys_file(db_path))
    assert sorted((s["kind"], s["name"]) for s in slots.data["slots"]) == [
        ("password", "liming"), ("password", "wangfang"), ("recovery", "liming")]
    db = open_database(db_path)
    with pytest.raises(SignInError):
        accounts.sign_in(db, "wangfang", "first2026x")
    assert accounts.sign_in(db, "wangfang", "mine2026xy").role == "工作队员"
    db.close()


def test_a_disabled_account_can_no_longer_open_the_file(encrypted):
    db_path, _code, _ = encrypted
    with signed_in(db_path) as db, db.transaction() as s:
        accounts.create_user(s, username="wangfang", full_name="王芳", role="工作队员", password="first2026x")
        accounts.set_active(s, username="wangfang", active=False)
    assert "wangfang" not in KeySlots.load(keys_file(db_path)).names()
    with pytest.raises(SignInError, match="^登录名或密码不正确。$"):
        accounts.sign_in(open_database(db_path), "wangfang", "first2026x")


def test_a_failed_transaction_leaves_the_old_password_working(encrypted):
    db_path, _code, _ = encrypted
    db = open_database(db_path)
    accounts.sign_in(db, "liming", "shuji2026")
    with pytest.raises(RuntimeError), db.transaction() as s:
        accounts.change_password(s, username="liming", old_password="shuji2026", new_password="other2026x")
        raise RuntimeError("power cut")
    db.close()
    assert accounts.sign_in(open_database(db_path), "liming", "shuji2026")
    with pytest.raises(SignInError):
        accounts.sign_in(open_database(db_path), "liming", "other2026x")


def test_wrong_passwords_on_a_locked_file_wait_too(encrypted):
    db_path, _code, _ = encrypted
    for _ in range(3):
        with pytest.raises(SignInError):
            accounts.sign_in(open_database(db_path), "liming", "wrong-password")
    with pytest.raises(SignInError, match="请30秒后再试|后再试"):
        accounts.sign_in(open_database(db_path), "liming", "shuji2026")


def test_backups_and_the_second_folder_are_encrypted_and_restore(encrypted, tmp_path):
    db_path, _code, _ = encrypted
    stick = tmp_path / "usb"
    stick.mkdir()
    db = open_database(db_path)
    accounts.sign_in(db, "liming", "shuji2026")
    backup.set_mirror_folder(db, stick)
    made = backup.backup_now(db)
    copy = stick / made.name
    for file in (made, copy):
        assert cipher.is_encrypted(file) and HEAD.encode() not in file.read_bytes()
    assert (stick / keys_file(db_path).name).exists()
    _household(db, "002")
    info = backup.inspect_backup(copy, db.key)
    assert info.households == 1
    with pytest.raises(DatabaseFileError, match="不是本程序的数据库备份"):  # without the key it cannot even be read
        backup.inspect_backup(copy)
    key = db.key
    db.close()
    backup.restore_backup(db_path, copy, key=key)
    db = open_database(db_path, key=key)
    with db.reading() as s:
        assert s.scalars(select(Household.number)).all() == ["001"]
    db.close()


def test_a_backup_of_another_village_or_a_damaged_one_is_refused(encrypted, tmp_path):
    db_path, _code, _ = encrypted
    other = init_village(tmp_path / "other" / "fupin.db", village_code="410182104202", village_name="邻村",
                         township="汜水镇", county="荥阳市")
    with other.transaction() as s:
        code = accounts.create_first_account(s, username="zhang", full_name="张", password="linju2026x")
    security.encrypt_for_first_account(other, username="zhang", password="linju2026x", recovery_code=code)
    foreign = backup.backup_now(other)
    other.close()
    db = open_database(db_path)
    accounts.sign_in(db, "liming", "shuji2026")
    with pytest.raises(DatabaseFileError, match="不是用本村的密钥加密的"):
        backup.inspect_backup(foreign, db.key)
    damaged = tmp_path / "damaged.db"
    good = backup.backup_now(db)
    data = bytearray(good.read_bytes())
    data[5000:5100] = os.urandom(100)
    damaged.write_bytes(bytes(data))
    key = db.key
    db.close()
    before = db_path.read_bytes()
    for bad in (foreign, damaged):
        with pytest.raises(DatabaseFileError, match="当前数据库未做任何改动"):
            backup.restore_backup(db_path, bad, key=key)
    assert db_path.read_bytes() == before


def test_a_damaged_or_missing_key_file_is_a_clear_message(encrypted, tmp_path):
    db_path, _code, _ = encrypted
    saved = keys_file(db_path).read_bytes()
    keys_file(db_path).write_text("{not json", encoding="utf-8")
    with pytest.raises(DatabaseFileError, match="密钥文件 .* 已损坏"):
        open_database(db_path)
    keys_file(db_path).write_text(json.dumps({"format": "fupin-keyslots", "version": 1, "database": "x",
                                             "check": "y", "slots": [{"kind": "password", "t": 10**9}]}))
    with pytest.raises(DatabaseFileError, match="已损坏"):
        open_database(db_path)
    keys_file(db_path).unlink()
    with pytest.raises(DatabaseFileError, match="密钥文件 fupin.db.keys 不见了。备份文件夹里有一份"):
        open_database(db_path)
    keys_file(db_path).write_bytes(saved)
    assert accounts.sign_in(open_database(db_path), "liming", "shuji2026")


def test_an_interrupted_encryption_leaves_the_plain_database_working(db, db_path, monkeypatch):
    _household(db)
    with db.transaction() as s:
        code = accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")

    def power_cut(*_args, **_kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cipher, "encrypt_copy", power_cut)
    with pytest.raises(Exception, match="数据库仍是原样"):
        security.encrypt_for_first_account(db, username="liming", password="shuji2026", recovery_code=code)
    assert not cipher.is_encrypted(db_path) and not keys_file(db_path).exists()
    assert not list(db_path.parent.glob("*.encrypting"))
    with db.reading() as s:  # still open, still plain, nothing lost
        assert s.scalar(select(Household.number)) == "001"
    monkeypatch.undo()
    # a database with accounts from before encryption: the first secretary encrypts it after signing in
    accounts.sign_in(db, "liming", "shuji2026")
    fresh = security.encrypt_existing(db, password="shuji2026")
    assert cipher.is_encrypted(db_path) and fresh != code
    db.close()
    reopened = open_database(db_path)
    assert reopened.locked and accounts.sign_in(reopened, "liming", "shuji2026")
    reopened.close()


def test_only_a_signed_in_manager_encrypts_an_existing_database(db):
    with db.transaction() as s:
        accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
    accounts.sign_in(db, "liming", "shuji2026")
    with db.transaction() as s:
        accounts.create_user(s, username="wangfang", full_name="王芳", role="工作队员", password="first2026x")
    accounts.sign_in(db, "wangfang", "first2026x")
    with pytest.raises(PermissionDeniedError):
        security.encrypt_existing(db, password="first2026x")
    accounts.sign_in(db, "liming", "shuji2026")
    with pytest.raises(PermissionDeniedError, match="密码不正确"):
        security.encrypt_existing(db, password="wrong-one")
    assert security.plain_with_accounts(db)


def test_the_private_signing_key_is_sealed_with_the_database_key(db, db_path):
    from fupin_desktop.sync.keys import ensure_keys, key_dir

    keys = ensure_keys(db)
    folder = key_dir(db)
    [file] = folder.glob("*.key")
    assert "sign" in json.loads(file.read_text())  # plain while the database is plain
    _first_account(db)
    assert set(json.loads(file.read_text())) == {"format", "sealed"}
    assert keys.sign_public not in file.read_text()
    assert ensure_keys(db).sign_public == keys.sign_public  # read back with the key in memory
    db.close()
    locked = open_database(db_path)
    from fupin_desktop.sync.keys import _read_private

    with pytest.raises(Exception, match="请先登录"):
        _read_private(file, locked.key)
    accounts.sign_in(locked, "liming", "shuji2026")
    assert _read_private(file, locked.key).sign_public == keys.sign_public
    locked.close()


def test_only_this_databases_key_file_is_sealed(db, db_path):
    """A county and a village (or a test village) may keep their databases in one folder: each
    key file is sealed with its own database's key, or stays plain with a plain database."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from fupin_desktop.sync.keys import KeyPair, _write_private, ensure_keys, key_dir

    ensure_keys(db)
    neighbour = key_dir(db) / "0000000000000000.key"
    other = KeyPair(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
    _write_private(neighbour, other, None)
    _first_account(db)
    assert "sign" in json.loads(neighbour.read_text())  # the neighbour's key is still readable by it


def test_a_plain_file_copied_over_keeps_opening_as_plain(db_path, tmp_path):
    """No account, no encryption: a database without accounts is plain SQLite, as before."""
    copy = tmp_path / "copy.db"
    shutil.copy(db_path, copy)
    db = open_database(copy)
    assert not db.locked and not db.encrypted
    db.close()


def test_a_slot_cannot_be_moved_to_another_name_or_database(encrypted, tmp_path):
    db_path, _code, _ = encrypted
    slots = KeySlots.load(keys_file(db_path))
    [mine] = [s for s in slots.data["slots"] if s["kind"] == "password"]
    slots.data["slots"].append({**mine, "id": "moved", "name": "intruder"})
    slots.save()
    with pytest.raises(SignInError):  # the name is part of what the slot was sealed with
        accounts.unlock(open_database(db_path), "intruder", "shuji2026")
    other = KeySlots.create(tmp_path / "other.keys", os.urandom(32))
    assert not other.matches(accounts_key(db_path))


def accounts_key(db_path):
    db = open_database(db_path)
    accounts.unlock(db, "liming", "shuji2026")
    key = db.key
    db.close()
    return key


def test_a_damaged_encrypted_database_is_replaced_by_a_good_backup(encrypted):
    db_path, _code, plain_backup = encrypted  # the backup from before encryption is encrypted now
    db = open_database(db_path)
    accounts.sign_in(db, "liming", "shuji2026")
    good = backup.backup_now(db)
    key = db.key
    db.close()
    data = bytearray(db_path.read_bytes())
    data[4096:4096 * 3] = os.urandom(4096 * 2)
    db_path.write_bytes(bytes(data))
    assert backup.integrity_problems(db_path, key=key)
    locked = open_database(db_path)
    with pytest.raises(FupinError, match="已损坏"):
        accounts.sign_in(locked, "liming", "shuji2026")
    locked.close()
    damaged = backup.replace_damaged(db_path, good, key=key)
    assert damaged.exists() and backup.integrity_problems(db_path, key=key) == []
    db = open_database(db_path)
    assert accounts.sign_in(db, "liming", "shuji2026") and cipher.is_encrypted(db_path)
    db.close()


def test_key_slots_are_made_at_the_real_argon2id_cost(tmp_path, monkeypatch):
    """The other tests derive slot keys at the lowest cost (tests/conftest.py); this one makes and
    opens a slot at the cost the program uses (64 MiB, 3 passes), which the slot records."""
    from fupin_desktop.db import keyslots

    monkeypatch.setattr(keyslots, "KDF", keyslots.Kdf())
    key = os.urandom(32)
    slots = KeySlots.create(tmp_path / "fupin.db.keys", key)
    slots.add(keyslots.PASSWORD, "liming", "shuji2026", key)
    [slot] = slots.data["slots"]
    assert (slot["kdf"], slot["t"], slot["m"], slot["p"]) == ("argon2id", 3, 64 * 1024, 2)
    assert slots.unlock(keyslots.PASSWORD, "liming", "shuji2026") == key
