"""问题整改台账: problems from inspections, assessments and visits, rectified and closed item by item.

Status goes 未整改 → 整改中 → 已销号. 销号 needs evidence (an attached photo or document, or a
written 佐证说明) and a verifier (验收人); an item past its deadline and not closed is overdue (red).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from fupin_desktop.db.models import Cadre, Household, LedgerItem, Member
from fupin_desktop.db.query import get_live, is_live, live, tombstone
from fupin_desktop.domain import clock
from fupin_desktop.domain.visits import (
    CLOSED,
    IN_PROGRESS,
    LEDGER_CATEGORIES,
    LEDGER_LEVELS,
    LEDGER_SOURCES,
    LEDGER_STATUSES,
    OPEN,
    CloseCheck,
    close_problems,
    ledger_overdue,
)
from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.errors import FieldError, ValidationError
from fupin_desktop.services.attachments import PreparedFile, add_attachment, attachments_of
from fupin_desktop.services.due import DueItem, due_source
from fupin_desktop.services.village import current_village

MAX_DESCRIPTION = 500
DUE_SOON_DAYS = 7


@dataclass
class LedgerForm:
    source: str
    description: str
    category: str
    level: str = "户级"
    received_on: date | None = None  # today when empty
    household_id: uuid.UUID | None = None
    member_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    responsible_id: uuid.UUID | None = None
    measure: str | None = None
    deadline: date | None = None


@dataclass(frozen=True)
class LedgerRow:
    id: uuid.UUID
    number: str
    source: str
    received_on: date
    description: str
    category: str
    level: str
    household_id: uuid.UUID | None
    household: str | None  # "0012 张三明"
    responsible_id: uuid.UUID | None
    responsible: str | None
    measure: str | None
    deadline: date | None
    status: str
    evidence_note: str | None
    verifier: str | None
    closed_on: date | None
    visit_id: uuid.UUID | None
    evidence_files: int
    overdue: bool

    def form(self) -> LedgerForm:
        return LedgerForm(self.source, self.description, self.category, self.level, self.received_on,
                          self.household_id, None, None, self.responsible_id, self.measure, self.deadline)


@dataclass(frozen=True)
class LedgerQuery:
    status: str | None = None  # one status; None: all
    open_only: bool = False  # not 已销号
    overdue_only: bool = False
    source: str | None = None
    category: str | None = None
    household_id: uuid.UUID | None = None
    responsible_id: uuid.UUID | None = None
    text: str = ""
    item_id: uuid.UUID | None = None
    limit: int = 500
    offset: int = 0


@dataclass(frozen=True)
class LedgerSummary:
    """The daily dispatch figures (问题整改日调度)."""

    day: date
    total: int
    open: int
    in_progress: int
    closed: int
    overdue: int
    due_soon: int  # open, due within DUE_SOON_DAYS
    new_today: int
    closed_today: int
    by_source: dict[str, tuple[int, int]] = field(default_factory=dict)  # source → (all, not closed)

    def text(self) -> str:
        return (f"{self.day:%Y年%m月%d日} 问题整改日调度：共{self.total}项，已销号{self.closed}项，"
                f"整改中{self.in_progress}项，未整改{self.open}项；逾期{self.overdue}项，"
                f"{DUE_SOON_DAYS}天内到期{self.due_soon}项；今日新增{self.new_today}项，今日销号{self.closed_today}项。")


def check_ledger_form(form: LedgerForm, today: date) -> list[FieldError]:
    errors = []
    if form.source not in LEDGER_SOURCES:
        errors.append(FieldError("source", f"问题来源“{form.source}”不在可选范围内（{'、'.join(LEDGER_SOURCES)}）"))
    if form.category not in LEDGER_CATEGORIES:
        errors.append(FieldError("category",
                                 f"问题类别“{form.category}”不在可选范围内（{'、'.join(LEDGER_CATEGORIES)}）"))
    if form.level not in LEDGER_LEVELS:
        errors.append(FieldError("level", f"问题层级“{form.level}”不在可选范围内（{'、'.join(LEDGER_LEVELS)}）"))
    text = form.description.strip()
    if not text:
        errors.append(FieldError("description", "请填写问题描述"))
    elif len(text) > MAX_DESCRIPTION:
        errors.append(FieldError("description", f"问题描述过长（最多{MAX_DESCRIPTION}字）"))
    received = form.received_on or today
    if received > today:
        errors.append(FieldError("received_on", "发现日期不能晚于今天"))
    if form.deadline is not None and form.deadline < received:
        errors.append(FieldError("deadline", "整改期限不能早于发现日期"))
    if form.level != "村级" and form.household_id is None and form.project_id is None:
        errors.append(FieldError("household_id", "户级、人员问题请选择所涉农户"))
    return errors


def next_number(session: Session, village_id: uuid.UUID, year: int) -> str:
    """2026-001, 2026-002 …: one more than the highest of the year (deleted items keep theirs)."""
    prefix = f"{year}-"
    last = session.scalar(select(func.max(LedgerItem.number)).where(
        LedgerItem.village_id == village_id, LedgerItem.number.like(f"{prefix}%")))
    n = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{n:03d}"



def _check_refs(session: Session, form: LedgerForm) -> list[FieldError]:
    errors = []
    if form.household_id is not None and not is_live(session, Household, form.household_id):
        errors.append(FieldError("household_id", "所涉农户已被删除或不存在"))
    if form.member_id is not None:
        m = session.get(Member, form.member_id)
        if m is None or m.deleted_at is not None or m.household_id != form.household_id:
            errors.append(FieldError("member_id", "所选成员不在该户"))
    if form.responsible_id is not None and not is_live(session, Cadre, form.responsible_id):
        errors.append(FieldError("responsible_id", "责任人已离任或不存在"))
    return errors


def save_ledger_item(session: Session, item_id: uuid.UUID | None, form: LedgerForm, *,
                     visit_id: uuid.UUID | None = None, today: date | None = None) -> uuid.UUID:
    """Add (item_id None) or edit a problem. Raises ValidationError, writing nothing."""
    today = today or clock.today()
    errors = check_ledger_form(form, today) + _check_refs(session, form)
    if errors:
        raise ValidationError(errors)
    received = form.received_on or today
    if item_id is None:
        v = current_village(session)
        item = LedgerItem(village_id=v.id, number=next_number(session, v.id, received.year), status=OPEN,
                          visit_id=visit_id, received_on=received, source=form.source,
                          description=form.description.strip(), category=form.category, level=form.level)
        session.add(item)
    else:
        item = get_live(session, LedgerItem, item_id)
        if item.status == CLOSED:
            raise ValidationError([FieldError(
                "status", f"问题 {item.number} 已销号，不能再修改。如需重新整改请先“退回整改”。")])
    values = dict(source=form.source, received_on=received, description=form.description.strip(),
                  category=form.category, level=form.level, household_id=form.household_id,
                  member_id=form.member_id, project_id=form.project_id, responsible_id=form.responsible_id,
                  measure=(form.measure or "").strip() or None, deadline=form.deadline)
    for name, value in values.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
    session.flush()
    return item.id


def start_rectification(session: Session, item_id: uuid.UUID, *, measure: str | None = None) -> None:
    """未整改 → 整改中 (optionally recording the measure taken)."""
    item = get_live(session, LedgerItem, item_id)
    if item.status == CLOSED:
        raise ValidationError([FieldError("status", f"问题 {item.number} 已销号")])
    item.status = IN_PROGRESS
    if measure and measure.strip():
        item.measure = measure.strip()


def close_ledger_item(session: Session, item_id: uuid.UUID, *, verifier: str | None,
                      evidence_note: str | None = None, evidence_files: Sequence[str | Path | PreparedFile] = (),
                      closed_on: date | None = None, today: date | None = None) -> None:
    """销号: refused without evidence (files already attached, files given now, or a 佐证说明)
    and a verifier. Files given are stored and linked to the item in the same transaction."""
    today = today or clock.today()
    item = get_live(session, LedgerItem, item_id)
    if item.status == CLOSED:
        raise ValidationError([FieldError("status", f"问题 {item.number} 已经销号")])
    attached = len(attachments_of(session, "ledger_item", [item.id])[item.id])
    problems = close_problems(CloseCheck(attached + len(evidence_files), evidence_note, verifier,
                                         closed_on or today, item.received_on, today))
    if problems:
        raise ValidationError([FieldError(f, m, f"问题 {item.number}") for f, m in problems])
    for source in evidence_files:
        add_attachment(session, source, target_table="ledger_item", target_id=item.id)
    item.status = CLOSED
    item.verifier = (verifier or "").strip()
    item.evidence_note = (evidence_note or "").strip() or None
    item.closed_on = closed_on or today


def reopen_ledger_item(session: Session, item_id: uuid.UUID) -> None:
    """验收不通过: 已销号 → 整改中 (the verifier and close date are cleared)."""
    item = get_live(session, LedgerItem, item_id)
    if item.status != CLOSED:
        return
    item.status = IN_PROGRESS
    item.verifier = None
    item.closed_on = None


def delete_ledger_item(session: Session, item_id: uuid.UUID) -> None:
    """A tombstone (an item entered by mistake); its number is not reused."""
    tombstone(session, get_live(session, LedgerItem, item_id))


_HEAD = aliased(Member, name="head")


def _conditions(query: LedgerQuery, today: date) -> list:
    c = [live(LedgerItem)]
    if query.status:
        c.append(LedgerItem.status == query.status)
    if query.open_only or query.overdue_only:
        c.append(LedgerItem.status != CLOSED)
    if query.overdue_only:
        c.append(LedgerItem.deadline < today)
    if query.source:
        c.append(LedgerItem.source == query.source)
    if query.category:
        c.append(LedgerItem.category == query.category)
    if query.item_id:
        c.append(LedgerItem.id == query.item_id)
    if query.household_id:
        c.append(LedgerItem.household_id == query.household_id)
    if query.responsible_id:
        c.append(LedgerItem.responsible_id == query.responsible_id)
    text = query.text.strip()
    if text:
        like = f"%{text}%"
        c.append(or_(LedgerItem.description.like(like), LedgerItem.number.like(like),
                     LedgerItem.measure.like(like), Household.number.like(like), _HEAD.name.like(like)))
    return c


def list_ledger(session: Session, query: LedgerQuery = LedgerQuery(), *,  # noqa: B008
                today: date | None = None) -> list[LedgerRow]:
    """Overdue first, then open items by deadline, then closed ones, newest first."""
    today = today or clock.today()
    stmt = (select(LedgerItem, Household.number, _HEAD.name, Cadre.name)
            .outerjoin(Household, Household.id == LedgerItem.household_id)
            .outerjoin(_HEAD, and_(_HEAD.household_id == Household.id, _HEAD.relation == RELATION_HEAD,
                                   live(_HEAD)))
            .outerjoin(Cadre, Cadre.id == LedgerItem.responsible_id)
            .where(*_conditions(query, today))
            .order_by(LedgerItem.status == CLOSED, LedgerItem.deadline.is_(None), LedgerItem.deadline,
                      LedgerItem.received_on.desc(), LedgerItem.number)
            .limit(query.limit).offset(query.offset))
    rows = session.execute(stmt).all()
    files = attachments_of(session, "ledger_item", [r[0].id for r in rows])
    out = []
    for item, number, head, responsible in rows:
        household = f"{number} {head or ''}".strip() if number else None
        out.append(LedgerRow(item.id, item.number, item.source, item.received_on, item.description, item.category,
                             item.level, item.household_id, household, item.responsible_id, responsible,
                             item.measure, item.deadline, item.status, item.evidence_note, item.verifier,
                             item.closed_on, item.visit_id, len(files[item.id]),
                             ledger_overdue(item.status, item.deadline, today)))
    return out


def get_ledger_item(session: Session, item_id: uuid.UUID, *, today: date | None = None) -> LedgerRow:
    get_live(session, LedgerItem, item_id)
    today = today or clock.today()
    return list_ledger(session, LedgerQuery(item_id=item_id), today=today)[0]


def daily_summary(session: Session, today: date | None = None) -> LedgerSummary:
    today = today or clock.today()
    items = session.execute(select(LedgerItem.status, LedgerItem.deadline, LedgerItem.received_on,
                                   LedgerItem.closed_on, LedgerItem.source)
                            .where(live(LedgerItem))).all()
    by_source: dict[str, tuple[int, int]] = {}
    for status, _deadline, _received, _closed, source in items:
        total, not_closed = by_source.get(source, (0, 0))
        by_source[source] = (total + 1, not_closed + (status != CLOSED))
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return LedgerSummary(
        day=today, total=len(items),
        open=sum(s == OPEN for s, *_ in items), in_progress=sum(s == IN_PROGRESS for s, *_ in items),
        closed=sum(s == CLOSED for s, *_ in items),
        overdue=sum(ledger_overdue(s, d, today) for s, d, *_ in items),
        due_soon=sum(s != CLOSED and d is not None and today <= d <= soon for s, d, *_ in items),
        new_today=sum(r == today for _s, _d, r, _c, _src in items),
        closed_today=sum(c == today for _s, _d, _r, c, _src in items),
        by_source=dict(sorted(by_source.items(), key=lambda kv: LEDGER_SOURCES.index(kv[0])
                              if kv[0] in LEDGER_SOURCES else 99)),
    )


@due_source
def _ledger_due(session: Session, today: date) -> list[DueItem]:
    """Each overdue item on its own line (red, the 20 oldest); items due within a week as one line."""
    not_closed = and_(live(LedgerItem), LedgerItem.status != CLOSED)
    overdue = session.execute(
        select(LedgerItem.number, LedgerItem.description, LedgerItem.deadline, LedgerItem.household_id, Cadre.name)
        .outerjoin(Cadre, Cadre.id == LedgerItem.responsible_id)
        .where(not_closed, LedgerItem.deadline < today).order_by(LedgerItem.deadline, LedgerItem.number)
        .limit(20)).all()
    items = [DueItem("台账", f"整改逾期：{number} {text[:30]}（{who or '未指定责任人'}）", deadline, household)
             for number, text, deadline, household, who in overdue]
    n, first = session.execute(select(func.count(), func.min(LedgerItem.deadline)).where(
        not_closed, LedgerItem.deadline >= today,
        LedgerItem.deadline <= today + timedelta(days=DUE_SOON_DAYS))).one()
    if n:
        items.append(DueItem("台账", f"{n}项整改问题{DUE_SOON_DAYS}天内到期", first, count=n))
    return items


__all__ = ["LEDGER_STATUSES", "LedgerForm", "LedgerQuery", "LedgerRow", "LedgerSummary", "close_ledger_item",
           "daily_summary", "delete_ledger_item", "list_ledger", "reopen_ledger_item", "save_ledger_item",
           "start_rectification"]
