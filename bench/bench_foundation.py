"""Foundation benchmark: demo build vs raw sqlite3.executemany (speed and peak memory), database size,
search and open latency.

    .venv/bin/python bench/bench_foundation.py [--households 50000] [--seed 2020]

Prints figures; asserts nothing. Targets (issue 2): build ≥ 1/3 of raw executemany throughput,
search p95 < 50 ms over 50,000 households, open + schema check < 200 ms; (issue 20) the demo build
at 50,000 households under 600 MB peak. The build runs first, in a process of its own (`fupin demo`
as a user runs it), so its peak is its own; the raw baseline holds the village whole in this one.
"""

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

from fupin_desktop.db import migrate
from fupin_desktop.db.session import SQLITE_CACHE_KIB, make_engine, open_database
from fupin_desktop.services import demo
from fupin_desktop.services.search import HouseholdQuery, search_households
from fupin_desktop.services.text import name_initials


def _converter(values):
    """How plain sqlite3 code would bind a column: UUID as 32 hex chars (as SQLAlchemy stores it),
    datetimes and dates as ISO text, lists as JSON; chosen once per column from its first value."""
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, uuid.UUID):
        return lambda v: v.hex if v is not None else None
    if isinstance(sample, datetime):
        return lambda v: v.replace(tzinfo=None).isoformat(sep=" ") if v is not None else None
    if isinstance(sample, date):
        return lambda v: v.isoformat() if v is not None else None
    if isinstance(sample, list | dict):
        return lambda v: json.dumps(v, ensure_ascii=False) if v is not None else None
    return None


def raw_insert(path: Path, village: demo.DemoVillage) -> tuple[float, float, int]:
    """The same rows into the same schema with plain sqlite3.executemany, no change log.

    Returns (seconds including turning the row dicts into tuples of SQLite values,
    seconds of executemany and commit alone, rows).
    """
    migrate.upgrade_to_head(make_engine(f"sqlite:///{path}"))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # the same settings the program uses
    start = time.perf_counter()
    prepared = []
    for table, rows in village.tables():
        cols = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        columns = []
        for c in cols:
            values = [r[c] for r in rows]
            convert = _converter(values)
            columns.append(list(map(convert, values)) if convert else values)
        prepared.append((sql, list(zip(*columns, strict=True))))
    converted = time.perf_counter()
    with conn:
        for sql, params in prepared:
            conn.executemany(sql, params)
    end = time.perf_counter()
    conn.close()
    return end - start, end - converted, sum(len(p) for _, p in prepared)


# `fupin demo` in a process of its own: its time (imports excluded) and its peak resident memory
BUILD = """
import json, resource, sys, time
from fupin_desktop.services.demo import build_demo
t = time.perf_counter()
s = build_demo(sys.argv[1], households=int(sys.argv[2]), seed=int(sys.argv[3]))
print(json.dumps({"seconds": time.perf_counter() - t, "households": s.households, "members": s.members,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=2020)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fupin-bench-"))
    load = os.getloadavg()[0]

    db_file = work / "demo.db"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-c", BUILD, str(db_file), str(args.households), str(args.seed)],
                         check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    built = json.loads(out.splitlines()[-1])
    build_s, build_cpu = built["seconds"], after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    t0 = time.perf_counter()
    village = demo.generate_village(households=args.households, seed=args.seed)
    gen_s = time.perf_counter() - t0
    raw_s, raw_sql_s, rows = raw_insert(work / "raw.db", village)
    raw_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    insert_s = build_s - gen_s  # build_demo generates as it writes; its generation time is the same work

    print(f"households {built['households']}, members {built['members']}, rows {rows} (+ {rows} change-log rows)"
          f"; load average {load:.1f} → {os.getloadavg()[0]:.1f}")
    print(f"raw sqlite3: dicts → tuples → executemany: {raw_s:7.2f} s  {rows / raw_s:10,.0f} rows/s")
    print(f"raw sqlite3: executemany + commit only   : {raw_sql_s:7.2f} s  {rows / raw_sql_s:10,.0f} rows/s")
    print(f"fupin demo: insert + change log          : {insert_s:7.2f} s  {rows / insert_s:10,.0f} rows/s  "
          f"ratio {raw_s / insert_s:.2f} (vs executemany only {raw_sql_s / insert_s:.2f})")
    print(f"fupin demo: whole command                : {build_s:7.2f} s  {rows / build_s:10,.0f} rows/s  "
          f"ratio {raw_s / build_s:.2f}  (generation {gen_s:.2f} s; CPU {build_cpu:.1f} s)")
    print(f"peak memory: fupin demo {built['peak_mib']:.0f} MB (its own process, target < 600 MB at 50,000 "
          f"households); raw baseline, the village whole in memory + executemany: {raw_peak:.0f} MB "
          f"(ratio {built['peak_mib'] / raw_peak:.2f})")
    size = sum(p.stat().st_size for p in work.glob("demo.db*"))
    print(f"database size: {size / 2**20:.1f} MiB ({db_file})")

    opens = []
    for _ in range(5):
        t0 = time.perf_counter()
        db = open_database(db_file)
        opens.append(time.perf_counter() - t0)
        db.close()
    print(f"open + schema check: median {statistics.median(opens) * 1000:.1f} ms, max {max(opens) * 1000:.1f} ms "
          "(in a running program)")
    cold = []
    for _ in range(3):  # a fresh interpreter: imports, engine, Alembic revision check
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from fupin_desktop.db.session import open_database; "
                        "open_database(sys.argv[1]).close()", str(db_file)], check=True)
        cold.append(time.perf_counter() - t0)
    print(f"fresh process that imports, opens and checks: median {statistics.median(cold) * 1000:.0f} ms")

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
    print(f"search over {built['households']} households: median {statistics.median(latencies):.1f} ms, "
          f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms")


if __name__ == "__main__":
    main()
