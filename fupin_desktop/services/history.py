"""The history of a household, read from the change log: who changed which field, from what to what.

The log stores only new values. The value a field had before a change is found by replaying the
earlier entries of the same row in clock order: an insert logs every non-empty column (so any
column it leaves out was empty), and each update overwrites the fields it names. When the log
holds no insert for a row (rows that arrived some other way), a field's earlier value is unknown
until an entry writes it, and the history says so instead of guessing.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Cadre, ChangeLog, Household, HouseholdIncome, Member, VillagerGroup
from fupin_desktop.db.query import get_any
from fupin_desktop.domain import labels
from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.rows import FieldChange, HistoryRow
from fupin_desktop.services.accounts import actor_names
from fupin_desktop.services.reference import attribute_names, cause_names

HOUSEHOLD, MEMBER, INCOME = "household", "member", "household_income"
# Bookkeeping columns people never edit: the tombstone shows as the operation, keys are implied.
_HIDDEN = frozenset({"deleted_at", "village_id", "household_id", "name_initials"})
_WATER = frozenset({"water_quality_ok", "water_quantity_ok", "water_convenience_ok", "water_reliability_ok"})

Show = Callable[[str, Any], str | None]


def household_history(session: Session, household_id: uuid.UUID) -> list[HistoryRow]:
    """Every logged change of the household row, its members and its incomes, oldest first."""
    get_any(session, Household, household_id)  # a deleted household keeps its history
    members = dict(session.execute(select(Member.id, Member.name).where(Member.household_id == household_id)).all())
    incomes = dict(session.execute(select(HouseholdIncome.id, HouseholdIncome.year)
                                   .where(HouseholdIncome.household_id == household_id)).all())
    entries = session.scalars(select(ChangeLog).where(or_(
        and_(ChangeLog.table_name == HOUSEHOLD, ChangeLog.row_id == household_id),
        and_(ChangeLog.table_name == MEMBER, ChangeLog.row_id.in_(members)),
        and_(ChangeLog.table_name == INCOME, ChangeLog.row_id.in_(incomes)),
    )).order_by(ChangeLog.hlc, ChangeLog.seq)).all()
    show = _formatter(session)
    people = actor_names(session)  # login name → 张伟; actors from elsewhere (county, CLI) show as logged
    known: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}  # (table, row) → replayed values
    inserted: set[tuple[str, uuid.UUID]] = set()
    rows = []
    for e in entries:
        key = (e.table_name, e.row_id)
        before = known.setdefault(key, {})
        if e.op == "insert":
            inserted.add(key)
        changes = _changes(e.table_name, e.op, e.fields, before, key in inserted and e.op != "insert", show)
        before.update(e.fields)
        rows.append(HistoryRow(at=e.at, actor=people.get(e.actor, e.actor), table=e.table_name, op=e.op,
                               fields=dict(e.fields),
                               record=_record(e.table_name, before, members.get(e.row_id), incomes.get(e.row_id)),
                               row_id=e.row_id, changes=changes))
    return rows


def _changes(table: str, op: str, fields: dict[str, Any], before: dict[str, Any], complete: bool,
             show: Show) -> tuple[FieldChange, ...]:
    """The visible fields of one entry, in the order of the label table, with old and new text."""
    names = labels.BY_TABLE.get(table, {})
    order = {name: i for i, name in enumerate(names)}
    out = []
    for name in sorted((f for f in fields if f not in _HIDDEN), key=lambda f: (order.get(f, len(order)), f)):
        new = show(name, fields[name])
        if op == "insert":
            if new is not None:
                out.append(FieldChange(name, names.get(name, name), None, new))
            continue
        old_known = complete or name in before
        old = show(name, before.get(name)) if old_known else None
        if old_known and old == new:
            continue  # e.g. a restore that writes back what was there
        out.append(FieldChange(name, names.get(name, name), old, new, old_known))
    return tuple(out)


def _record(table: str, values: dict[str, Any], current_name: str | None, current_year: int | None) -> str:
    """Which record a change is about, by the name (or year) it had after the change."""
    if table == MEMBER:
        return f"成员 {values.get('name') or current_name or '？'}"
    if table == INCOME:
        return f"收入 {values.get('year') or current_year or '？'}年"
    return "户"


def _formatter(session: Session) -> Show:
    """Turns logged values into the text people read: names for codes and keys, 是/否, yuan."""
    causes, attributes = cause_names(session), attribute_names(session)
    groups = {str(k): v for k, v in session.execute(select(VillagerGroup.id, VillagerGroup.name)).all()}
    cadres = {str(k): v for k, v in session.execute(select(Cadre.id, Cadre.name)).all()}
    named = {"main_cause": causes, "group_id": groups, "helper_id": cadres}
    listed = {"secondary_causes": causes, "attributes": attributes}

    def show(name: str, value: Any) -> str | None:
        if value is None or value == "" or value == []:
            return None
        if name in named:
            return named[name].get(str(value), f"（未知：{value}）")
        if name in listed:  # in the reference list's order, which is how people know them
            names = listed[name]
            order = {code: i for i, code in enumerate(names)}
            return _join(names.get(v, v) for v in sorted(map(str, value), key=lambda v: (order.get(v, len(order)), v)))
        if isinstance(value, bool):
            return ("达标" if value else "不达标") if name in _WATER else ("是" if value else "否")
        if name.endswith("_fen") and isinstance(value, int):
            return f"{yuan(value)}元"
        if isinstance(value, list):
            return _join(str(v) for v in value)
        return str(value)
    return show


def _join(values: Iterable[str]) -> str:
    return "、".join(values)
