"""Sync benchmark: export of demo villages, county import of all their bundles, re-import.

    .venv/bin/python bench/bench_sync.py [--villages 300] [--households 437] [--pg postgresql+psycopg://…]

Prints figures; asserts nothing. Targets (issue 7): full export of a 500-household village < 2 s;
county import of 300 village bundles: changes per second against a raw `executemany` of the same
rows (materialised rows and change log) into an empty database of the same schema in the same run
(aim ≥ 1/5); re-importing all bundles < 10 % of the first import. With --pg the county import is
also measured on PostgreSQL (an empty database at that URL).
"""

import argparse
import os
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


def raw_baseline(source_db, folder: Path) -> tuple[float, int]:
    """executemany of every materialised row and change-log row into an empty database of the same
    schema (SQLite file, WAL, same column types; foreign keys not enforced)."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{folder / 'raw.db'}")
    Base.metadata.create_all(engine)
    with source_db.reading() as s:
        data = {t: [dict(r._mapping) for r in s.execute(select(Base.metadata.tables[t]))] for t in synced_tables()}
        data["change_log"] = [dict(r._mapping) for r in s.execute(select(ChangeLog.__table__))]
    rows = sum(len(v) for v in data.values())
    start = time.perf_counter()
    with engine.begin() as conn:
        for name, rs in data.items():
            if rs:
                conn.execute(insert(Base.metadata.tables[name]), rs)
    seconds = time.perf_counter() - start
    engine.dispose()
    return seconds, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--villages", type=int, default=300)
    ap.add_argument("--households", type=int, default=None, help="per village (default: 437 as 新沟村)")
    ap.add_argument("--pg", help="an empty PostgreSQL database URL for the county")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        usb = root / "usb"
        usb.mkdir()
        created = init_county(root / "county.db", code="410182", name="荥阳市", city="郑州市", setup_dir=root)
        county = created.db
        print(f"{args.villages} villages × {args.households or 437} households")
        build = export_t = 0.0
        bundles = []
        confirmed: list[tuple[str, str]] = []
        for i in range(args.villages):
            t0 = time.perf_counter()
            path = root / f"v{i}.db"
            build_demo(path, village_code=village_code(i), households=args.households, seed=i)
            db = open_database(path)
            confirmed.append((ensure_keys(db).fingerprint, village_code(i)))
            trust_key(county, confirmed[-1][0], village_code=confirmed[-1][1])  # read over the phone
            import_county_file(db, created.setup_file)
            t1 = time.perf_counter()
            r = export_bundle(db, usb, full=True)
            t2 = time.perf_counter()
            db.close()
            build += t1 - t0
            export_t += t2 - t1
            bundles.append(r.file)
            if i == 0:
                print(f"  full export of one village: {t2 - t1:6.2f} s  ({r.changes} changes, {r.size / 1024:.0f} KB)")
        print(f"  building villages {build:6.1f} s; exports {export_t:6.1f} s ({export_t / args.villages:.2f} s each)")
        t0 = time.perf_counter()
        rep = import_bundles(county, bundles, backup=False)
        first = time.perf_counter() - t0
        with county.reading() as s:
            changes = s.scalar(select(func.count()).select_from(ChangeLog))
        print(f"  county import (SQLite): {first:7.2f} s  {changes} changes  {changes / first:9.0f} changes/s  "
              f"conflicts open {rep.total.get('conflicts_open')}")
        raw, rows = raw_baseline(county, root)
        print(f"  raw executemany of the same {rows} rows: {raw:6.2f} s  {changes / raw:9.0f} changes/s  "
              f"→ import at 1/{first / raw:.1f} of raw")
        t0 = time.perf_counter()
        import_bundles(county, bundles, backup=False)
        again = time.perf_counter() - t0
        print(f"  re-import of all bundles: {again:6.2f} s  ({again / first:.1%} of the first import)")
        county.close()
        if args.pg:
            os.environ.setdefault("FUPIN_KEY_DIR", str(root / "keys"))
            pg = init_county(args.pg, code="410182", name="荥阳市", city="郑州市", setup_dir=root / "pg").db
            with open_database(root / "county.db").reading() as s:
                me = s.scalars(select(Replica).where(Replica.is_local)).one()
            with pg.transaction() as s:  # the bundles are encrypted to the SQLite county's key
                s.execute(update(Replica).where(Replica.is_local).values(sign_key=me.sign_key, box_key=me.box_key))
            for fp, code in confirmed:
                trust_key(pg, fp, village_code=code)
            t0 = time.perf_counter()
            import_bundles(pg, bundles, backup=False)
            pg_t = time.perf_counter() - t0
            print(f"  county import (PostgreSQL): {pg_t:7.2f} s  {changes / pg_t:9.0f} changes/s")
            pg.close()


if __name__ == "__main__":
    main()
