"""Importing a team's real roster (tests/data/real_roster.py: 建档立卡户花名册, no 户状态, new 村民组)
of N households as .xlsx, .xls and .csv into a fresh village, next to a raw baseline.

    .venv/bin/python bench/bench_roster_formats.py [--households 5000]

Prints figures; asserts nothing. Target (issue 16): a 5,000-household roster in any of the three
forms imports in under 6 s. For each form:

Times are CPU seconds of this process (time.process_time), as the machine is shared; the import's
wall time is printed beside them.

- raw: the same file read row by row with the bare library (openpyxl read-only iter_rows, calamine
  iter_rows, csv.reader) and its member rows inserted with one executemany into a bare SQLite table
  of the same width, in one transaction — the least the work can cost;
- import: `fupin import-xlsx … --default-status 脱贫户 --default-exit-year 2019 --create-groups` as
  the service does it: read, every check (ID numbers, core rules, register, duplicates), value
  mapping, new 村民组, and the one transaction writing households, members and the change log.
"""

import argparse
import csv
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import python_calamine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fupin_desktop.services.roster import RosterOptions, import_roster, preview_roster  # noqa: E402
from fupin_desktop.services.setup import init_village  # noqa: E402
from tests.data import real_roster  # noqa: E402

OPTIONS = RosterOptions(defaults={"status": "脱贫户", "exit_year": 2019}, create_groups=True)


def raw_rows(path: Path, fmt: str) -> list[tuple[object, ...]]:
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
        return rows
    if fmt == "xls":
        return [tuple(r) for r in python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
                .iter_rows()]
    with path.open(encoding="utf-8-sig" if fmt == "csv-bom" else "gb18030" if fmt == "csv-gbk" else "utf-8",
                   newline="") as f:
        return [tuple(r) for r in csv.reader(f)]


def raw(path: Path, fmt: str, db: Path) -> tuple[float, int]:
    start = time.process_time()
    rows = [r for r in raw_rows(path, fmt)[3:] if any(r)]
    con = sqlite3.connect(db)
    con.execute(f"create table roster ({', '.join(f'c{i}' for i in range(len(real_roster.HEADER)))})")
    with con:
        con.executemany(f"insert into roster values ({', '.join('?' * len(real_roster.HEADER))})",
                        [tuple(str(v) for v in r[:len(real_roster.HEADER)]) for r in rows])
    con.close()
    return time.process_time() - start, len(rows)


def service(path: Path, db_path: Path) -> tuple[float, float, float, str]:
    db = init_village(db_path, village_code="410182104201", village_name="新沟村", township="汜水镇", county="荥阳市")
    try:
        wall, start = time.perf_counter(), time.process_time()
        with db.reading() as s:
            preview = preview_roster(s, path, options=OPTIONS)
        checked = time.process_time()
        result = import_roster(db, preview)
        done = time.process_time()
        wall = time.perf_counter() - wall
    finally:
        db.close()
    return checked - start, done - checked, wall, f"{preview.summary()}；{result.summary()}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument("--formats", default="xlsx,xls,csv,csv-gbk")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fupin-bench-formats-"))
    try:
        warm = real_roster.write(work / "warm.csv", real_roster.rows(20), "csv")  # imports, pinyin dictionaries
        service(warm, work / "warm.db")
        data = real_roster.rows(args.households)
        print(f"roster of {args.households} households, {len(data)} member rows (建档立卡户花名册 layout)")
        print("CPU seconds of this process (the machine is shared: wall time is shown too)")
        print(f"{'form':<8}{'size':>9}{'raw':>9}{'preview':>10}{'import':>9}{'total':>9}{'ratio':>8}{'wall':>9}")
        for fmt in args.formats.split(","):
            path = real_roster.write(work / f"roster-{fmt}.{fmt.split('-')[0]}", data, fmt)
            raw_s, rows = raw(path, fmt, work / f"raw-{fmt}.db")
            assert rows == len(data), (rows, len(data))
            preview_s, import_s, wall, summary = service(path, work / f"{fmt}.db")
            total = preview_s + import_s
            print(f"{fmt:<8}{path.stat().st_size / 2**20:>7.1f}MB{raw_s:>8.2f}s{preview_s:>9.2f}s{import_s:>8.2f}s"
                  f"{total:>8.2f}s{total / raw_s:>7.1f}x{wall:>8.2f}s   {summary}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
