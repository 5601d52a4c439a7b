"""走访: record a home visit in one go (checklist, problems → ledger, photos, measures), list visits,
a household's visit history, visit rules and the due lists (首页, 扶贫日).

A visit is saved whole or not at all: every check runs before anything is written, photos are
checked before the transaction, and any error rolls the transaction back.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from sqlalchemy import String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from fupin_desktop.db.models import (
    AssistancePlan,
    Cadre,
    Household,
    LedgerItem,
    Member,
    PlanMeasure,
    VillagerGroup,
    Visit,
    VisitMeasure,
    VisitRuleRow,
    VisitVisitor,
)
from fupin_desktop.db.query import get_live, live, tombstone
from fupin_desktop.domain import clock
from fupin_desktop.domain.rows import Page
from fupin_desktop.domain.visits import (
    CHECK_RESULTS,
    CHECKLIST,
    CHECKLIST_CATEGORY,
    CLOSED,
    CONFIRMATIONS,
    DEFAULT_RULES,
    PERIODS,
    RESULT_PROBLEM,
    RISK_STATUSES,
    VISIT_TYPES,
    VisitRule,
    next_saturday,
    period_bounds,
    visit_due,
)
from fupin_desktop.domain.vocab import HOUSEHOLD_STATUSES, RELATION_HEAD
from fupin_desktop.errors import FieldError, ValidationError
from fupin_desktop.services import households
from fupin_desktop.services.attachments import (
    AttachmentRow,
    PreparedFile,
    add_attachment,
    attachments_of,
    prepare_file,
)
from fupin_desktop.services.due import DueItem, due_source
from fupin_desktop.services.ledger import LedgerForm, save_ledger_item
from fupin_desktop.services.search import text_condition
from fupin_desktop.services.village import current_village

AGREED = "上次走访约定"
EARLIEST_VISIT = date(2014, 1, 1)  # 建档立卡 began in 2014: nothing earlier is a real visit
MAX_NOTE = 2000


@dataclass
class ProblemForm:
    """A problem found on the visit; it becomes an item of the 问题整改台账 (source 走访发现)."""

    description: str
    checklist_item: str | None = None  # CHECKLIST key it came from; sets the category
    category: str | None = None
    level: str = "户级"
    member_id: uuid.UUID | None = None
    responsible_id: uuid.UUID | None = None  # default: the household's 帮扶责任人
    measure: str | None = None
    deadline: date | None = None


@dataclass
class VisitForm:
    household_id: uuid.UUID
    visited_on: date
    visit_type: str
    visitor_ids: list[uuid.UUID]
    visited_at: time | None = None
    members_present: list[uuid.UUID] = field(default_factory=list)
    checklist: dict[str, str] = field(default_factory=dict)  # CHECKLIST key → 正常/有问题/不涉及
    checklist_notes: dict[str, str] = field(default_factory=dict)
    policies: list[str] = field(default_factory=list)
    notes: str | None = None
    confirmation: str | None = None
    confirmed_by: str | None = None
    next_due: date | None = None
    measure_ids: list[uuid.UUID] = field(default_factory=list)  # N+2 plan measures moved forward
    problems: list[ProblemForm] = field(default_factory=list)
    photos: list[str | Path | PreparedFile] = field(default_factory=list)
    keep_originals: bool = False


@dataclass(frozen=True)
class VisitSaved:
    visit_id: uuid.UUID
    ledger_item_ids: tuple[uuid.UUID, ...]
    photos: tuple[AttachmentRow, ...]


@dataclass(frozen=True)
class VisitRow:
    """One line of the visit list."""

    id: uuid.UUID
    household_id: uuid.UUID
    household_number: str
    head_name: str
    visited_on: date
    visited_at: time | None
    visit_type: str
    visitors: str  # names joined with 、
    problems: int  # problems found: ledger items made, or checklist items marked 有问题
    confirmed: bool


@dataclass(frozen=True)
class VisitQuery:
    text: str = ""  # household: name, pinyin initials, ID fragment, number
    household_id: uuid.UUID | None = None
    visit_type: str | None = None
    visitor_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class VisitHistoryRow:
    """A household's visit as plain data: the history tab, the dossier print (一户一档), the CLI."""

    id: uuid.UUID
    visited_on: date
    visited_at: time | None
    visit_type: str
    visitors: tuple[str, ...]
    members_present: tuple[str, ...]
    checklist: dict[str, str]  # label (吃, 饮水：水质 …) → result, in checklist order; unchecked left out
    findings: str  # problems found and notes, one readable paragraph
    policies: tuple[str, ...]
    confirmation: str | None
    next_due: date | None
    photos: tuple[Path, ...]  # stored photo files
    thumbnails: tuple[Path, ...]  # their thumbnails (same order)
    ledger_numbers: tuple[str, ...]  # 台账 items raised by the visit
    measure_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class VisitDetail:
    """A visit as the form edits it, with its photos and ledger items."""

    id: uuid.UUID
    household_id: uuid.UUID
    household: str
    form: VisitForm
    photos: tuple[AttachmentRow, ...]
    ledger: tuple[tuple[str, str, str], ...]  # (number, status, description)


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def check_visit(form: VisitForm, today: date) -> list[FieldError]:
    """The checks that need no database."""
    errors = []
    if form.visited_on > today:
        errors.append(FieldError("visited_on", f"走访日期 {form.visited_on} 晚于今天，不能登记未来的走访"))
    elif form.visited_on < EARLIEST_VISIT:
        errors.append(FieldError("visited_on", f"走访日期 {form.visited_on} 早于建档立卡工作开始（2014年），请检查"))
    if form.visit_type not in VISIT_TYPES:
        errors.append(FieldError("visit_type",
                                 f"走访类型“{form.visit_type}”不在可选范围内（{'、'.join(VISIT_TYPES)}）"))
    if not form.visitor_ids:
        errors.append(FieldError("visitor_ids", "请至少选择一名走访人"))
    for key, result in form.checklist.items():
        if key not in CHECKLIST:
            errors.append(FieldError("checklist", f"未知的走访核查项“{key}”"))
        elif result not in CHECK_RESULTS:
            errors.append(FieldError("checklist",
                                     f"{CHECKLIST[key]}的结果“{result}”无效（{'、'.join(CHECK_RESULTS)}）"))
    if form.confirmation is not None and form.confirmation not in CONFIRMATIONS:
        errors.append(FieldError("confirmation", f"农户确认方式“{form.confirmation}”无效"))
    if form.next_due is not None and form.next_due <= form.visited_on:
        errors.append(FieldError("next_due", "下次走访日期应晚于本次走访日期"))
    if len(form.notes or "") > MAX_NOTE:
        errors.append(FieldError("notes", f"走访记录过长（最多{MAX_NOTE}字）"))
    for i, p in enumerate(form.problems, 1):
        record = f"问题{i}"
        if not p.description.strip():
            errors.append(FieldError("problems", "请填写问题描述", record))
        if p.checklist_item is not None and p.checklist_item not in CHECKLIST:
            errors.append(FieldError("problems", f"未知的走访核查项“{p.checklist_item}”", record))
        if p.deadline is not None and p.deadline < form.visited_on:
            errors.append(FieldError("problems", "整改期限不能早于走访日期", record))
    return errors


def _db_errors(session: Session, h: Household, form: VisitForm) -> list[FieldError]:
    errors = []
    if h.identified_year and form.visited_on < date(h.identified_year, 1, 1):
        errors.append(FieldError("visited_on", f"走访日期 {form.visited_on} 早于该户识别年度（{h.identified_year}年）"))
    cadres = dict(session.execute(select(Cadre.id, Cadre.name).where(Cadre.id.in_(form.visitor_ids),
                                                                      live(Cadre))).all())
    missing = [c for c in form.visitor_ids if c not in cadres]
    if missing:
        errors.append(FieldError("visitor_ids", f"有{len(missing)}名走访人已离任或不存在，请重新选择"))
    members = set(session.scalars(select(Member.id).where(Member.household_id == h.id, live(Member))))
    if any(m not in members for m in form.members_present):
        errors.append(FieldError("members_present", "在场成员中有不属于该户的人，请重新选择"))
    for i, p in enumerate(form.problems, 1):
        if p.member_id is not None and p.member_id not in members:
            errors.append(FieldError("problems", "所选成员不在该户", f"问题{i}"))
    return errors


def record_visit(session: Session, visit_id: uuid.UUID | None, form: VisitForm, *,
                 today: date | None = None) -> VisitSaved:
    """Save a visit (visit_id None: a new one). Problems become ledger items (走访发现), photos are
    stored and linked. Raises ValidationError/NotFoundError/FupinError; nothing is saved then."""
    today = today or clock.today()
    h = get_live(session, Household, form.household_id)
    errors = check_visit(form, today)
    if not errors:
        errors = _db_errors(session, h, form)
    if errors:
        raise ValidationError(errors)
    # every photo is read and checked before anything is written
    prepared = [p if isinstance(p, PreparedFile) else prepare_file(p) for p in form.photos]
    if visit_id is None:
        visit = Visit(village_id=current_village(session).id, household_id=h.id, visited_on=form.visited_on,
                      visit_type=form.visit_type)
        session.add(visit)
    else:
        visit = get_live(session, Visit, visit_id)
        if visit.household_id != h.id:
            raise ValidationError([FieldError("household_id", "已登记的走访不能改到另一户，请删除后重新登记")])
    values = dict(
        visited_on=form.visited_on, visited_at=form.visited_at, visit_type=form.visit_type,
        members_present=[str(m) for m in dict.fromkeys(form.members_present)],
        checklist={k: form.checklist[k] for k in CHECKLIST if k in form.checklist},
        checklist_notes={k: v.strip() for k in CHECKLIST if (v := form.checklist_notes.get(k) or "").strip()},
        policies=list(dict.fromkeys(p.strip() for p in form.policies if p.strip())),
        notes=_text(form.notes), confirmation=form.confirmation,
        confirmed_by=_text(form.confirmed_by) if form.confirmation else None, next_due=form.next_due)
    for name, value in values.items():
        if getattr(visit, name) != value:
            setattr(visit, name, value)
    session.flush()
    _replace_links(session, visit.id, form)
    ledger_ids = []
    for p in form.problems:
        category = p.category or (CHECKLIST_CATEGORY[p.checklist_item] if p.checklist_item else "两不愁三保障")
        description = p.description.strip()
        if p.checklist_item and not description.startswith(CHECKLIST[p.checklist_item]):
            description = f"{CHECKLIST[p.checklist_item]}：{description}"
        ledger_ids.append(save_ledger_item(session, None, LedgerForm(
            source="走访发现", description=description, category=category, level=p.level,
            received_on=form.visited_on, household_id=h.id, member_id=p.member_id,
            responsible_id=p.responsible_id or h.helper_id, measure=p.measure, deadline=p.deadline),
            visit_id=visit.id, today=today))
    photos = tuple(add_attachment(session, photo, target_table="visit", target_id=visit.id,
                                  keep_original=form.keep_originals) for photo in prepared)
    return VisitSaved(visit.id, tuple(ledger_ids), photos)


def _replace_links(session: Session, visit_id: uuid.UUID, form: VisitForm) -> None:
    current = {v.cadre_id: v for v in session.scalars(select(VisitVisitor).where(
        VisitVisitor.visit_id == visit_id, live(VisitVisitor)))}
    wanted = list(dict.fromkeys(form.visitor_ids))
    tombstone(session, *(row for cadre_id, row in current.items() if cadre_id not in wanted))
    session.add_all(VisitVisitor(visit_id=visit_id, cadre_id=c) for c in wanted if c not in current)
    measures = {m.measure_id: m for m in session.scalars(select(VisitMeasure).where(
        VisitMeasure.visit_id == visit_id, live(VisitMeasure)))}
    wanted_measures = list(dict.fromkeys(form.measure_ids))
    tombstone(session, *(row for measure_id, row in measures.items() if measure_id not in wanted_measures))
    session.add_all(VisitMeasure(visit_id=visit_id, measure_id=m) for m in wanted_measures if m not in measures)
    session.flush()



def delete_visit(session: Session, visit_id: uuid.UUID) -> None:
    """Tombstone a visit with its visitor and measure links; ledger items it raised stay open."""
    tombstone(session, get_live(session, Visit, visit_id), cascade=[VisitVisitor.visit_id, VisitMeasure.visit_id])


def _visitor_names(session: Session, visit_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = defaultdict(list)
    if visit_ids:
        for visit_id, name in session.execute(
                select(VisitVisitor.visit_id, Cadre.name).join(Cadre, Cadre.id == VisitVisitor.cadre_id)
                .where(VisitVisitor.visit_id.in_(visit_ids), live(VisitVisitor)).order_by(VisitVisitor.created_at)):
            out[visit_id].append(name)
    return out


def _heads(session: Session, household_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not household_ids:
        return {}
    return dict(session.execute(select(Member.household_id, Member.name).where(
        Member.household_id.in_(household_ids), Member.relation == RELATION_HEAD, live(Member))).all())


def list_visits(session: Session, query: VisitQuery = VisitQuery()) -> Page[VisitRow]:  # noqa: B008
    """Visits newest first, filtered and paged in SQL (fast at 500,000 visits)."""
    # a deleted household's visits go with it (few households are deleted: a short NOT IN list)
    deleted = select(Household.id).where(Household.deleted_at.is_not(None))
    filters: list = [live(Visit)]
    if query.household_id:
        filters.append(Visit.household_id == query.household_id)
    if query.visit_type:
        filters.append(Visit.visit_type == query.visit_type)
    if query.date_from:
        filters.append(Visit.visited_on >= query.date_from)
    if query.date_to:
        filters.append(Visit.visited_on <= query.date_to)
    if query.visitor_id:
        filters.append(Visit.id.in_(select(VisitVisitor.visit_id).where(
            VisitVisitor.cadre_id == query.visitor_id, live(VisitVisitor))))
    match = text_condition(session, query.text)
    if match is not None:
        filters.append(Visit.household_id.in_(select(Household.id).where(match)))
    # counted as all minus those of deleted households: NOT IN per row would cost ~0.2 s at 500,000 visits
    total = (session.scalar(select(func.count()).select_from(Visit).where(*filters)) or 0) - (
        session.scalar(select(func.count()).select_from(Visit).where(*filters, Visit.household_id.in_(deleted))) or 0)
    conditions = [*filters, Visit.household_id.not_in(deleted)]
    rows = session.execute(
        select(Visit.id, Visit.household_id, Household.number, Visit.visited_on, Visit.visited_at, Visit.visit_type,
               Visit.checklist, Visit.confirmation)
        .join(Household, Household.id == Visit.household_id).where(*conditions)
        .order_by(Visit.visited_on.desc(), Visit.visited_at.desc(), Visit.id.desc())
        .limit(query.limit).offset(query.offset)).all()
    names = _visitor_names(session, [r.id for r in rows])
    heads = _heads(session, {r.household_id for r in rows})
    # problems found: the ledger items the visit made (checklist and typed ones), or the checklist's
    # 有问题 items when they were not put in the ledger
    ledger = dict(session.execute(select(LedgerItem.visit_id, func.count()).where(
        LedgerItem.visit_id.in_([r.id for r in rows]), live(LedgerItem)).group_by(LedgerItem.visit_id)).all())
    return Page([VisitRow(r.id, r.household_id, r.number, heads.get(r.household_id, ""), r.visited_on,
                               r.visited_at, r.visit_type, "、".join(names.get(r.id, [])),
                               max(sum(v == RESULT_PROBLEM for v in (r.checklist or {}).values()), ledger.get(r.id, 0)),
                               r.confirmation is not None) for r in rows], total)


def household_visits(session: Session, household_id: uuid.UUID) -> list[VisitHistoryRow]:
    """A household's visits, newest first, as plain rows (history tab, dossier print, CLI)."""
    visits = session.scalars(select(Visit).where(Visit.household_id == household_id, live(Visit))
                             .order_by(Visit.visited_on.desc(), Visit.visited_at.desc())).all()
    ids = [v.id for v in visits]
    names = _visitor_names(session, ids)
    members = dict(session.execute(select(Member.id, Member.name).where(Member.household_id == household_id)).all())
    photos = attachments_of(session, "visit", ids)
    ledger: dict[uuid.UUID | None, list[str]] = defaultdict(list)  # by LedgerItem.visit_id, never None here
    measures: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if ids:
        for visit_id, number in session.execute(select(LedgerItem.visit_id, LedgerItem.number).where(
                LedgerItem.visit_id.in_(ids), live(LedgerItem)).order_by(LedgerItem.number)):
            ledger[visit_id].append(number)
        for visit_id, measure_id in session.execute(select(VisitMeasure.visit_id, VisitMeasure.measure_id).where(
                VisitMeasure.visit_id.in_(ids), live(VisitMeasure))):
            measures[visit_id].append(measure_id)
    out = []
    for v in visits:
        pics = [p for p in photos[v.id] if p.kind == "照片"]
        out.append(VisitHistoryRow(
            v.id, v.visited_on, v.visited_at, v.visit_type, tuple(names.get(v.id, [])),
            tuple(members.get(uuid.UUID(m), "?") for m in v.members_present),
            {CHECKLIST[k]: v.checklist[k] for k in CHECKLIST if k in v.checklist}, findings(v),
            tuple(v.policies), v.confirmation, v.next_due, tuple(p.path for p in pics),
            tuple(p.thumbnail for p in pics if p.thumbnail is not None), tuple(ledger.get(v.id, [])),
            tuple(measures.get(v.id, []))))
    return out


def findings(v: Visit) -> str:
    """Problems found (checklist items 有问题, with their notes) and the free notes, as one paragraph."""
    parts = []
    for key, label in CHECKLIST.items():
        note = v.checklist_notes.get(key)
        if v.checklist.get(key) == RESULT_PROBLEM:
            parts.append(f"{label}有问题" + (f"（{note}）" if note else ""))
        elif note:
            parts.append(f"{label}：{note}")
    if v.notes:
        parts.append(v.notes)
    return "；".join(parts) if parts else "未发现问题"


def get_visit(session: Session, visit_id: uuid.UUID) -> VisitDetail:
    v = get_live(session, Visit, visit_id)
    visitors = list(session.scalars(select(VisitVisitor.cadre_id).where(VisitVisitor.visit_id == v.id,
                                                                         live(VisitVisitor))
                                    .order_by(VisitVisitor.created_at)))
    measures = list(session.scalars(select(VisitMeasure.measure_id).where(VisitMeasure.visit_id == v.id,
                                                                           live(VisitMeasure))))
    form = VisitForm(v.household_id, v.visited_on, v.visit_type, visitors, v.visited_at,
                     [uuid.UUID(m) for m in v.members_present], dict(v.checklist), dict(v.checklist_notes),
                     list(v.policies), v.notes, v.confirmation, v.confirmed_by, v.next_due, measures)
    h = session.get(Household, v.household_id)
    head = _heads(session, {v.household_id}).get(v.household_id, "")
    ledger = session.execute(select(LedgerItem.number, LedgerItem.status, LedgerItem.description).where(
        LedgerItem.visit_id == v.id, live(LedgerItem)).order_by(LedgerItem.number))
    return VisitDetail(v.id, v.household_id, f"{h.number if h else ''} {head}".strip(), form,
                       tuple(attachments_of(session, "visit", [v.id])[v.id]), tuple((n, s, d) for n, s, d in ledger))


# -- households to pick in the form ----------------------------------------------------------------

@dataclass(frozen=True)
class HouseholdChoice:
    id: uuid.UUID
    number: str
    head_name: str
    status: str
    helper_id: uuid.UUID | None
    members: tuple[tuple[uuid.UUID, str, str], ...]  # (id, name, relation)
    measures: tuple[tuple[uuid.UUID, str], ...] = ()  # N+2 measures of the latest plan: (id, label)


def plan_measures(session: Session, household_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(id, "产业扶持：养牛2头（张三）") of the measures in the household's latest N+2 plan."""
    year = session.scalar(select(func.max(AssistancePlan.year)).where(
        AssistancePlan.household_id == household_id, live(AssistancePlan)))
    if year is None:
        return []
    rows = session.execute(
        select(PlanMeasure.id, PlanMeasure.type_name, PlanMeasure.target, Member.name)
        .join(AssistancePlan, AssistancePlan.id == PlanMeasure.plan_id)
        .outerjoin(Member, Member.id == PlanMeasure.member_id)
        .where(AssistancePlan.household_id == household_id, AssistancePlan.year == year, live(AssistancePlan),
               live(PlanMeasure)).order_by(PlanMeasure.sort_order)).all()
    return [(i, f"{name}{'：' + target if target else ''}（{who or '对户'}）") for i, name, target, who in rows]


def household_choice(session: Session, household_id: uuid.UUID) -> HouseholdChoice:
    h = get_live(session, Household, household_id)
    members = session.execute(select(Member.id, Member.name, Member.relation).where(
        Member.household_id == h.id, live(Member)).order_by(Member.relation != RELATION_HEAD, Member.birth_date)).all()
    head = next((name for _i, name, rel in members if rel == RELATION_HEAD), "")
    return HouseholdChoice(h.id, h.number, head, h.status, h.helper_id, tuple((i, n, r) for i, n, r in members),
                           tuple(plan_measures(session, h.id)))


def find_households(session: Session, text: str, limit: int = 20) -> list[tuple[uuid.UUID, str]]:
    """(id, "number 户主 (户状态)") for the household picker of the visit form."""
    match = text_condition(session, text)
    if match is None:
        return []
    rows = session.execute(select(Household.id, Household.number, Household.status).where(
        match, live(Household)).order_by(Household.number).limit(limit)).all()
    heads = _heads(session, {r.id for r in rows})
    return [(r.id, f"{r.number} {heads.get(r.id, '')}（{r.status}）") for r in rows]


def serving_cadres(session: Session) -> list[tuple[uuid.UUID, str, str]]:
    """(id, name, role) of the serving cadres, for visitor and responsible-person choices."""
    v = current_village(session)
    return [tuple(r) for r in session.execute(select(Cadre.id, Cadre.name, Cadre.role).where(  # type: ignore[misc]
        Cadre.village_id == v.id, live(Cadre)).order_by(Cadre.role, Cadre.name))]


# -- rules and due lists ---------------------------------------------------------------------------

def visit_rules(session: Session) -> list[VisitRule]:
    """The village's visit rules; the defaults (帮扶责任人每月2次) while none are stored."""
    rows = session.scalars(select(VisitRuleRow).where(live(VisitRuleRow)).order_by(VisitRuleRow.sort_order)).all()
    if not rows:
        return list(DEFAULT_RULES)
    return [VisitRule(r.name, r.times, r.period, tuple(r.statuses), r.by_helper, r.active) for r in rows]


def save_visit_rules(session: Session, rules: Sequence[VisitRule]) -> None:
    """Replace the rules (an empty list brings the defaults back)."""
    errors = []
    for i, rule in enumerate(rules, 1):
        record = f"规则{i}（{rule.name}）"
        if not rule.name.strip():
            errors.append(FieldError("name", "请填写规则名称", record))
        if not 1 <= rule.times <= 31:
            errors.append(FieldError("times", "次数应为1到31", record))
        if rule.period not in PERIODS:
            errors.append(FieldError("period", f"周期应为{'、'.join(PERIODS)}之一", record))
        bad = [s for s in rule.statuses if s not in HOUSEHOLD_STATUSES]
        if bad:
            errors.append(FieldError("statuses", f"户状态“{'、'.join(bad)}”不存在", record))
    if errors:
        raise ValidationError(errors)
    tombstone(session, *session.scalars(select(VisitRuleRow).where(live(VisitRuleRow))))
    v = current_village(session)
    session.add_all(VisitRuleRow(village_id=v.id, name=r.name.strip(), times=r.times, period=r.period,
                                 statuses=list(r.statuses), by_helper=r.by_helper, active=r.active, sort_order=i)
                    for i, r in enumerate(rules))
    session.flush()


@dataclass(frozen=True)
class DueVisitRow:
    household_id: uuid.UUID
    number: str
    head_name: str
    group: str | None
    status: str
    helper_id: uuid.UUID | None
    helper: str | None
    reason: str  # the rule, or 上次走访约定
    done: int
    required: int
    due: date
    overdue: bool
    last_visit: date | None
    open_problems: int



# The due lists read every household: keys stay the stored 32-digit hex text (turning 50,000 keys
# into UUID objects and back costs more than the queries), converted only for the rows returned.

def _hex(column):
    return type_coerce(column, String)


def _uuid(key: object) -> uuid.UUID:
    return key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))  # PostgreSQL hands back UUIDs anyway


def _counts(session: Session, start: date, end: date, by_helper: bool) -> dict[str, int]:
    """Visits per household between two dates; by_helper: only those the household's helper made."""
    stmt = select(_hex(Visit.household_id), func.count(func.distinct(Visit.id))).where(
        live(Visit), Visit.visited_on >= start, Visit.visited_on <= end)
    if by_helper:
        stmt = (stmt.join(Household, Household.id == Visit.household_id)
                .join(VisitVisitor, and_(VisitVisitor.visit_id == Visit.id, live(VisitVisitor)))
                .where(VisitVisitor.cadre_id == Household.helper_id))
    return dict(session.execute(stmt.group_by(Visit.household_id)).all())


def _open_problems(session: Session) -> dict[str, int]:
    return dict(session.execute(select(_hex(LedgerItem.household_id), func.count()).where(
        live(LedgerItem), LedgerItem.status != CLOSED, LedgerItem.household_id.is_not(None))
        .group_by(LedgerItem.household_id)).all())


def _agreed_select(horizon: date, *columns):
    later = aliased(Visit)
    return (select(*columns)
            .where(live(Visit), Visit.next_due.is_not(None), Visit.next_due <= horizon,
                   ~select(later.id).where(later.household_id == Visit.household_id, live(later),
                                           later.visited_on > Visit.visited_on).exists()))


def _agreed(session: Session, horizon: date) -> dict[str, date]:
    """household → the next visit its last visit agreed on, when that day is at most `horizon`."""
    rows = session.execute(_agreed_select(horizon, _hex(Visit.household_id), func.max(Visit.next_due))
                           .group_by(Visit.household_id)).all()
    return dict(rows)


@dataclass(frozen=True)
class _Due:
    household: str  # hex key
    helper: str | None  # hex key
    status: str
    reason: str
    done: int
    required: int
    due: date


def _due(session: Session, today: date, horizon: date, helper_id: uuid.UUID | None) -> list[_Due]:
    """The households due a visit, without the details only lists need (number, head, last visit)."""
    rules = [r for r in visit_rules(session) if r.active]
    stmt = select(_hex(Household.id), _hex(Household.helper_id), Household.status).where(live(Household))
    if rules and all(r.statuses for r in rules):  # only the households some rule covers, or agreed visits
        statuses = {st for r in rules for st in r.statuses}
        stmt = stmt.where(or_(Household.status.in_(statuses),
                              Household.id.in_(_agreed_select(horizon, Visit.household_id))))
    if helper_id is not None:
        stmt = stmt.where(Household.helper_id == helper_id)
    households = session.execute(stmt).all()
    best: dict[str, tuple[str, int, int, date]] = {}
    for rule in rules:
        start, end = period_bounds(today, rule.period)
        counts = _counts(session, start, min(end, today), rule.by_helper)
        anyone = _counts(session, start, min(end, today), False) if rule.by_helper else counts
        for key, helper, status in households:
            if rule.statuses and status not in rule.statuses:
                continue
            done = counts.get(key, 0) if helper is not None else anyone.get(key, 0)
            due = visit_due(rule, done, today)
            if due is not None and (key not in best or due.due < best[key][3]):
                best[key] = (rule.name, done, rule.times, due.due)
    wanted = {key for key, _h, _s in households}
    for key, agreed in _agreed(session, horizon).items():
        if key in wanted and (key not in best or agreed < best[key][3]):
            best[key] = (AGREED, 0, 1, agreed)
    return [_Due(key, helper, status, *best[key]) for key, helper, status in households if key in best]


def _cadre_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(_hex(Cadre.id), Cadre.name)).all())


def due_visits(session: Session, today: date | None = None, *, helper_id: uuid.UUID | None = None,
               horizon: date | None = None) -> list[DueVisitRow]:
    """Households that still need a visit under the rules this period, or whose last visit agreed on
    a next visit by `horizon` (default today) that has not happened; one row per household (the
    earliest due), sorted overdue first, then by due date and household number."""
    today = today or clock.today()
    due = {d.household: d for d in _due(session, today, horizon or today, helper_id)}
    if not due:
        return []
    head = aliased(Member)
    last = (select(func.max(Visit.visited_on)).where(Visit.household_id == Household.id, live(Visit))
            .correlate(Household).scalar_subquery())
    head_name = (select(head.name).where(head.household_id == Household.id, head.relation == RELATION_HEAD,
                                         live(head)).correlate(Household).limit(1).scalar_subquery())
    statuses = {d.status for d in due.values()}
    details = session.execute(select(_hex(Household.id), Household.number, VillagerGroup.name, head_name, last)
                              .outerjoin(VillagerGroup, VillagerGroup.id == Household.group_id)
                              .where(live(Household), Household.status.in_(statuses))).all()
    helpers = _cadre_names(session)
    open_problems = _open_problems(session)
    rows = []
    for key, number, group, name, last_day in details:
        d = due.get(key)
        if d is None:
            continue
        rows.append(DueVisitRow(_uuid(key), number, name or "", group, d.status,
                                _uuid(d.helper) if d.helper else None, helpers.get(d.helper or ""), d.reason,
                                d.done, d.required, d.due, d.due < today, last_day, open_problems.get(key, 0)))
    return sorted(rows, key=lambda r: (not r.overdue, r.due, r.number))


def saturday_list(session: Session, today: date | None = None) -> tuple[date, list[DueVisitRow]]:
    """The coming Saturday's 扶贫日 list: households due by then (rules and agreed visits), households
    with open problems first, then overdue ones, then risk households (未脱贫/监测户/边缘户), then the
    longest unvisited."""
    today = today or clock.today()
    saturday = next_saturday(today)
    rows = due_visits(session, today, horizon=saturday)

    def key(r: DueVisitRow) -> tuple[int, bool, bool, int, str]:
        since = (saturday - r.last_visit).days if r.last_visit else 10_000
        return (-min(r.open_problems, 9), not r.overdue, r.status not in RISK_STATUSES, -since, r.number)
    return saturday, sorted(rows, key=key)


@due_source
def _visits_due(session: Session, today: date) -> list[DueItem]:
    """Overdue visits per 帮扶责任人 (red), agreed next visits that were missed, and how many
    households are still to be visited this period."""
    rows = _due(session, today, today, None)
    helpers = _cadre_names(session)
    by_helper: dict[str, list[_Due]] = defaultdict(list)
    agreed = [r for r in rows if r.due < today and r.reason == AGREED]
    for r in rows:
        if r.due < today and r.reason != AGREED:
            by_helper[helpers.get(r.helper or "", "未指定帮扶责任人")].append(r)

    def one(rs: list[_Due]) -> uuid.UUID | None:
        return _uuid(rs[0].household) if len(rs) == 1 else None
    items = [DueItem("走访", f"{helper}：{len(rs)}户走访逾期（{rs[0].reason}）", min(r.due for r in rs), one(rs),
                     len(rs)) for helper, rs in sorted(by_helper.items(), key=lambda kv: -len(kv[1]))]
    if agreed:
        items.append(DueItem("走访", f"{len(agreed)}户约定的下次走访已过期", min(r.due for r in agreed), one(agreed),
                             len(agreed)))
    pending = [r for r in rows if r.due >= today]
    if pending:
        saturday = next_saturday(today)
        items.append(DueItem("走访", f"{len(pending)}户本期还需走访（周六扶贫日 {saturday:%m月%d日}）",
                             min(r.due for r in pending), count=len(pending)))
    return items


def household_by_number(session: Session, number: str) -> uuid.UUID:
    """The live household with this 户编号; a unique ending (e.g. 0012) is enough."""
    return households.household_by_number(session, number)


@dataclass(frozen=True)
class VisitLogRow:
    """One visit of the village's visit log (走访日志) for printing: plain values and photo paths."""

    visited_on: date
    household: str  # "0012 张三明"
    visitors: tuple[str, ...]
    visit_type: str
    findings: str
    ledger_numbers: tuple[str, ...]
    thumbnails: tuple[Path, ...]


def visit_log_rows(session: Session, start: date, end: date) -> list[VisitLogRow]:
    """All visits between two dates (inclusive), oldest first, of live households."""
    visits = session.scalars(select(Visit).join(Household, Household.id == Visit.household_id).where(
        live(Visit), live(Household), Visit.visited_on >= start, Visit.visited_on <= end)
        .order_by(Visit.visited_on, Visit.visited_at)).all()
    ids = [v.id for v in visits]
    names = _visitor_names(session, ids)
    heads = _heads(session, {v.household_id for v in visits})
    numbers = dict(session.execute(select(Household.id, Household.number).where(
        Household.id.in_({v.household_id for v in visits}))).all()) if visits else {}
    photos = attachments_of(session, "visit", ids)
    ledger: dict[uuid.UUID | None, list[str]] = defaultdict(list)  # by LedgerItem.visit_id, never None here
    if ids:
        for visit_id, number in session.execute(select(LedgerItem.visit_id, LedgerItem.number).where(
                LedgerItem.visit_id.in_(ids), live(LedgerItem)).order_by(LedgerItem.number)):
            ledger[visit_id].append(number)
    return [VisitLogRow(v.visited_on, f"{numbers.get(v.household_id, '')} {heads.get(v.household_id, '')}".strip(),
                        tuple(names.get(v.id, [])), v.visit_type, findings(v), tuple(ledger.get(v.id, [])),
                        tuple(p.thumbnail for p in photos[v.id] if p.thumbnail is not None)) for v in visits]
