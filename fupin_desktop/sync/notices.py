"""Conflicts told in people's words, and told to every village they concern.

At the county a conflict names a row; a clerk needs the person and the household. A person
registered in two villages is held at the county (a duplicate conflict); both villages must hear
of it, so every return carries the county's open duplicates that touch the addressee village,
described with names, household numbers and villages. The village keeps them as conflicts of
kind `elsewhere`, replaced by each newer return.
"""

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Household, Member, SyncConflict, Village
from fupin_desktop.domain import idcard
from fupin_desktop.sync.merge import CONFLICT_NS, DUPLICATE, OPEN

ELSEWHERE = "elsewhere"
TABLE_NAMES = {"household": "户", "member": "家庭成员", "village": "村", "cadre": "帮扶干部", "visit": "走访",
               "assistance_plan": "帮扶计划", "attachment": "照片/文件", "village_exit_item": "贫困村退出核查项",
               "relocation": "易地搬迁登记", "micro_loan": "扶贫小额信贷"}


def row_village(s: Session, table: str, row_id: uuid.UUID) -> str | None:
    """The village code of a household or member row (None for other tables or unknown rows)."""
    if table == "member":
        row = s.execute(select(Village.code).join(Household, Household.village_id == Village.id)
                        .join(Member, Member.household_id == Household.id).where(Member.id == row_id)).first()
    elif table == "household":
        row = s.execute(select(Village.code).join(Household, Household.village_id == Village.id)
                        .where(Household.id == row_id)).first()
    else:
        return None
    return row[0] if row else None


def describe(s: Session, table: str, row_id: uuid.UUID) -> str:
    """A row as a clerk would name it: 张三（身份证 4101**********1234，新沟村 0012户）."""
    if table == "member":
        row = s.execute(select(Member.name, Member.id_number, Household.number, Village.name.label("village"))
                        .join(Household, Member.household_id == Household.id)
                        .join(Village, Household.village_id == Village.id).where(Member.id == row_id)).first()
        if row:
            return f"{row.name}（身份证 {idcard.mask(row.id_number)}，{row.village} {row.number}户）"
    if table == "household":
        found = s.execute(select(Household.number, Village.name).join(Village, Household.village_id == Village.id)
                          .where(Household.id == row_id)).first()
        if found:
            head = s.scalar(select(Member.name).where(Member.household_id == row_id, Member.relation == "户主"))
            return f"{found[1]} {found[0]}户（户主 {head or '未登记'}）"
    return f"{TABLE_NAMES.get(table, table)} {row_id.hex[:8]}…"


def duplicate_notices(s: Session, village_code: str) -> list[dict[str, Any]]:
    """The county's open duplicates that involve a row of this village, for its return."""
    out = []
    for c in s.scalars(select(SyncConflict).where(SyncConflict.kind == DUPLICATE, SyncConflict.status == OPEN)):
        rows = [uuid.UUID(m[0]) for m in c.members]
        codes = {r: row_village(s, c.table_name, r) for r in rows}
        ours = [r for r, code in codes.items() if code == village_code]
        if not ours:
            continue
        detail = "同一人（同一身份证号）登记在多处：" + "；".join(describe(s, c.table_name, r) for r in rows) \
            + "。县里暂只保留其中一处，请与相关村核实后删除或更正重复的一条。"
        for r in ours:
            out.append({"table": c.table_name, "row_id": r.hex, "field": c.field, "detail": detail})
    return out


def store_elsewhere(s: Session, notices: Any) -> int:
    """At a village: the duplicates the county reported in its latest return replace earlier ones."""
    s.execute(delete(SyncConflict).where(SyncConflict.kind == ELSEWHERE))
    n = 0
    for x in notices if isinstance(notices, list) else []:
        if not (isinstance(x, dict) and all(isinstance(x.get(k), str) for k in ("table", "row_id", "field", "detail"))):
            continue
        try:
            rid = uuid.UUID(x["row_id"])
        except ValueError:
            continue
        s.add(SyncConflict(id=uuid.uuid5(CONFLICT_NS, f"{ELSEWHERE}/{x['table'][:40]}/{rid.hex}/{x['field'][:60]}"),
                           kind=ELSEWHERE, table_name=x["table"][:40], row_id=rid, field=x["field"][:60], members=[],
                           winner=[], village_code=None, status=OPEN, detail=x["detail"][:2000]))
        n += 1
    s.flush()
    return n
