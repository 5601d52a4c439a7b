"""Foundation benchmark: demo build vs raw sqlite3.executemany, database size, search and open latency.

    .venv/bin/python bench/bench_foundation.py [--households 50000] [--seed 2020]

Prints figures; asserts nothing. Targets (issue 2): build ≥ 1/3 of raw executemany throughput,
search p95 < 50 ms over 50,000 households, open + schema check < 200 ms.
"""

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

from fupin_desktop.db import migrate
from fupin_desktop.db.session import SQLITE_CACHE_KIB, make_engine, open_database
from fupin_desktop.services import demo, demo_data
from fupin_desktop.services.search import HouseholdQuery, search_households
from fupin_desktop.services.text import name_initials


def sqlite_value(v):
    """What SQLAlchemy would bind: UUID as 32 hex chars, datetimes as text, lists as JSON."""
    if isinstance(v, uuid.UUID):
        return v.hex
    if isinstance(v, datetime):
        return v.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    return v


def raw_insert(path: Path, village: demo_data.DemoVillage) -> tuple[float, int]:
    """The same rows into the same schema with plain sqlite3.executemany, no change log."""
    migrate.upgrade_to_head(make_engine(f"sqlite:///{path}"))
    prepared = []
    for table, rows in village.tables():
        cols = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        prepared.append((sql, [tuple(sqlite_value(r[c]) for c in cols) for r in rows]))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # the same settings the program uses
    start = time.perf_counter()
    with conn:
        for sql, params in prepared:
            conn.executemany(sql, params)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, sum(len(p) for _, p in prepared)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=2020)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fupin-bench-"))

    t0 = time.perf_counter()
    village = demo_data.generate_village(households=args.households, seed=args.seed)
    gen_s = time.perf_counter() - t0
    raw_s, rows = raw_insert(work / "raw.db", village)

    db_file = work / "demo.db"
    t0 = time.perf_counter()
    summary = demo.build_demo(db_file, households=args.households, seed=args.seed)
    build_s = time.perf_counter() - t0
    insert_s = build_s - gen_s  # build_demo generates again; its generation time is the same work

    print(f"households {summary.households}, members {summary.members}, rows {rows} (+ {rows} change-log rows)")
    print(f"raw sqlite3.executemany insert : {raw_s:7.2f} s  {rows / raw_s:10,.0f} rows/s")
    print(f"fupin demo, insert + change log: {insert_s:7.2f} s  {rows / insert_s:10,.0f} rows/s  "
          f"ratio {raw_s / insert_s:.2f}")
    print(f"fupin demo, whole command      : {build_s:7.2f} s  {rows / build_s:10,.0f} rows/s  "
          f"ratio {raw_s / build_s:.2f}  (generation {gen_s:.2f} s)")
    size = sum(p.stat().st_size for p in work.glob("demo.db*"))
    print(f"database size: {size / 2**20:.1f} MiB ({db_file})")

    opens = []
    for _ in range(5):
        t0 = time.perf_counter()
        db = open_database(db_file)
        opens.append(time.perf_counter() - t0)
        db.close()
    print(f"open + schema check: median {statistics.median(opens) * 1000:.1f} ms, max {max(opens) * 1000:.1f} ms")

    db = open_database(db_file)
    members = village.members[:: max(1, len(village.members) // 7)][:7]
    queries = ([m["name"][1:] or m["name"] for m in members[:4]] + [m["name"] for m in members[4:7]]
               + [name_initials(m["name"]) for m in members] + [m["id_number"][-6:] for m in members[:6]])[:20]
    latencies = []
    with db.reading() as s:
        search_households(s, HouseholdQuery(text="warm-up"))
        for q in queries:
            t0 = time.perf_counter()
            page = search_households(s, HouseholdQuery(text=q, limit=100))
            latencies.append((time.perf_counter() - t0) * 1000)
            print(f"  search {q!r:>12}: {latencies[-1]:6.1f} ms, {page.total} households")
    db.close()
    print(f"search over {summary.households} households: median {statistics.median(latencies):.1f} ms, "
          f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms")


if __name__ == "__main__":
    main()
