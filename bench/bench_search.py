"""Search box benchmark: each query kind next to a raw baseline of the same lookup, in one run.

    .venv/bin/python bench/bench_search.py --db big.db          # an existing database
                                                                # (fupin --db big.db demo --households 50000)
    .venv/bin/python bench/bench_search.py --households 5000    # builds a demo database first

For each kind: p50/p95 of `search_households` (total + first page of 100 with its columns) with
the SQL scan it used before the index and with the in-memory index, against a raw baseline that
finds the same households and returns the total and the first 100 households in number order,
written here in plain sqlite3:
  names (王, 秀英, 无此人) — a table of every live member name's 1- and 2-character pieces, indexed;
  ID fragments and tails  — an FTS5 trigram table of ID numbers;
  a whole ID              — the unique index on member.id_number;
  a household number      — the unique index on household.number (the project's search also finds
                            the ID numbers holding it);
  a name that is not there — an in-memory set of names (answers "none" only).
Prints figures; asserts nothing. Target (issue 20): p95 ≤ 50 ms for every kind, a whole ID ≤ 5 ms.
"""

import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from demo_db import demo_arguments, demo_database  # beside this script

from fupin_desktop.db.session import open_database
from fupin_desktop.services import search_index
from fupin_desktop.services.search import HouseholdQuery, search_households

RUNS = 21


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], runs: int = RUNS) -> tuple[list[float], object]:
    out, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out, result


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


class Baseline:
    """The raw structures, built from the same database in memory."""

    def __init__(self, path: Path) -> None:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        live = ("SELECT m.name, m.id_number, h.id, h.number FROM member m JOIN household h ON h.id = m.household_id "
                "WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL")
        rows = src.execute(live).fetchall()
        self.ids = src  # the unique index lives in the real file
        self.mem = sqlite3.connect(":memory:")
        self.mem.execute("CREATE TABLE grams (gram TEXT, household TEXT, number TEXT)")
        pieces = {(name[i:i + n], hid, number) for name, _, hid, number in rows
                  for n in (1, 2) for i in range(len(name) - n + 1)}
        self.mem.executemany("INSERT INTO grams VALUES (?, ?, ?)", pieces)
        self.mem.execute("CREATE INDEX ix_grams ON grams (gram, number, household)")
        self.mem.execute("CREATE VIRTUAL TABLE ids USING fts5(id_number, household UNINDEXED, number UNINDEXED, "
                         "tokenize='trigram')")
        self.mem.executemany("INSERT INTO ids VALUES (?, ?, ?)", [(idn, hid, number) for _, idn, hid, number in rows])
        self.names = {name for name, *_ in rows}

    def gram(self, text: str) -> tuple[int, list]:  # type: ignore[type-arg]
        if len(text) <= 2:
            sql = "SELECT DISTINCT household, number FROM grams WHERE gram = ?"
            found = self.mem.execute(sql, (text,)).fetchall()
        else:  # not measured: names of 3+ characters would intersect pieces
            raise ValueError(text)
        found.sort(key=lambda r: r[1])
        return len(found), found[:100]

    def trigram(self, text: str) -> tuple[int, list]:  # type: ignore[type-arg]
        found = self.mem.execute("SELECT DISTINCT household, number FROM ids WHERE id_number MATCH ? "
                                 "ORDER BY number", (f'"{text}"',)).fetchall()
        return len(found), found[:100]

    def unique(self, text: str) -> tuple[int, list]:  # type: ignore[type-arg]
        found = self.ids.execute("SELECT h.id, h.number FROM member m JOIN household h ON h.id = m.household_id "
                                 "WHERE m.id_number = ? AND m.deleted_at IS NULL AND h.deleted_at IS NULL",
                                 (text,)).fetchall()
        return len(found), found

    def number(self, text: str) -> tuple[int, list]:  # type: ignore[type-arg]
        found = self.ids.execute("SELECT id, number FROM household WHERE number = ? AND deleted_at IS NULL",
                                 (text,)).fetchall()
        return len(found), found

    def absent(self, text: str) -> tuple[int, list]:  # type: ignore[type-arg]
        return (0, []) if text not in self.names else (1, [])


def main() -> None:
    args = demo_arguments(5000).parse_args()
    path = demo_database(args.db, tempfile.mkdtemp(prefix="fupin-bench-"), args.households)
    db = open_database(path, upgrade=False)
    with db.reading() as s:
        full = s.connection().exec_driver_sql(
            "SELECT id_number FROM member WHERE deleted_at IS NULL ORDER BY rowid LIMIT 1 OFFSET 5000").scalar() \
            or s.connection().exec_driver_sql("SELECT id_number FROM member LIMIT 1").scalar()
        households = s.connection().exec_driver_sql("SELECT count(*) FROM household WHERE deleted_at IS NULL").scalar()
        number = s.connection().exec_driver_sql(
            "SELECT number FROM household WHERE deleted_at IS NULL ORDER BY rowid LIMIT 1 OFFSET ?",
            (households // 2,)).scalar()
    t0 = time.perf_counter()
    base = Baseline(path)
    print(f"{households} households; baseline structures built in {time.perf_counter() - t0:.1f} s; "
          f"load average {os.getloadavg()[0]:.1f}")
    kinds = [("name, common surname", "王", base.gram), ("name, two characters", "秀英", base.gram),
             ("ID fragment", "0012", base.trigram), ("ID fragment", "1970", base.trigram),
             ("ID tail (6)", full[-6:], base.trigram), ("whole ID", full, base.unique),
             ("household number", number, base.number),
             ("name not there", "无此人", base.absent)]

    def search(text: str) -> Callable[[], object]:
        def run() -> object:
            with db.reading() as s:
                return search_households(s, HouseholdQuery(text=text, limit=100))
        return run

    scans = {text: timed(search(text), 7)[0] for _, text, _ in kinds}  # before the index: SQL scans
    before = rss_mib()
    with db.reading() as s:
        t0 = time.perf_counter()
        search_index.warm(s)
        built = time.perf_counter() - t0
    print(f"index built in {built:.2f} s, resident memory +{rss_mib() - before:.0f} MiB\n")
    print(f"{'kind':22} {'text':>20} {'found':>6}  {'SQL scan p95':>12}  {'index p50':>9} {'p95':>7}  "
          f"{'raw p50':>8} {'p95':>7}  {'ratio p95':>9}")
    print("(the project's search also finds household numbers holding a digit fragment, and loads the page's columns)")
    for kind, text, raw in kinds:
        ms, page = timed(search(text))
        raw_ms, (raw_total, _) = timed(lambda raw=raw, text=text: raw(text))  # type: ignore[misc]
        print(f"{kind:22} {text:>20} {page.total:6}  {p(scans[text], .95):9.1f} ms  "  # type: ignore[attr-defined]
              f"{statistics.median(ms):6.1f} ms {p(ms, .95):5.1f} ms  {statistics.median(raw_ms):5.2f} ms "
              f"{p(raw_ms, .95):5.2f} ms  {p(ms, .95) / p(raw_ms, .95):8.1f}×  (raw found {raw_total})")
    print(f"load average {os.getloadavg()[0]:.1f}")
    db.close()


if __name__ == "__main__":
    main()
