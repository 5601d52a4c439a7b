"""Pulling the plug: a real process is killed (SIGKILL) in the middle of writing, then the database
is opened again. It must pass PRAGMA integrity_check, keep everything that was committed (the child
prints what it committed, after the commit) and show nothing half-written (a household without
its members, members without their household, rows without change log entries)."""

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fupin_desktop.db.session import open_database
from fupin_desktop.services.village import add_group, group_names
from tests.processes import child_env

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL"), pytest.mark.slow]  # real processes killed

SAVER = r"""
import sys
from datetime import date, timedelta
from fupin_desktop.db.session import open_database
from fupin_desktop.services.village import add_group, group_names
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.services.households import save_household

db = open_database(sys.argv[1])
start = int(sys.argv[2])
print("ready", flush=True)
for n in range(start, start + 100000):
    born = date(1940, 1, 1) + timedelta(days=n)
    members = [MemberForm(f"户主{n}", idcard.make("410182", born, 1, "男"), "户主"),
               MemberForm(f"配偶{n}", idcard.make("410182", born, 2, "女"), "配偶"),
               MemberForm(f"之子{n}", idcard.make("410182", born, 3, "男"), "之子")]
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number=f"{n:05d}", status="一般农户"), members)
    print(n, flush=True)  # only after the commit returned
"""


def check_sound(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path)  # a fresh connection replays or drops the WAL as SQLite decides
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn


def test_killed_during_household_saves_loses_nothing_committed_and_shows_nothing_half_done(db_path):
    rng = random.Random(8)
    committed: list[int] = []
    for round_ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(db_path), str(1000 * (round_ + 1))],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        for _ in range(rng.randint(5, 25)):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            committed.append(int(line))
        time.sleep(rng.random() * 0.05)  # somewhere inside the next save
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        committed += [int(x) for x in rest.split()]  # committed and printed just before the kill
        assert proc.returncode == -signal.SIGKILL
        conn = check_sound(db_path)
        try:
            numbers = {int(n) for (n,) in conn.execute("SELECT number FROM household")}
            sizes = conn.execute("SELECT h.number, count(m.id) FROM household h LEFT JOIN member m "
                                 "ON m.household_id = h.id GROUP BY h.id").fetchall()
            unlogged = conn.execute("SELECT count(*) FROM member m WHERE NOT EXISTS (SELECT 1 FROM change_log c "
                                    "WHERE c.row_id = m.id AND c.table_name = 'member')").fetchone()[0]
            seqs = [s for (s,) in conn.execute("SELECT seq FROM change_log WHERE replica_id = "
                                               "(SELECT id FROM replica WHERE is_local) ORDER BY seq")]
            last_seq = conn.execute("SELECT last_seq FROM replica WHERE is_local").fetchone()[0]
        finally:
            conn.close()
        assert set(committed) <= numbers  # nothing committed is lost
        assert len(numbers - set(committed)) <= 1  # at most the save whose commit the kill beat printing
        assert all(count == 3 for _number, count in sizes)  # no household without all its members
        assert unlogged == 0 and seqs == list(range(1, last_seq + 1))  # the log is whole and gap-free
    db = open_database(db_path)  # and the program opens it and carries on
    db.close()


@pytest.fixture
def roster(tmp_path: Path, db_path: Path, demo_copy) -> Path:  # type: ignore[no-untyped-def]
    """An Excel roster of the whole demo village (437 households), exported by the program; the
    test database gets the demo's 村民组 so that every household can be imported."""
    demo = demo_copy(tmp_path / "demo" / "demo.db")
    env = child_env()
    out = tmp_path / "roster.xlsx"
    subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(demo), "export-xlsx", str(out)],
                   check=True, capture_output=True, env=env, timeout=300)
    with sqlite3.connect(demo) as conn:
        names = [n for (n,) in conn.execute("SELECT name FROM villager_group ORDER BY sort_order")]
    db = open_database(db_path)
    try:
        with db.transaction() as s:
            for name in names:
                if name not in group_names(s):
                    add_group(s, name)
    finally:
        db.close()
    return out


def test_killed_during_an_excel_import_leaves_the_register_as_before(db_path, roster):
    with sqlite3.connect(db_path) as conn:
        before = conn.execute("SELECT count(*) FROM household").fetchone()[0]
    proc = subprocess.Popen([sys.executable, "-m", "fupin_desktop.cli", "--db", str(db_path), "import-xlsx",
                             str(roster)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=child_env())
    seen = []
    for line in proc.stderr:  # progress goes to stderr: kill once the writing has begun
        seen.append(line)
        if "已写入" in line:
            break
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert any("已写入" in line for line in seen), "".join(seen)
    conn = check_sound(db_path)
    try:
        after = conn.execute("SELECT count(*) FROM household").fetchone()[0]
        members = conn.execute("SELECT count(*) FROM member").fetchone()[0]
    finally:
        conn.close()
    assert after == before == 0 and members == 0  # one transaction: all or nothing, here nothing
    # the same import, run to the end now, brings everything
    done = subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(db_path), "import-xlsx",
                           str(roster)], capture_output=True, text=True, env=child_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    importable = int(re.search(r"可导入(\d+)户", done.stdout + done.stderr).group(1))
    with sqlite3.connect(db_path) as conn:  # (households naming a 帮扶责任人 this register lacks are skipped)
        assert conn.execute("SELECT count(*) FROM household").fetchone()[0] == importable > 300


def test_killed_during_a_batch_print_leaves_no_half_pdf_and_the_database_sound(tmp_path, demo_copy):
    demo = demo_copy(tmp_path / "demo.db")
    env = child_env()
    out = tmp_path / "明白卡.pdf"
    proc = subprocess.Popen([sys.executable, "-m", "fupin_desktop.cli", "--db", str(demo), "print", "cards", "--all",
                             "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env)
    seen = []
    for line in proc.stderr:  # kill once cards are being laid out
        seen.append(line)
        if "已排版" in line and len(seen) > 3:
            break
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert any("已排版" in line for line in seen), "".join(seen)
    assert not out.exists()  # the real name appears only once the whole file is written and flushed
    check_sound(demo).close()
    done = subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(demo), "print", "cards", "--all",
                           "--out", str(out)], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF") and out.read_bytes().rstrip().endswith(b"%%EOF")


def cli(db: Path, *args: object, check: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(db), *map(str, args)],
                            capture_output=True, text=True, env=child_env(), timeout=600, cwd=cwd)
    assert not check or result.returncode == 0, result.stderr
    return result


def test_killed_during_a_bundle_export_leaves_no_half_bundle_on_the_stick(tmp_path, demo_copy):
    county, village, stick = tmp_path / "county.db", tmp_path / "village.db", tmp_path / "U盘"
    stick.mkdir()
    cli(county, "county", "init", "--code", "410182", "--name", "荥阳市", "--out", tmp_path)
    [setup] = [p for p in tmp_path.iterdir() if p.suffix == ".fupin-county"]
    demo_copy(village)
    cli(village, "keys", "import-county", setup)
    killed_at = []
    for delay in (0.3, 0.6, 0.9, 1.2, 1.6, 2.0, 2.5):  # different moments of the export (start-up included)
        proc = subprocess.Popen([sys.executable, "-m", "fupin_desktop.cli", "--db", str(village), "export-bundle",
                                 "--out", str(stick), "--full"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=child_env())
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_at.append(delay)
        proc.wait(timeout=60)
        check_sound(village).close()
        assert_whole_bundles(county, stick)  # whatever carries a bundle's name on the stick is whole and valid
    assert killed_at, "every export finished before the kill: nothing was tested"
    done = cli(village, "export-bundle", "--out", stick, "--full")
    assert "已导出" in done.stdout
    assert assert_whole_bundles(county, stick) >= 1


def assert_whole_bundles(county: Path, stick: Path) -> int:
    """Check every bundle on the stick as the county would before importing it: framing, signature,
    hashes, decryption (sync.importer.verify_files writes nothing). Returns how many there are."""
    from fupin_desktop.sync.importer import REFUSED, verify_files

    bundles = sorted(stick.glob("*.fupin"))
    db = open_database(county)
    try:
        _good, reports = verify_files(db, bundles)
    finally:
        db.close()
    assert [r.status for r in reports if r.status == REFUSED] == [], [r.message for r in reports]
    return len(bundles)
