"""`fupin demo` writes the village a part at a time: the same rows as the village generated whole,
and a change log in table order, as if each table had been written at once."""

import json
import sqlite3
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest

from fupin_desktop.db.changelog import to_json
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import hlc
from fupin_desktop.services.check import check_database
from fupin_desktop.services.demo import build_demo, generate_village, village
from fupin_desktop.services.demo.constants import Row


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-build") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(village, "CHUNK", 40)  # several parts of the register even in a small village
        build_demo(path, households=150, seed=5)
    return path


def _db_value(value: object) -> object:
    """A generated value as the SQLite file holds it."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, list | dict):
        return to_json(value)
    if isinstance(value, bool):
        return int(value)
    return value.isoformat() if isinstance(value, date) else value


def test_the_rows_are_those_of_the_village_generated_whole(built: Path) -> None:
    whole = generate_village(households=150, seed=5)
    with sqlite3.connect(built) as conn:
        for table, rows in whole.tables():
            columns = list(rows[0])
            stored = {r[0]: r[1:] for r in conn.execute(f"SELECT id, {', '.join(columns)} FROM {table}")}
            for row in rows:
                got = dict(zip(columns, stored[row["id"].hex], strict=True))
                for c in ("created_at", "updated_at"):  # 2026-11-21 00:33:40.000000: the generated stamp
                    assert got.pop(c).startswith(row[c].strftime("%Y-%m-%d %H:%M:%S")), (table, c)
                want = {c: _db_value(v) for c, v in row.items() if c not in ("created_at", "updated_at")}
                assert got == want, table


def test_the_change_log_is_in_table_order_without_gaps(built: Path) -> None:
    whole = generate_village(households=150, seed=5)
    expected: list[tuple[str, Row]] = [(table, row) for table, rows in whole.tables() for row in rows]
    with sqlite3.connect(built) as conn:
        log = conn.execute("SELECT seq, hlc, table_name, row_id, fields FROM change_log ORDER BY seq").fetchall()
    assert [seq for seq, *_ in log] == list(range(1, len(log) + 1))
    clocks = [hlc.Hlc.decode(c) for _, c, *_ in log]
    assert clocks == sorted(clocks) and len(set(clocks)) == len(clocks)
    head = log[:len(expected)]
    assert [(t, r) for _, _, t, r, _ in head] == [(table, row["id"].hex) for table, row in expected]
    helped = {row["id"].hex: str(row["helper_id"]) for row in whole.households if row["helper_id"]}
    assert helped
    for _, _, table, row_id, fields in head:
        if table == "household":  # logged with the 帮扶责任人 drawn after the household was written
            assert json.loads(fields).get("helper_id") == helped.get(row_id)


def test_the_built_village_opens_and_checks_clean(built: Path) -> None:
    db = open_database(built)
    try:
        report = check_database(db)
    finally:
        db.close()
    assert report.households == 150 and report.errors == 0


@pytest.mark.parametrize("households", [1, 2, 5, 14, 71, None])
def test_the_rows_reserved_in_the_log_are_the_rows_drawn(households: int | None) -> None:
    stream = village.VillageStream(households=households)
    counts = {"cadre": 0, "household": 0, "member": 0}
    for name, part in stream:
        if (table := village.TABLES[name]) in counts:
            counts[table] += len(part)
    assert counts == stream.sizes()


def test_a_full_disk_stops_the_demo_with_a_message_and_leaves_no_database(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        target = folder / "demo.db"
        done = subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(target), "demo",
                               "--households", "1000"], capture_output=True, text=True, timeout=600)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert "磁盘" in done.stderr or "空间" in done.stderr, done.stderr
        assert [p.name for p in folder.glob("demo.db*")] in ([], ["demo.db.open"])  # no file that could pass
        assert not list(folder.glob("demo.db.open/*.json"))  # for a database; no one holds it open
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
