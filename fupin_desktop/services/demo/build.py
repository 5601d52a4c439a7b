"""`fupin demo`: a realistic demo village written in one transaction, change log included."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fupin_desktop import paths
from fupin_desktop.db.base import Base
from fupin_desktop.db.changelog import bulk_insert
from fupin_desktop.db.session import Database, create_database
from fupin_desktop.domain.vocab import REGISTERED_STATUSES
from fupin_desktop.services.demo.assistance import write_demo_plans
from fupin_desktop.services.demo.constants import DEFAULT_VILLAGE_CODE, DEMO_TODAY
from fupin_desktop.services.demo.ledgers import add_ledgers
from fupin_desktop.services.demo.portraits import add_portraits
from fupin_desktop.services.demo.village import generate_village
from fupin_desktop.services.demo.visits import generate_season, link_plan_measures
from fupin_desktop.services.reference import load_reference

_BATCH = 20_000  # rows to an insert (with its change-log rows)
# Generated rows the steps after the inserts read again (plans, visit links, the summary); the rest,
# such as 224,000 income rows at 50,000 households, are dropped once written.
_READ_AGAIN = frozenset({"county", "township", "village", "villager_group", "cadre", "household", "member", "visit"})


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
    """Create a new database holding the demo village. Refuses to overwrite an existing one."""
    progress("正在生成演示数据…")
    village = generate_village(village_code=village_code, households=households, seed=seed)
    season = generate_season(village, seed=seed)
    db = create_database(target, replica_name="演示村电脑")
    try:
        rows = 0
        _write_photos(db, season.files)
        with db.transaction(actor="演示数据") as s:
            for table, table_rows in [*village.tables(), *season.tables()]:
                progress(f"写入 {table}：{len(table_rows)} 行")
                for i in range(0, len(table_rows), _BATCH):  # the insert's own memory stays small
                    rows += bulk_insert(s, Base.metadata.tables[table], table_rows[i:i + _BATCH])
                if table not in _READ_AGAIN:  # the plans and ledgers written next reuse its memory
                    table_rows.clear()
            load_reference(s)
            rows += write_demo_plans(s, village, seed, progress)
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
    registered = {h["id"] for h in village.households if h["status"] in REGISTERED_STATUSES}
    return DemoSummary(
        village=f"{village.county['name']}{village.township['name']}{village.village['name']}",
        households=len(village.households), members=len(village.members), registered=len(registered),
        registered_members=sum(m["household_id"] in registered for m in village.members), rows=rows,
    )
