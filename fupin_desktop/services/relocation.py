"""易地扶贫搬迁 register (domain.md §2.13): one row per household moved; the area cap, and the old
house's demolition and the deed's return as due items."""

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Household, Member, Relocation
from fupin_desktop.db.query import get_live, live
from fupin_desktop.domain import clock
from fupin_desktop.domain.registers import RelocationForm, check_relocation, relocation_deadlines
from fupin_desktop.errors import ValidationError
from fupin_desktop.services.due import DueItem, due_source

WARN_DAYS = 30  # a deadline this close shows on 首页 before it passes


@dataclass(frozen=True)
class RelocationRow:
    id: uuid.UUID
    household_id: uuid.UUID
    household_number: str
    head_name: str
    form: RelocationForm  # deadlines filled in

    @property
    def open_tasks(self) -> tuple[str, ...]:
        f = self.form
        return tuple(t for t, done, due in (("拆旧复垦", f.demolished_on, f.demolish_due),
                                             ("交回宅基证", f.deed_surrendered_on, f.deed_due))
                     if done is None and due is not None)


_FIELDS = tuple(RelocationForm.__dataclass_fields__)


def _head():
    return (select(Member.name).where(Member.household_id == Household.id, Member.relation == "户主",
                                      live(Member)).limit(1).scalar_subquery())


def save_relocation(session: Session, household_id: uuid.UUID, form: RelocationForm, *,
                    today: date | None = None) -> uuid.UUID:
    """Create or replace the household's relocation record; refused whole, with the rule, when invalid."""
    today = today or clock.today()
    h = get_live(session, Household, household_id)
    members = session.scalar(select(func.count()).select_from(Member).where(
        Member.household_id == h.id, live(Member))) or 0
    errors = check_relocation(form, members, today)
    if errors:
        raise ValidationError(errors)
    demolish, deed = relocation_deadlines(form)
    form = replace(form, site=form.site.strip(), demolish_due=demolish, deed_due=deed,
                   note=(form.note or "").strip() or None)
    row = session.scalar(select(Relocation).where(Relocation.household_id == h.id, live(Relocation)))
    if row is None:
        row = Relocation(household_id=h.id, **{k: getattr(form, k) for k in _FIELDS})
        session.add(row)
    else:
        for k in _FIELDS:
            if getattr(row, k) != getattr(form, k):
                setattr(row, k, getattr(form, k))
    session.flush()
    return row.id


def list_relocations(session: Session, *, household_id: uuid.UUID | None = None) -> list[RelocationRow]:
    wanted = [live(Relocation), live(Household)]
    if household_id is not None:
        wanted.append(Relocation.household_id == household_id)
    rows = session.execute(select(Relocation, Household.number, _head()).join(Household).where(*wanted)
                           .order_by(Household.number))
    return [RelocationRow(r.id, r.household_id, number, head or "",
                          RelocationForm(**{k: getattr(r, k) for k in _FIELDS})) for r, number, head in rows]


@due_source
def _relocation_deadlines(session: Session, today: date) -> list[DueItem]:
    """The old house demolished within 3–6 months of moving in, the 宅基证 handed in (「一户一宅」)."""
    soon = today + timedelta(days=WARN_DAYS)
    items = []
    for r in list_relocations(session):
        f = r.form
        if f.demolished_on is None and f.demolish_due is not None and f.demolish_due <= soon:
            items.append(DueItem("易地搬迁", f"{r.household_number} {r.head_name}：旧房须拆除复垦（入住{f.moved_on}）",
                                 f.demolish_due, r.household_id))
        if f.deed_surrendered_on is None and f.deed_due is not None and f.deed_due <= soon:
            items.append(DueItem("易地搬迁", f"{r.household_number} {r.head_name}：须交回原宅基证（不得两头占地）",
                                 f.deed_due, r.household_id))
    return items
