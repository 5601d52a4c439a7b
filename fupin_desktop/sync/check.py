"""户、表、机 三对照, county side: where the county's record ("机") differs from what the village
last reported ("表", as the village typed it from the household, "户").

For every field a village's replicas have written, the village's latest value is compared with
the county's current value. Differences are county corrections the village has not taken up yet,
open conflicts, or rows held as duplicates: the list to print and verify in the household.
Generic over every synced table, like the rest of sync.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.base import Base
from fupin_desktop.db.models import ChangeLog, Replica
from fupin_desktop.db.models.sync_log import VILLAGE


@dataclass(frozen=True)
class Difference:
    table: str
    row_id: uuid.UUID
    field: str
    village_value: Any
    county_value: Any
    changed_by: str  # who wrote the county's value
    changed_at: datetime | None


def _norm(value: Any) -> bytes:
    return orjson.dumps(value, default=str, option=orjson.OPT_SORT_KEYS)


def village_differences(s: Session, village_code: str) -> list[Difference]:
    replicas = {r.id: r for r in s.scalars(select(Replica))}
    ours = [rid for rid, r in replicas.items() if r.village_code == village_code and r.role == VILLAGE]
    if not ours:
        return []
    log = ChangeLog.__table__
    latest: dict[tuple[str, uuid.UUID, str], tuple[str, Any]] = {}
    for r in s.execute(select(log.c.table_name, log.c.row_id, log.c.hlc, log.c.fields)
                       .where(log.c.replica_id.in_(ours))):
        for name, value in r.fields.items():
            key = (r.table_name, r.row_id, name)
            if key not in latest or latest[key][0] < r.hlc:
                latest[key] = (r.hlc, value)
    by_row: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for (table_name, rid, name), (_hlc, value) in latest.items():
        by_row.setdefault((table_name, rid), {})[name] = value
    out = []
    tables = Base.metadata.tables
    for (table_name, rid), fields in sorted(by_row.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        table = tables.get(table_name)
        if table is None:
            continue
        row = s.execute(select(table).where(table.c.id == rid)).first()
        if row is None:
            continue
        current = row._mapping
        for name, village_value in fields.items():
            if name not in current or _norm(current[name]) == _norm(village_value):
                continue
            if name == "deleted_at" and (current[name] is None) == (village_value is None):
                continue
            writer = s.execute(select(log.c.replica_id, log.c.actor, log.c.at, log.c.fields)
                               .where(log.c.table_name == table_name, log.c.row_id == rid)
                               .order_by(log.c.hlc.desc())).all()
            who = next(((replicas[w.replica_id].name + " " + w.actor, w.at) for w in writer if name in w.fields),
                       ("", None))
            out.append(Difference(table_name, rid, name, village_value, current[name], who[0].strip(), who[1]))
    return out
