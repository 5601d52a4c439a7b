"""`fupin demo`: a realistic demo village written in one transaction, change log included.

The village is written as it is drawn (`VillageStream`), one part of the register at a time, so the
memory it takes is that of a part, not of the village (50,000 households: under 600 MB, issue 20).
Its change log still reads table by table, parents first, as if each table had been written whole:
cadres, households and members are drawn in another order (members with their household, the
帮扶责任人 last), so their log places are reserved before the register is written and filled as the
rows come. Households go in first without their 帮扶责任人, who is set once drawn.
"""

import ctypes
import sys
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from fupin_desktop import paths
from fupin_desktop.db.base import Base
from fupin_desktop.db.changelog import (
    Reserved,
    bulk_insert,
    insert_rows,
    log_inserts,
    no_cycle_collection,
    reserve,
)
from fupin_desktop.db.session import Database, create_database
from fupin_desktop.domain.vocab import REGISTERED_STATUSES
from fupin_desktop.services.demo.assistance import demo_monitoring, write_demo_plans
from fupin_desktop.services.demo.constants import DEFAULT_VILLAGE_CODE, DEMO_TODAY, Row
from fupin_desktop.services.demo.ledgers import add_ledgers
from fupin_desktop.services.demo.portraits import add_portraits
from fupin_desktop.services.demo.village import TABLES, VillageStream, awaits_helper
from fupin_desktop.services.demo.visits import generate_season, link_plan_measures
from fupin_desktop.services.reference import load_reference

_BATCH = 20_000  # rows to an insert (with its change-log rows)


def _write_photos(db: Database, files: list[tuple[str, bytes, bytes]]) -> None:
    """The season's photos into the attachment folder beside the database (content-addressed)."""
    from fupin_desktop.services.attachments import Store

    root = paths.attachments_dir(db.file) if db.file else paths.data_dir() / "attachments"
    store = Store(root)
    for sha, data, thumb in files:
        store.put(store.path(sha, "jpg"), data)
        store.put(store.thumb(sha), thumb)


@dataclass(frozen=True)
class DemoSummary:
    village: str
    households: int
    members: int
    registered: int
    registered_members: int
    rows: int  # all rows written, change log excluded


def build_demo(target: str | Path, *, village_code: str = DEFAULT_VILLAGE_CODE, households: int | None = None,
               seed: int = 2020, progress: Callable[[str], None] = lambda _msg: None) -> DemoSummary:
    """Create a new database holding the demo village. Refuses to overwrite an existing one.

    Nothing is committed before the end; killed half-way, the file is marked unfinished and the
    next `fupin demo` (or open) starts again (db/session.py)."""
    progress("正在生成演示数据…")
    stream = VillageStream(village_code=village_code, households=households, seed=seed)
    db = create_database(target, replica_name="演示村电脑")
    try:
        with db.transaction(actor="演示数据") as s:
            rows = _write_village(s, stream, progress)
            _give_back_memory()
            village = stream.kept
            assert village is not None
            season = generate_season(village, seed=seed)
            _write_photos(db, season.files)
            for table, table_rows in season.tables():
                rows += _write(s, table, table_rows, progress)
            season.forget_all_but_links()  # the plans written next reuse its memory
            _give_back_memory()
            load_reference(s)
            rows += write_demo_plans(s, village, seed, lambda table, rows: _write(s, table, rows, progress))
            _give_back_memory()
            progress("防返贫监测：登记监测对象…")
            demo_monitoring(s, village, seed, today=DEMO_TODAY)
            rows += link_plan_measures(s, season, seed=seed)  # visits that moved N+2 measures forward
            progress("写入享受政策、公示、项目资金台账和明白栏张贴记录…")
            add_ledgers(s, DEMO_TODAY)
            progress("写入工作队示例照片…")
            add_portraits(s)
        with db.engine.connect() as conn:  # statistics for the query planner on a fresh register
            conn.exec_driver_sql("ANALYZE")
    except BaseException:
        db.discard()
        raise
    db.creation_done()
    db.close()
    v = village.village
    registered = {h["id"] for h in village.households if h["status"] in REGISTERED_STATUSES}
    return DemoSummary(
        village=f"{village.county['name']}{village.township['name']}{v['name']}",
        households=v["households_total"], members=v["population_total"], registered=len(registered),
        registered_members=sum(m["household_id"] in registered for m in village.members), rows=rows,
    )


def _give_back_memory() -> None:
    """Hand what a finished step freed back to the system. glibc's malloc keeps freed blocks for
    reuse, and the next steps (the season, the plans, the monitoring screen of every household) ask
    for other sizes: at 50,000 households their memory came on top, ~100 MB, instead of in its place."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def _write(s: Session, table: str, rows: list[Row], progress: Callable[[str], None]) -> int:
    progress(f"写入 {table}：{len(rows)} 行")
    for i in range(0, len(rows), _BATCH):  # the insert's own memory stays small
        bulk_insert(s, Base.metadata.tables[table], rows[i:i + _BATCH])
    return len(rows)


def _write_village(s: Session, stream: VillageStream, progress: Callable[[str], None]) -> int:
    """Write the village part by part as it is drawn; returns the rows written."""
    sizes = stream.sizes()
    # places in the log, in table order: cadres, households, members (incomes follow them)
    start = {"cadres": 0, "households": sizes["cadre"], "members": sizes["cadre"] + sizes["household"]}
    logged = dict.fromkeys(start, 0)
    places = None
    waiting: list[tuple[int, Row]] = []  # households logged once their 帮扶责任人 are drawn, with their places
    rows = 0
    table = Base.metadata.tables
    with no_cycle_collection():
        for name, part in stream:
            rows += len(part)
            if name not in start:
                if name != "household_incomes":
                    _write(s, TABLES[name], part, progress)
                else:
                    bulk_insert(s, table["household_income"], part)
                continue
            if places is None:  # the groups are logged: what follows in table order is reserved
                places = reserve(s, sum(sizes.values()))
            at = range(start[name] + logged[name], start[name] + logged[name] + len(part))
            logged[name] += len(part)
            if name == "households":
                insert_rows(s, table["household"], part)
                final = [(k, h) for k, h in zip(at, part, strict=True) if not awaits_helper(h)]
                waiting += [(k, h) for k, h in zip(at, part, strict=True) if awaits_helper(h)]
                _log_at(s, "household", places, final)
                progress(f"写入 household：{logged[name]}/{sizes['household']} 户")
            elif name == "cadres":
                bulk_insert(s, table["cadre"], part, at=(places, at))
                _set_helpers(s, [h for _, h in waiting])
                _log_at(s, "household", places, waiting)
                waiting = []
            else:
                bulk_insert(s, table["member"], part, at=(places, at))
    if list(logged.values()) != list(sizes.values()):  # every reserved place taken: no gap in the log
        raise RuntimeError(f"demo village: {logged} rows logged, {sizes} places reserved")
    return rows


def _log_at(s: Session, table: str, places: Reserved, rows: list[tuple[int, Row]]) -> None:
    for i in range(0, len(rows), _BATCH):
        batch = rows[i:i + _BATCH]
        log_inserts(s, Base.metadata.tables[table], [r for _, r in batch], at=(places, [k for k, _ in batch]))


def _set_helpers(s: Session, households: list[Row]) -> None:
    """The 帮扶责任人 of the households already written (drawn after them)."""
    household = Base.metadata.tables["household"]
    helped = [{"hid": h["id"], "helper": h["helper_id"], "stamp": h["updated_at"]}
              for h in households if h["helper_id"] is not None]
    if helped:  # the row's own updated_at: as if written whole (not the column's onupdate now())
        s.connection().execute(household.update().where(household.c.id == bindparam("hid"))
                               .values(helper_id=bindparam("helper"), updated_at=bindparam("stamp")), helped)

