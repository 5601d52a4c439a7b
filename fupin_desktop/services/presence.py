"""驻村考勤: each resident cadre's day (在村 / 公务外出 / 请假(备案) / 休息), filed leave (离队备案),
and the monthly days in the village (驻村天数核定) per cadre."""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Cadre, LeaveRecord, PresenceDay
from fupin_desktop.db.query import get_live, live, tombstone
from fupin_desktop.domain import clock
from fupin_desktop.domain.visits import (
    IN_VILLAGE,
    LEAVE_KINDS,
    ON_BUSINESS,
    ON_LEAVE,
    PRESENCE_STATES,
    REST,
    month_days,
)
from fupin_desktop.errors import FieldError, ValidationError
from fupin_desktop.services.village import current_village

RESIDENT_ROLES = ("第一书记", "工作队员")
MAX_LEAVE_DAYS = 60


@dataclass(frozen=True)
class CadrePresence:
    cadre_id: uuid.UUID
    name: str
    role: str
    states: dict[date, str]  # recorded days only
    in_village: int
    on_business: int
    on_leave: int
    rest: int
    unrecorded: int  # days up to today with nothing recorded


@dataclass(frozen=True)
class PresenceMonth:
    year: int
    month: int
    days: list[date]
    cadres: list[CadrePresence]


@dataclass
class LeaveForm:
    kind: str
    starts_on: date
    ends_on: date
    reason: str | None = None
    filed_with: str | None = None
    filed_on: date | None = None


@dataclass(frozen=True)
class LeaveRow:
    id: uuid.UUID
    cadre_id: uuid.UUID
    cadre: str
    kind: str
    starts_on: date
    ends_on: date
    days: int
    reason: str | None
    filed_with: str | None
    filed_on: date | None



def set_presence_days(session: Session, chosen: Mapping[uuid.UUID, Iterable[date]], state: str | None, *,
                      today: date | None = None) -> int:
    """`set_presence` for the days chosen of several cadres (a selection in the month grid)."""
    return sum(set_presence(session, cadre_id, days, state, today=today) for cadre_id, days in chosen.items())


def set_presence(session: Session, cadre_id: uuid.UUID, days: Iterable[date], state: str | None, *,
                 note: str | None = None, today: date | None = None) -> int:
    """Record (or with state None clear) the days of one cadre; returns how many rows changed.

    Days after today are refused except for 请假(备案) (planned leave is filed ahead). A day that
    belongs to a filed leave is changed only by changing the leave.
    """
    today = today or clock.today()
    c = get_live(session, Cadre, cadre_id)
    days = sorted(set(days))
    if state is not None and state not in PRESENCE_STATES:
        raise ValidationError([FieldError("state", f"考勤状态“{state}”无效（{'、'.join(PRESENCE_STATES)}）")])
    future = [d for d in days if d > today]
    if future and state is not None:
        raise ValidationError([FieldError("day", f"{future[0]} 还没到，只能提前登记请假（请用“登记请假”）")])
    if state == ON_LEAVE:
        raise ValidationError([FieldError("state", "请假须备案：请用“登记请假”填写假别、起止日期和备案单位")])
    existing = {p.day: p for p in session.scalars(select(PresenceDay).where(
        PresenceDay.cadre_id == c.id, PresenceDay.day.in_(days), live(PresenceDay)))}
    on_leave = [d for d, p in existing.items() if p.leave_id is not None]
    if on_leave:
        raise ValidationError([FieldError("day", f"{c.name} {on_leave[0]} 在已备案的请假期间，请先修改或撤销该请假")])
    changed = 0
    for day in days:
        row = existing.get(day)
        if state is None:
            if row is not None:
                tombstone(session, row)
                changed += 1
        elif row is None:
            session.add(PresenceDay(cadre_id=c.id, day=day, state=state, note=(note or "").strip() or None))
            changed += 1
        elif row.state != state or (note is not None and row.note != note):
            row.state = state
            if note is not None:
                row.note = note.strip() or None
            changed += 1
    session.flush()
    return changed


def record_leave(session: Session, cadre_id: uuid.UUID, form: LeaveForm, *, today: date | None = None) -> uuid.UUID:
    """File a leave (离队备案) and mark its days 请假(备案)."""
    today = today or clock.today()
    c = get_live(session, Cadre, cadre_id)
    errors = []
    if form.kind not in LEAVE_KINDS:
        errors.append(FieldError("kind", f"假别“{form.kind}”无效（{'、'.join(LEAVE_KINDS)}）"))
    if form.ends_on < form.starts_on:
        errors.append(FieldError("ends_on", "结束日期不能早于开始日期"))
    elif (form.ends_on - form.starts_on).days + 1 > MAX_LEAVE_DAYS:
        errors.append(FieldError("ends_on", f"一次请假最长{MAX_LEAVE_DAYS}天，请分段登记"))
    if not (form.filed_with or "").strip():
        errors.append(FieldError("filed_with", "请填写备案单位或审批人（离队备案制度）"))
    if form.filed_on is not None and form.filed_on > today:
        errors.append(FieldError("filed_on", "备案日期不能晚于今天"))
    if errors:
        raise ValidationError(errors)
    days = [form.starts_on + timedelta(days=i) for i in range((form.ends_on - form.starts_on).days + 1)]
    clash = session.scalar(select(PresenceDay.day).where(
        PresenceDay.cadre_id == c.id, PresenceDay.day.in_(days), PresenceDay.leave_id.is_not(None),
        live(PresenceDay)).limit(1))
    if clash is not None:
        raise ValidationError([FieldError("starts_on", f"{c.name} {clash} 已在另一次请假中")])
    leave = LeaveRecord(cadre_id=c.id, kind=form.kind, starts_on=form.starts_on, ends_on=form.ends_on,
                        reason=(form.reason or "").strip() or None, filed_with=(form.filed_with or "").strip(),
                        filed_on=form.filed_on or today)
    session.add(leave)
    session.flush()
    existing = {p.day: p for p in session.scalars(select(PresenceDay).where(
        PresenceDay.cadre_id == c.id, PresenceDay.day.in_(days), live(PresenceDay)))}
    for day in days:
        row = existing.get(day)
        if row is None:
            session.add(PresenceDay(cadre_id=c.id, day=day, state=ON_LEAVE, leave_id=leave.id))
        else:
            row.state, row.leave_id = ON_LEAVE, leave.id
    session.flush()
    return leave.id


def cancel_leave(session: Session, leave_id: uuid.UUID) -> None:
    """Withdraw a filed leave: the leave and its days are tombstoned (the days become unrecorded)."""
    tombstone(session, get_live(session, LeaveRecord, leave_id), cascade=[PresenceDay.leave_id])


def month_presence(session: Session, year: int, month: int, *, today: date | None = None) -> PresenceMonth:
    """Every resident cadre (第一书记, 工作队员, and anyone with a day recorded) for one month."""
    today = today or clock.today()
    days = month_days(year, month)
    v = current_village(session)
    recorded = session.execute(select(PresenceDay.cadre_id, PresenceDay.day, PresenceDay.state).where(
        PresenceDay.day >= days[0], PresenceDay.day <= days[-1], live(PresenceDay))).all()
    states: dict[uuid.UUID, dict[date, str]] = {}
    for cadre_id, day, state in recorded:
        states.setdefault(cadre_id, {})[day] = state
    cadres = session.scalars(select(Cadre).where(Cadre.village_id == v.id)).all()
    shown = [c for c in cadres if c.id in states or (c.deleted_at is None and c.role in RESIDENT_ROLES)]
    order = {r: i for i, r in enumerate(RESIDENT_ROLES)}
    shown.sort(key=lambda c: (order.get(c.role, 9), c.started_on or date.min, c.name))
    past = [d for d in days if d <= today]
    out = []
    for c in shown:
        s = states.get(c.id, {})
        counts = {state: sum(1 for x in s.values() if x == state) for state in PRESENCE_STATES}
        out.append(CadrePresence(c.id, c.name, c.role, s, counts[IN_VILLAGE], counts[ON_BUSINESS], counts[ON_LEAVE],
                                 counts[REST], sum(1 for d in past if d not in s)))
    return PresenceMonth(year, month, days, out)


def leave_records(session: Session, *, year: int | None = None) -> list[LeaveRow]:
    stmt = select(LeaveRecord, Cadre.name).join(Cadre, Cadre.id == LeaveRecord.cadre_id).where(
        live(LeaveRecord))
    if year is not None:
        stmt = stmt.where(LeaveRecord.starts_on <= date(year, 12, 31), LeaveRecord.ends_on >= date(year, 1, 1))
    rows = session.execute(stmt.order_by(LeaveRecord.starts_on.desc())).all()
    return [LeaveRow(r.id, r.cadre_id, name, r.kind, r.starts_on, r.ends_on, (r.ends_on - r.starts_on).days + 1,
                     r.reason, r.filed_with, r.filed_on) for r, name in rows]


def resident_cadres(session: Session) -> list[tuple[uuid.UUID, str, str]]:
    v = current_village(session)
    rows = session.execute(select(Cadre.id, Cadre.name, Cadre.role).where(
        Cadre.village_id == v.id, live(Cadre), Cadre.role.in_(RESIDENT_ROLES))).all()
    order = {r: i for i, r in enumerate(RESIDENT_ROLES)}
    return sorted(((i, n, r) for i, n, r in rows), key=lambda x: (order[x[2]], x[1]))
