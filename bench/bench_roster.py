"""Roster benchmark: export a demo village to xlsx, then preview and import it into a fresh village.

    PYTHONPATH=. .venv/bin/python bench/bench_roster.py [--households 5000] [--rows 5000] [--seed 2020]

Prints figures; asserts nothing. Target (issue 3): importing a 5,000-row roster < 10 s. Measured
twice: the whole --households village (one row per member, so ≈3.9 rows per household), and a
roster cut from it at the first household boundary after --rows rows. "preview" is reading the
file plus every check (core rules, register, duplicates); "import" is the one transaction that
writes households, members and their change log.
"""

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import openpyxl

from fupin_desktop.db.session import Database, open_database
from fupin_desktop.services.demo import build_demo
from fupin_desktop.services.roster import export_roster, import_roster, preview_roster, read_roster
from tests.services.roster_fixtures import fresh_village_like

T = TypeVar("T")


def timed(label: str, work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"  {label:<38}{seconds:7.2f} s")
    return result, seconds


def cut(source: Path, target: Path, rows: int) -> None:
    """The first households of `source` holding at least `rows` member rows, same layout."""
    book = openpyxl.load_workbook(source, read_only=True)
    data = book.worksheets[0].iter_rows(values_only=True)
    out = openpyxl.Workbook(write_only=True)
    sheet = out.create_sheet("花名册")
    sheet.append(next(data))
    written, last = 0, None
    for row in data:
        if written >= rows and row[0] != last:
            break
        sheet.append(row)
        written, last = written + 1, row[0]
    book.close()
    out.save(target)


def measure(title: str, roster: Path, source: Database, work: Path) -> None:
    print(title)
    db_path = work / f"{roster.stem}.db"
    db = fresh_village_like(source, db_path)
    try:
        sheet, read_s = timed("read the xlsx", lambda: read_roster(roster))
        with db.reading() as s:
            preview, check_s = timed("check (rules, register, duplicates)", lambda: preview_roster(s, sheet))
        result, import_s = timed("import (one transaction)", lambda: import_roster(db, preview))
        print(f"  {len(sheet.rows)} rows → {preview.summary()}; {result.summary()}")
        print(f"  preview {read_s + check_s:.2f} s + import {import_s:.2f} s = {read_s + check_s + import_s:.2f} s "
              f"({len(sheet.rows) / (read_s + check_s + import_s):,.0f} rows/s)")
    finally:
        db.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=2020)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fupin-bench-roster-"))
    try:
        print(f"demo village of {args.households} households")
        summary, _ = timed("build the demo database", lambda: build_demo(work / "demo.db", households=args.households,
                                                                         seed=args.seed))
        source = open_database(work / "demo.db")
        try:
            full = work / "roster_all.xlsx"
            with source.reading() as s:
                exported, _ = timed("export to xlsx", lambda: export_roster(s, full))
            print(f"  {exported.summary()} ({full.stat().st_size / 2**20:.1f} MiB)")
            part = work / f"roster_{args.rows}.xlsx"
            cut(full, part, args.rows)
            measure(f"roster of about {args.rows} rows", part, source, work)
            measure(f"roster of all {summary.households} households", full, source, work)
        finally:
            source.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
