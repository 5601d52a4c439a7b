"""Sync benchmark: export of demo villages, county import of all their bundles, re-import.

    .venv/bin/python bench/bench_sync.py [--villages 300] [--households 437] [--cache DIR]
        [--pg postgresql+psycopg://…/empty1 --pg-raw postgresql+psycopg://…/empty2]

Prints figures; asserts nothing. Targets (issues 7 and 20): full export of a 500-household village
< 2 s; county import of 300 village bundles ≤ 3× a raw `executemany` of the same rows
(materialised rows and change log) into an empty database of the same schema in the same run,
PostgreSQL ≤ 4×, and in under 5 minutes; re-importing all bundles < 10 % of the first import.
With --pg the county import is also measured on PostgreSQL (an empty database at that URL), and
with --pg-raw the raw executemany there too. --cache keeps the generated villages (building 300
takes 10–40 minutes).
"""

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select, update

from fupin_desktop.db.base import Base, synced_tables
from fupin_desktop.db.models import ChangeLog, Replica
from fupin_desktop.db.session import open_database
from fupin_desktop.services.demo import build_demo
from fupin_desktop.sync.county import init_county
from fupin_desktop.sync.exporter import export_bundle
from fupin_desktop.sync.importer import import_bundles
from fupin_desktop.sync.keys import ensure_keys, import_county_file
from fupin_desktop.sync.trust import trust_key


def village_code(i: int) -> str:
    return f"410182{104 + i // 900:03d}{100 + i % 900:03d}"


def raw_baseline(source_db, url: str) -> tuple[float, int]:
    """executemany of every materialised row and change-log row into an empty database of the same
    schema at `url` (SQLite file in WAL, or PostgreSQL; same column types; foreign keys not enforced
    on SQLite, deferred nowhere on PostgreSQL: tables are filled parents first)."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with source_db.reading() as s:
        data = {t: [dict(r._mapping) for r in s.execute(select(Base.metadata.tables[t]))] for t in synced_tables()}
        data["change_log"] = [dict(r._mapping) for r in s.execute(select(ChangeLog.__table__))]
        data["replica"] = [dict(r._mapping) for r in s.execute(select(Replica.__table__))]  # the log refers to it
    rows = sum(len(v) for v in data.values())
    start = time.perf_counter()
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:  # parents first, for PostgreSQL's foreign keys
            if data.get(table.name):
                conn.execute(insert(table), data[table.name])
    seconds = time.perf_counter() - start
    engine.dispose()
    return seconds, rows


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_villages(root: Path, count: int, households: int | None) -> tuple[list[Path], list[tuple[str, str]]]:
    """A county with `count` confirmed villages and one full bundle from each, in `root`: the county
    as it was before any import is kept as county-fresh.db, so a cached run starts from it again."""
    usb = root / "usb"
    usb.mkdir(parents=True, exist_ok=True)
    created = init_county(root / "county.db", code="410182", name="荥阳市", city="郑州市", setup_dir=root)
    county = created.db
    build = export_t = 0.0
    bundles: list[Path] = []
    confirmed: list[tuple[str, str]] = []
    for i in range(count):
        t0 = time.perf_counter()
        path = root / f"v{i}.db"
        build_demo(path, village_code=village_code(i), households=households, seed=i)
        db = open_database(path)
        confirmed.append((ensure_keys(db).fingerprint, village_code(i)))
        trust_key(county, confirmed[-1][0], village_code=confirmed[-1][1])  # read over the phone
        import_county_file(db, created.setup_file)
        t1 = time.perf_counter()
        r = export_bundle(db, usb, full=True)
        t2 = time.perf_counter()
        db.close()
        path.unlink()  # 300 villages' databases would fill the disk
        build += t1 - t0
        export_t += t2 - t1
        bundles.append(r.file)
        if i == 0:
            print(f"  full export of one village: {t2 - t1:6.2f} s  ({r.changes} changes, {r.size / 1024:.0f} KB)")
    county.close()
    shutil.copy2(root / "county.db", root / "county-fresh.db")
    (root / "villages.json").write_text(json.dumps({"bundles": [b.name for b in bundles], "confirmed": confirmed}))
    print(f"  building villages {build:6.1f} s; exports {export_t:6.1f} s ({export_t / count:.2f} s each)")
    return bundles, confirmed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--villages", type=int, default=300)
    ap.add_argument("--households", type=int, default=None, help="per village (default: 437 as 新沟村)")
    ap.add_argument("--pg", help="an empty PostgreSQL database URL for the county")
    ap.add_argument("--pg-raw", help="another empty PostgreSQL database URL, for the raw baseline there")
    ap.add_argument("--cache", type=Path, help="a folder that keeps the generated villages' bundles between runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.cache or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        print(f"{args.villages} villages × {args.households or 437} households")
        if (root / "villages.json").exists():
            cached = json.loads((root / "villages.json").read_text())
            bundles = [root / "usb" / name for name in cached["bundles"]][: args.villages]
            confirmed = [tuple(c) for c in cached["confirmed"]][: args.villages]
            print(f"  {len(bundles)} bundles from {root}")
        else:
            bundles, confirmed = build_villages(root, args.villages, args.households)
        shutil.copy2(root / "county-fresh.db", root / "county.db")
        for extra in ("county.db-wal", "county.db-shm"):
            (root / extra).unlink(missing_ok=True)
        county = open_database(root / "county.db")
        t0 = time.perf_counter()
        rep = import_bundles(county, bundles, backup=False)
        first = time.perf_counter() - t0
        with county.reading() as s:
            changes = s.scalar(select(func.count()).select_from(ChangeLog))
        print(f"  county import (SQLite): {first:7.2f} s  {changes} changes  {changes / first:9.0f} changes/s  "
              f"conflicts open {rep.total.get('conflicts_open')}  peak {peak_mb():.0f} MB")
        raw, rows = raw_baseline(county, f"sqlite:///{root / 'raw.db'}")
        (root / "raw.db").unlink()
        print(f"  raw executemany of the same {rows} rows: {raw:6.2f} s  {changes / raw:9.0f} changes/s  "
              f"→ import at 1/{first / raw:.1f} of raw")
        t0 = time.perf_counter()
        import_bundles(county, bundles, backup=False)
        again = time.perf_counter() - t0
        print(f"  re-import of all bundles: {again:6.2f} s  ({again / first:.1%} of the first import)")
        if args.pg:
            os.environ.setdefault("FUPIN_KEY_DIR", str(root / "keys"))
            pg = init_county(args.pg, code="410182", name="荥阳市", city="郑州市", setup_dir=root / "pg").db
            with county.reading() as s:
                me = s.scalars(select(Replica).where(Replica.is_local)).one()
            with pg.transaction() as s:  # the bundles are encrypted to the SQLite county's key
                s.execute(update(Replica).where(Replica.is_local).values(sign_key=me.sign_key, box_key=me.box_key))
            for fp, code in confirmed:
                trust_key(pg, fp, village_code=code)
            t0 = time.perf_counter()
            import_bundles(pg, bundles, backup=False)
            pg_t = time.perf_counter() - t0
            line = (f"  county import (PostgreSQL): {pg_t:7.2f} s  {changes / pg_t:9.0f} changes/s  "
                    f"→ 1/{pg_t / raw:.1f} of the SQLite raw executemany")
            if args.pg_raw:
                pg_raw, _ = raw_baseline(county, args.pg_raw)
                line += f"; raw executemany into PostgreSQL {pg_raw:6.2f} s → 1/{pg_t / pg_raw:.1f} of it"
            print(line)
            pg.close()
        county.close()


if __name__ == "__main__":
    main()
