"""Never lose a saved record (issue 18), with real processes, real kills, a real full disk:

1. one writer: a restore refuses while another program writes (and says who), none of that
   program's commits is lost; a second window is refused;
2. rotation never deletes the last good copy; a restore of another village needs a confirmation
   naming both; the second backup folder survives a restore; a damaged file is not backed up;
3. the right diagnosis: a full disk is not damage; `fupin check` reports damage (exit 1, no
   traceback); nothing writes to a file that failed its check; a wiped header is damage;
5. a kill leaves nothing behind for long: leftovers are cleaned at the next start, a killed
   demo can be redone, every process has its own in-use marker.
(4, oversized rosters: tests/services/test_roster_limits.py and the CLI test at the end here.)
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fupin_desktop.db import contents, health, lock
from fupin_desktop.db.session import open_database
from fupin_desktop.errors import DatabaseBusyError, DatabaseDamagedError, StorageError
from fupin_desktop.services import backup
from fupin_desktop.services.setup import init_village
from tests.cli import Result, fupin
from tests.processes import HOLDER, child_env, kill, make_backup, start

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

SAVER = r"""
import sys
from datetime import date, timedelta
from fupin_desktop.db import lock
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.services.households import save_household

lock.this_process(sys.argv[2])
db = open_database(sys.argv[1])
print("ready", flush=True)
for n in range(1, 100000):
    born = date(1940, 1, 1) + timedelta(days=n)
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number=f"{n:05d}", status="一般农户"),
                       [MemberForm(f"户主{n}", idcard.make("410182", born, 1, "男"), "户主")])
    print(n, flush=True)  # only after the commit returned
"""


def cli(db: Path, *args: object, input: str | None = None) -> Result:
    """`fupin --db db …` in this process (tests/cli.py); the programs that are killed or hold the
    file open meanwhile are real processes (SAVER, HOLDER, FILLER)."""
    return fupin("--db", db, *args, input_=input, check=False)


def numbers(db_path: Path) -> set[int]:
    conn = sqlite3.connect(db_path)
    try:
        return {int(n) for (n,) in conn.execute("SELECT number FROM household")}
    finally:
        conn.close()


# -- 1. one writer --------------------------------------------------------------------------------

@pytest.mark.slow  # real processes, one killed
def test_a_restore_refuses_while_another_program_writes_and_none_of_its_writes_is_lost(db_path):
    old = make_backup(db_path)
    saver = start(SAVER, db_path, "命令 fupin import-xlsx")
    committed = [int(saver.stdout.readline()) for _ in range(5)]
    refused = cli(db_path, "restore", "--yes", "--wait", "0.5", old)
    committed += [int(saver.stdout.readline()) for _ in range(5)]  # it carries on writing
    committed += [int(x) for x in kill(saver).split()]
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "另一个程序（命令 fupin import-xlsx）" in refused.stderr and "恢复已取消" in refused.stderr
    assert set(committed) <= numbers(db_path)  # every commit of the writer is still there
    assert [r.label for r in backup._backups_of(db_path)] == ["manual"]  # refused before any backup
    # the writer was killed: its marker is stale, and the restore now goes ahead
    done = cli(db_path, "restore", "--yes", old)
    assert done.returncode == 0, done.stderr
    assert numbers(db_path) == set()
    kept = next(r.path for r in backup._backups_of(db_path) if r.label == "before-restore")
    assert set(committed) <= numbers(kept)  # and the before-restore copy holds every write


def test_a_restore_in_the_window_refuses_while_a_command_has_the_file_open(db, db_path):
    old = backup.backup_now(db)
    holder = start(HOLDER, db_path, "命令 fupin print", "cli")
    try:
        db.engine.dispose()
        before = db_path.read_bytes()
        with pytest.raises(DatabaseBusyError, match=r"另一个程序（命令 fupin print）（进程\d+") as e:
            backup.restore_backup(db_path, old, mine=db.hold, wait=0.3)
        assert "数据库未做任何改动" in str(e.value)
        with pytest.raises(DatabaseBusyError, match="替换损坏的数据库已取消"):
            backup.replace_damaged(db_path, old, mine=db.hold, wait=0)
        assert db_path.read_bytes() == before
    finally:
        kill(holder)
    backup.restore_backup(db_path, old, mine=db.hold)  # the holder is gone (killed): no wait


def test_every_process_has_its_own_marker(db_path):
    first, second = open_database(db_path), open_database(db_path)
    try:
        assert first.hold.path != second.hold.path and len(lock.others(db_path)) == 2
        second.close()  # closing one leaves the other's marker alone
        assert [h.pid for h in lock.others(db_path)] == [os.getpid()] and first.hold.path.exists()
    finally:
        first.close()
    assert lock.others(db_path) == []


# -- 2. backups that cannot rotate the last good copy away ----------------------------------------------

def test_a_restore_of_another_village_is_confirmed_and_rotation_keeps_the_real_village(db_path, tmp_path):
    db = open_database(db_path)
    stick = tmp_path / "U盘"
    stick.mkdir()
    backup.set_mirror_folder(db, stick)
    db.close()
    manual = make_backup(db_path)
    other = init_village(tmp_path / "other" / "fupin.db", village_code="410182104299", village_name="石桥村",
                         township="汜水镇", county="荥阳市")
    other_backup = backup.backup_now(other)
    other.close()

    refused = cli(db_path, "restore", "--yes", other_backup)
    assert refused.returncode == 2 and "另一个村" in refused.stdout + refused.stderr
    assert "石桥村（410182104299），0户0人" in refused.stdout and "新沟村（410182104201）" in refused.stdout
    asked = cli(db_path, "restore", other_backup, input="y\n")  # a plain y is not enough
    assert asked.returncode == 1 and "请输入“石桥村”确认" in asked.stdout
    done = cli(db_path, "restore", "--yes", "--other-village", other_backup)
    assert done.returncode == 0, done.stderr
    for _ in range(6):
        made = cli(db_path, "backup")
        assert made.returncode == 0 and "并复制到" in made.stdout  # the second folder survived the restore
    notes = [contents.read_note(r.path) for r in backup._backups_of(db_path)]
    assert [n.village for n in notes].count("新沟村（410182104201）") == 1  # the last good copy of it
    assert "新沟村（410182104201）" in {n.village for n in map(contents.read_note, stick.glob("*.db"))}
    kept = next(r for r in backup._backups_of(db_path) if contents.read_note(r.path).key.endswith("104201"))
    assert kept.label == "before-restore" and not manual.exists()  # a newer good copy of it made the manual one go


def wreck(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 * 2:4096 * 6] = b"\xa5" * (4096 * 4)  # pages in the middle of the file: tables and indexes
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_not_backed_up_written_or_passed_by_check(db_path, tmp_path):
    good = make_backup(db_path)
    wreck(db_path)
    before = sorted(p.name for p in (db_path.parent / "backups").iterdir())
    for _ in range(3):
        refused = cli(db_path, "backup")
        assert refused.returncode == 2 and "已损坏" in refused.stderr and "Traceback" not in refused.stderr
    assert sorted(p.name for p in (db_path.parent / "backups").iterdir()) == before  # the good one stays
    check = cli(db_path, "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert "数据库文件已损坏" in check.stdout
    write = cli(db_path, "backup", "--second-folder", tmp_path)  # any write
    assert write.returncode == 2 and "不再向它写入" in write.stderr and "Traceback" not in write.stderr
    done = cli(db_path, "restore", "--yes", good)  # the damaged file is kept aside, renamed
    assert done.returncode == 0, done.stderr
    assert list(db_path.parent.glob("fupin-damaged-*.db")) and not health.recorded_damage(db_path)
    assert cli(db_path, "check").returncode == 0


# -- 3. a full disk is not damage --------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A real 3 MB file system (tmpfs), where the machine allows mounting one."""
    folder = tmp_path / "small"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small file system here")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


FILLER = r"""
import sys
from datetime import date, timedelta
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import FupinError
from fupin_desktop.services.households import save_household

db = open_database(sys.argv[1])
n = 0
try:
    while True:
        n += 1
        with db.transaction() as s:
            save_household(s, None, HouseholdForm(number=f"{n:05d}", status="一般农户", address="路" * 300),
                           [MemberForm(f"户主{n}", idcard.make("410182", date(1940, 1, 1) + timedelta(days=n), 1, "男"),
                                       "户主")])
except FupinError as e:
    print(n - 1, type(e).__name__, e)
db.close()
"""


def test_a_full_disk_is_told_as_such_never_as_damage(small_disk, db_path):
    target = small_disk / "fupin.db"
    shutil.copy(db_path, target)
    full = subprocess.run([sys.executable, "-c", FILLER, str(target)], capture_output=True, text=True,
                          env=child_env(), timeout=300)
    assert "Traceback" not in full.stderr, full.stderr
    saved, kind, message = full.stdout.split(" ", 2)
    assert kind == "StorageError" and "磁盘空间已满" in message and "没有损坏" in message
    assert not health.recorded_damage(target)
    assert health.integrity_problems(target, quick=True) == []  # what the window checks at start
    check = cli(target, "check")
    assert check.returncode == 0 and f"{saved}户" in check.stdout
    assert numbers(target) == set(range(1, int(saved) + 1))
    assert not list(lock.folder(target).glob("*.json"))  # closed cleanly despite the full disk
    # the same stick write-protected: a read-only medium, not damage either
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode == 0
    write = cli(target, "backup", "--second-folder", small_disk)
    assert write.returncode == 2 and "只读" in write.stderr and "损坏" not in write.stderr.replace("没有损坏", "")
    assert "Traceback" not in write.stderr
    assert cli(target, "households").returncode == 0  # reading still works


def test_storage_errors_are_told_apart(tmp_path):
    file = tmp_path / "fupin.db"
    said = {text: str(health.diagnose(sqlite3.OperationalError(text), file)) for text in (
        "database or disk is full", "database is locked", "disk I/O error", "attempt to write a readonly database")}
    assert "磁盘空间已满" in said["database or disk is full"]
    assert "另一个程序占用" in said["database is locked"]
    assert "读写磁盘出错" in said["disk I/O error"]
    assert "没有写入数据库文件的权限" in said["attempt to write a readonly database"]
    assert all(not isinstance(health.diagnose(sqlite3.OperationalError(t), file), DatabaseDamagedError) for t in said)
    damage = health.diagnose(sqlite3.DatabaseError("database disk image is malformed"), file)
    assert isinstance(damage, DatabaseDamagedError) and health.recorded_damage(file)
    assert isinstance(health.diagnose(OSError(28, "No space left on device"), file), StorageError)
    assert health.diagnose(sqlite3.IntegrityError("UNIQUE constraint failed: household.number"), file) is None


# -- 5. clean after a kill -------------------------------------------------------------------------

KILLED_MIDWAY = r"""
import sys, time
from pathlib import Path
from fupin_desktop.db import migrate
from fupin_desktop.db.session import open_database
from fupin_desktop.safe_files import write_atomically
from fupin_desktop.services import backup

path = Path(sys.argv[1])
db = open_database(path)
what = sys.argv[2]
if what == "backup":  # stop once the half-written backup is on disk
    migrate._fsync = lambda p: (print("ready", flush=True), time.sleep(600))
    backup.backup_now(db)
elif what == "restore":  # stop while the restore checks its copy beside the database
    backup._check_copy = lambda *a, **k: (print("ready", flush=True), time.sleep(600))
    db.engine.dispose()
    backup.restore_backup(path, Path(sys.argv[3]), mine=db.hold)
else:  # printing into the data folder
    write_atomically(path.parent / "明白卡.pdf", lambda tmp: (tmp.write_bytes(b"%PDF-1.4"),
                     print("ready", flush=True), time.sleep(600)), opened_in="PDF 阅读器")
"""


@pytest.mark.slow  # real processes, one killed
def test_what_a_kill_leaves_is_cleaned_at_the_next_start(db_path):
    old = make_backup(db_path)
    folder = db_path.parent

    def leftovers() -> list[str]:
        return sorted(p.name for p in [*folder.glob(".~*.tmp"), *folder.glob("*.restore-*"),
                                       *(folder / "backups").glob("*.part*")])
    for what, pattern in (("backup", "fupin-manual-"), ("restore", "fupin.db.restore-"), ("print", ".~明白卡.")):
        kill(start(KILLED_MIDWAY, db_path, what, old))
        [left] = leftovers()
        assert left.startswith(pattern)
        assert len(list(lock.folder(db_path).glob("*.json"))) == 1  # a run that never closed the file
        listed = cli(db_path, "backup", "--list")  # the next start
        assert listed.returncode == 0 and "共1个备份" in listed.stdout
        assert leftovers() == [] and not list(lock.folder(db_path).glob("*.json"))


@pytest.mark.slow  # real processes, one killed
def test_a_killed_demo_can_be_redone(tmp_path):
    target = tmp_path / "demo.db"
    proc = subprocess.Popen([sys.executable, "-m", "fupin_desktop.cli", "--db", str(target), "demo"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_env())
    for line in proc.stderr:  # kill once it writes the tables
        if "写入" in line:
            break
    kill(proc)
    assert target.exists()
    opened = cli(target, "households")
    assert opened.returncode == 2 and "被中断" in opened.stderr and "fupin demo" in opened.stderr
    again = cli(target, "demo")
    assert again.returncode == 0, again.stderr
    assert "437户" in again.stdout and cli(target, "check").returncode in (0, 1)
    assert cli(target, "households", "--limit", "1").returncode == 0


# -- 4. oversized input, through the command --------------------------------------------------------

def test_an_oversized_roster_is_refused_quickly_with_a_short_message(db_path, tmp_path):
    import zipfile

    bomb = tmp_path / "花名册.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>")
            for _ in range(300):
                out.write(b"x" * 2**20)  # 300 MB of one cell
            out.write(b"</t></is></c></row></sheetData></worksheet>")
    started = time.perf_counter()
    result = cli(db_path, "import-xlsx", bomb)
    assert time.perf_counter() - started < 30  # (interpreter start-up included; the bench times it)
    assert result.returncode == 2 and "太大，不像花名册" in result.stderr
    assert len(result.stdout + result.stderr) < 2000 and "Traceback" not in result.stderr
    assert json.loads(cli(db_path, "households", "--json").stdout)["total"] == 0
