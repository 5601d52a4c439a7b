"""Who may write what: a village installation writes only rows of its own village.

Ownership is read from the change log: a row belongs to the village whose installations wrote it
first (rows inserted by the county, and reference data, belong to the county). A change from a
village is applied only when

- its table is not county-only reference data (`county`, `ref_*`); a village's own township row
  (whose id follows from the village code) is the one shared row it may write;
- the row has no writer from another village (nor only the county);
- every row it refers to (foreign keys, and an attachment link's target) is its village's own, or
  reference data, or not known here yet (a row still on its way from the same village).

Anything else is kept in `sync_rejected` (never applied) and reported. The county's own changes,
and a return bundle at a village, are not filtered: the county is the authority.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from fupin_desktop.db.base import Base, synced_tables
from fupin_desktop.db.models import ChangeLog, Replica
from fupin_desktop.domain.ids import reference_id
from fupin_desktop.sync.merge import Change

REFERENCE, FORBIDDEN = "reference", "forbidden"
COUNTY = "county"
_CHUNK = 500


def county_only(table: str) -> bool:
    return table == "county" or table.startswith("ref_")


@dataclass(frozen=True)
class Rejected:
    change: Change
    reason: str  # REFERENCE (re-sent reference data, harmless) / FORBIDDEN (an alarm)
    detail: str


def _foreign_keys() -> dict[str, dict[str, str]]:
    tables = Base.metadata.tables
    return {t: {fk.parent.name: fk.column.table.name for fk in tables[t].foreign_keys} for t in synced_tables()}


_FKS: dict[str, dict[str, str]] = {}


def _writers(conn: Connection, wanted: dict[str, set[uuid.UUID]]) -> dict[tuple[str, uuid.UUID], set[uuid.UUID]]:
    """Replicas that have logged changes of each wanted row."""
    log = ChangeLog.__table__
    out: dict[tuple[str, uuid.UUID], set[uuid.UUID]] = defaultdict(set)
    for table, ids in wanted.items():
        ordered = sorted(ids)
        for i in range(0, len(ordered), _CHUNK):
            for rid, rep in conn.execute(select(log.c.row_id, log.c.replica_id).distinct()
                                         .where(log.c.table_name == table, log.c.row_id.in_(ordered[i:i + _CHUNK]))):
                out[(table, rid)].add(rep)
    return out


def split_by_rights(conn: Connection, changes: Iterable[Change], village_code: str,
                    names: dict[str, str] | None = None) -> tuple[list[Change], list[Rejected]]:
    """The changes a village installation of `village_code` may make, and the others with why."""
    if not _FKS:
        _FKS.update(_foreign_keys())
    changes = list(changes)
    villages = {r.id: (r.village_code if r.role == "village" else COUNTY)
                for r in conn.execute(select(Replica.id, Replica.role, Replica.village_code))}
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    link_targets: list[tuple[str, uuid.UUID]] = []
    for c in changes:
        wanted[c.table].add(c.row_id)
        for col, target in _FKS[c.table].items():
            v = c.fields.get(col)
            if v is not None:
                wanted[target].add(uuid.UUID(str(v)))
        if c.table == "attachment_link" and c.fields.get("target_id") and c.fields.get("target_table") in _FKS:
            link_targets.append((c.fields["target_table"], uuid.UUID(str(c.fields["target_id"]))))
    for t, rid in link_targets:
        wanted[t].add(rid)
    writers = _writers(conn, wanted)
    mine: set[tuple[str, uuid.UUID]] = set()
    bad: set[tuple[str, uuid.UUID]] = set()
    township = reference_id("township", village_code[:9])
    names = names or {}

    def foreign(table: str, rid: uuid.UUID) -> str | None:
        """Whose row this is, when it is not ours: a village code, COUNTY, or None (ours or unknown)."""
        if (table, rid) in mine:
            return None
        owners = {villages.get(rep, "?") for rep in writers.get((table, rid), ())}
        others = owners - {village_code}
        if not others:
            return None
        if others == {COUNTY} and village_code in owners:
            return None  # ours, corrected by the county since
        return sorted(others)[0]

    def who(owner: str) -> str:
        return "县里" if owner == COUNTY else f"{names.get(owner, '')}（{owner}）"

    allowed: list[Change] = []
    rejected: list[Rejected] = []
    for c in changes:
        key = (c.table, c.row_id)
        why = None
        if key in bad:
            why = "同一记录的前一条变更已被拒绝"
        elif county_only(c.table):
            rejected.append(Rejected(c, REFERENCE, f"{c.table} 是县级参考数据，只由县里维护"))
            continue
        elif c.table == "township":
            if c.row_id != township:
                why = "不是本村所在乡镇的记录"
        elif (owner := foreign(*key)) is not None:
            why = f"这条记录属于{who(owner)}"
        elif c.table == "village" and c.fields.get("code", village_code) != village_code:
            why = "村代码与发送方所属村不符"
        if why is None:
            targets = [(t, c.fields.get(col)) for col, t in _FKS[c.table].items()]
            if c.table == "attachment_link" and c.fields.get("target_table") in _FKS:
                targets.append((c.fields["target_table"], c.fields.get("target_id")))
            for t, v in targets:
                if v is None or county_only(t) or t == "township":
                    continue
                if (owner := foreign(t, uuid.UUID(str(v)))) is not None:
                    why = f"引用了{who(owner)}的记录（{t}）"
                    break
        if why is None:
            allowed.append(c)
            mine.add(key)
        else:
            bad.add(key)
            rejected.append(Rejected(c, FORBIDDEN, why))
    return allowed, rejected
