"""Visits benchmark: adding 100 phone-sized photos, and the visit list over 500,000 visits.

    .venv/bin/python bench/bench_visits.py [--photos 100] [--households 50000] [--visits 500000]

Prints figures; asserts nothing. Targets (issue 5): 100 photos of 5 MB each in < 30 s (storage
growth reported); the visit list of a 50,000-household database with 500,000 visits opens in < 1 s.
The extra visits are written straight with executemany (no change log): they only need to exist.
"""

import argparse
import io
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from fupin_desktop.db.models import Household, Member
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import clock
from fupin_desktop.services import demo
from fupin_desktop.services.attachments import add_attachment, storage_size
from fupin_desktop.services.due import due_items
from fupin_desktop.services.visits import VisitQuery, due_visits, list_visits, saturday_list


def phone_photos(count: int, size_mb: float = 5.0) -> list[bytes]:
    """`count` different 4000×3000 JPEGs of about `size_mb` (noise compresses badly, like foliage in a
    real photo); each has its own patch so none decodes to the same picture."""
    base = Image.effect_noise((4000, 3000), 40).convert("RGB")
    quality = 95
    for quality in (95, 92, 90, 87, 85, 80):
        buf = io.BytesIO()
        base.save(buf, "JPEG", quality=quality)
        if buf.tell() <= size_mb * 1.15 * 1024 * 1024:
            break
    out = []
    for i in range(count):
        image = base.copy()
        image.paste((i * 37 % 256, i * 91 % 256, 200), (64 * (i % 50), 64 * (i // 50), 64 * (i % 50) + 160, 400))
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=quality)
        out.append(buf.getvalue())
    return out


def bench_photos(folder: Path, count: int) -> None:
    db_path = folder / "photos.db"
    demo.build_demo(db_path, households=50)
    files = []
    for i, data in enumerate(phone_photos(count)):
        p = folder / "DCIM" / f"IMG_{i:04d}.jpg"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        files.append(p)
    given = sum(p.stat().st_size for p in files)
    db = open_database(db_path)
    before = storage_size_of(db)
    with db.reading() as s:
        target = s.scalars(select(Household.id).limit(1)).one()
    start = time.perf_counter()
    with db.transaction() as s:
        for p in files:
            add_attachment(s, p, target_table="household", target_id=target)
    elapsed = time.perf_counter() - start
    grown = storage_size_of(db) - before
    start = time.perf_counter()
    with db.transaction() as s:  # the same 100 again: nothing new is stored
        for p in files:
            add_attachment(s, p, target_table="household", target_id=target)
    again = time.perf_counter() - start
    db.close()
    print(f"photos: {count} files of {given / count / 1024 / 1024:.1f} MB ({given / 1024 / 1024:.0f} MB) added in "
          f"{elapsed:.1f} s ({elapsed / count * 1000:.0f} ms each; target < 30 s)")
    print(f"photos: storage grew by {grown / 1024 / 1024:.1f} MB ({grown / given:.0%} of what was given: "
          f"phone photos stored at 2000 px, thumbnails included); adding them again took {again:.1f} s "
          f"and stored {storage_size_of_path(db_path) - before - grown} bytes more")


def storage_size_of(db) -> int:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return storage_size(s)


def storage_size_of_path(db_path: Path) -> int:
    root = db_path.parent / "attachments"
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def add_visits(db_path: Path, n: int) -> None:
    """n more visits (with one visitor each), spread over the last two years, straight into SQLite."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    households = [r[0] for r in conn.execute("SELECT id FROM household WHERE deleted_at IS NULL")]
    village = conn.execute("SELECT id FROM village").fetchone()[0]
    cadres = [r[0] for r in conn.execute("SELECT id FROM cadre")]
    rng = random.Random(5)
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    start = date(2024, 12, 1).toordinal()
    visits, visitors = [], []
    for _ in range(n):
        vid = uuid.uuid4().hex
        day = date.fromordinal(start + rng.randrange(720)).isoformat()
        visits.append((vid, now, now, village, rng.choice(households), day, "15:00:00.000000", "帮扶责任人入户",
                       "[]", '{"food": "正常"}', "{}", "[]"))
        visitors.append((uuid.uuid4().hex, now, now, vid, rng.choice(cadres)))
    conn.executemany("INSERT INTO visit (id, created_at, updated_at, village_id, household_id, visited_on, visited_at,"
                     " visit_type, members_present, checklist, checklist_notes, policies) VALUES "
                     "(?,?,?,?,?,?,?,?,?,?,?,?)", visits)
    conn.executemany("INSERT INTO visit_visitor (id, created_at, updated_at, visit_id, cadre_id) VALUES (?,?,?,?,?)",
                     visitors)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def timed(fn, repeat: int = 5) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def bench_list(folder: Path, households: int, visits: int) -> None:
    db_path = folder / "big.db"
    t = time.perf_counter()
    demo.build_demo(db_path, households=households)
    built = time.perf_counter() - t
    t = time.perf_counter()
    add_visits(db_path, visits)
    print(f"list: demo of {households} households built in {built:.0f} s; {visits} visits added in "
          f"{time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    db = open_database(db_path)
    opened = time.perf_counter() - t
    with db.reading() as s:
        first = time.perf_counter()
        page = list_visits(s, VisitQuery())
        cold = time.perf_counter() - first
        warm, _ = timed(lambda: list_visits(s, VisitQuery()))
        page10, _ = timed(lambda: list_visits(s, VisitQuery(offset=1000)))
        search, found = timed(lambda: list_visits(s, VisitQuery(text="王")))
        name = s.scalar(select(Member.name).where(Member.relation == "户主").limit(1))
        by_name, named = timed(lambda: list_visits(s, VisitQuery(text=name)))
        today = clock.today()
        month, _ = timed(lambda: list_visits(s, VisitQuery(date_from=today - timedelta(days=31), date_to=today)))
        due, rows = timed(lambda: due_visits(s), repeat=3)
        saturday, _ = timed(lambda: saturday_list(s), repeat=3)
        home, _ = timed(lambda: due_items(s), repeat=3)
    db.close()
    print(f"list: {page.total} visits; open database {opened * 1000:.0f} ms; first page cold "
          f"{cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms (target < 1 s); page 11 {page10 * 1000:.0f} ms; "
          f"search “王” {search * 1000:.0f} ms ({found.total} visits), “{name}” {by_name * 1000:.0f} ms "
          f"({named.total} visits); last month {month * 1000:.0f} ms")
    print(f"list: due list {due * 1000:.0f} ms ({len(rows)} households); 扶贫日 list {saturday * 1000:.0f} ms; "
          f"首页 due items {home * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--visits", type=int, default=500_000)
    parser.add_argument("--skip-photos", action="store_true")
    parser.add_argument("--skip-list", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_photos:
            (Path(tmp) / "p").mkdir()
            bench_photos(Path(tmp) / "p", args.photos)
        if not args.skip_list:
            (Path(tmp) / "l").mkdir()
            bench_list(Path(tmp) / "l", args.households, args.visits)


if __name__ == "__main__":
    main()
