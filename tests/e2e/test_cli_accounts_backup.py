"""`fupin users …`, `fupin backup` and `fupin restore` as a user runs them."""

import json
import shutil
import sqlite3

from tests.cli import fupin, fupin_process, process


@process
def test_users_first_secretary_gets_a_recovery_code_then_members(db_path):
    """Passwords through a real pipe, lines read one by one (the rest in this process, where key
    derivation runs at the tests' low cost: tests/conftest.py)."""
    r = fupin("--db", db_path, "users", "add", "liming", "--name", "李明", input_="shuji2026\n")
    assert "已建立账户 liming" in r.stdout and "恢复码" in r.stdout and "数据库已加密" in r.stdout
    as_liming = ("--db", db_path, "--user", "liming", "--password-stdin")
    r = fupin_process(*as_liming, "users", "add", "wangfang", "--name", "王芳", input_="shuji2026\nfirst123\n")
    assert "首次登录时须修改密码" in r.stdout
    fupin(*as_liming, "users", "role", "wangfang", "只读", input_="shuji2026\n")
    users = json.loads(fupin(*as_liming, "users", "--json", input_="shuji2026\n").stdout)
    assert [(u["username"], u["role"]) for u in users] == [("liming", "第一书记"), ("wangfang", "只读")]
    r = fupin(*as_liming, "users", "add", "x", "--name", "某", input_="shuji2026\n111\n", check=False)
    assert r.returncode == 2 and "登录名为2–32个字符" in r.stderr and "密码至少8位" in r.stderr


def test_users_reset_by_the_first_secretary_and_recovery_with_the_code(db_path):
    r = fupin("--db", db_path, "users", "add", "liming", "--name", "李明", input_="shuji2026\n")
    code = r.stdout.split("只显示这一次）：")[1].split()[0]
    as_liming = ("--db", db_path, "--user", "liming", "--password-stdin")
    fupin(*as_liming, "users", "add", "wangfang", "--name", "王芳", input_="shuji2026\nfirst123\n")
    r = fupin(*as_liming, "users", "reset", "wangfang", input_="shuji2026\nreset2026x\n")
    assert "已重设 wangfang 的密码" in r.stdout
    r = fupin(*as_liming, "users", "reset", "ghost", input_="shuji2026\nabc12345\n", check=False)
    assert r.returncode == 2 and "没有登录名为“ghost”的账户" in r.stderr
    # the first secretary forgot the password: the recovery code sets a new one (no sign-in needed)
    r = fupin("--db", db_path, "--password-stdin", "users", "recover", "liming", input_=f"{code}\nnew2026xy\n")
    assert "新的恢复码" in r.stdout
    r = fupin("--db", db_path, "--user", "liming", "--password-stdin", "users", "log", input_="new2026xy\n")
    assert "用恢复码重设密码" in r.stdout and "重设密码\twangfang" in r.stdout


def test_backup_then_restore_brings_the_old_data_back(db_path, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    fupin("--db", db_path, "backup", "--second-folder", stick)
    r = fupin("--db", db_path, "backup")
    made = r.stdout.split("已备份到 ")[1].split("\n")[0]
    assert "并复制到" in r.stdout and (stick / made.rsplit("/", 1)[1]).exists()
    fupin("--db", db_path, "users", "add", "liming", "--name", "李明", input_="shuji2026\n")
    r = fupin("--db", db_path, "--user", "liming", "--password-stdin", "restore", made, "--yes", input_="shuji2026\n")
    assert "新沟村" in r.stdout and "已恢复" in r.stdout
    # the backup from before the account is restored encrypted (the installation's key stays)
    assert not db_path.read_bytes().startswith(b"SQLite format 3")
    as_liming = ("--db", db_path, "--user", "liming", "--password-stdin")
    r = fupin(*as_liming, "users", "--json", input_="shuji2026\n")  # the password's key slot opens it …
    assert json.loads(r.stdout) == []  # … and the account itself came after the backup
    listed = fupin(*as_liming, "backup", "--list", input_="shuji2026\n").stdout
    assert "恢复前自动备份" in listed and "手动备份" in listed


def test_restore_refuses_a_file_that_is_not_a_backup(db_path, tmp_path):
    junk = tmp_path / "photo.db"
    junk.write_bytes(b"\x89PNG not a database" * 100)
    before = db_path.read_bytes()
    r = fupin("--db", db_path, "restore", junk, "--yes", check=False)
    assert r.returncode == 2 and "不是本程序的数据库备份" in r.stderr
    assert db_path.read_bytes() == before
    newer = tmp_path / "newer.db"
    shutil.copy(db_path, newer)
    conn = sqlite3.connect(newer)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    r = fupin("--db", db_path, "restore", newer, "--yes", check=False)
    assert r.returncode == 2 and "更新版本" in r.stderr and db_path.read_bytes() == before


def test_roles_bind_the_command_line(db_path, tmp_path):
    """A 只读 account on a shared laptop: no account changes, no import, no backup, masked ID numbers."""
    from datetime import date

    from fupin_desktop.db.session import open_database
    from fupin_desktop.domain import idcard
    from fupin_desktop.domain.household import HouseholdForm, MemberForm
    from fupin_desktop.services.households import save_household

    number = idcard.make("410182", date(1968, 3, 4), 7, "男")
    db = open_database(db_path)
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number="001", status="未脱贫", group="一组", main_cause="01"),
                       [MemberForm("张三明", number, "户主")])
    db.close()
    fupin("--db", db_path, "users", "add", "liming", "--name", "李明", input_="shuji2026\n")
    as_liming = ("--db", db_path, "--user", "liming", "--password-stdin")
    fupin(*as_liming, "users", "add", "ro1", "--name", "赵乡干", "--role", "只读", input_="shuji2026\nxiang2026\n")
    as_ro1 = ("--db", db_path, "--user", "ro1", "--password-stdin")
    fupin(*as_ro1, "users", "passwd", input_="xiang2026\nmine2026ro\n")
    for command, extra in ((("users", "role", "ro1", "第一书记"), ""), (("users", "reset", "liming"), "hacked2026\n"),
                           (("backup",), "")):
        r = fupin(*as_ro1, *command, input_="mine2026ro\n" + extra, check=False)
        assert r.returncode == 2 and ("不能管理账户" in r.stderr or "不能备份数据" in r.stderr), r.stderr
    r = fupin(*as_liming, "users", "log", input_="shuji2026\n")
    assert "修改角色" not in r.stdout and "新建账户\tro1" in r.stdout
    r = fupin(*as_ro1, "users", "log", input_="mine2026ro\n", check=False)
    assert r.returncode == 2 and "不能管理账户" in r.stderr
    r = fupin(*as_liming, "households", "--json", input_="shuji2026\n")
    r2 = fupin(*as_ro1, "households", "--json", input_="mine2026ro\n")
    [full], [masked] = json.loads(r.stdout)["households"], json.loads(r2.stdout)["households"]
    assert full["id_number"] == number and masked["id_number"] == idcard.mask(number)
