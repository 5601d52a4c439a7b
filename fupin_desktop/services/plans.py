"""N+2 assistance plans: create, clone from last year, save, submit, approve, close; the village's
compliance report; due measures for 首页; plain rows for printing.

The rules themselves are in domain/plan_rules.py; this module loads the facts they need (in bulk
for a whole village) and applies the lifecycle 草稿 → 已提交 → 已审核 → 执行中 → 已完结.
"""

import calendar
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Row, String, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from fupin_desktop.db.models import (
    AssistancePlan,
    Cadre,
    Household,
    HouseholdIncome,
    MeasureProgress,
    MeasureType,
    Member,
    PlanMeasure,
)
from fupin_desktop.db.query import get_live, live, tombstone
from fupin_desktop.domain import clock, idcard
from fupin_desktop.domain import plan_rules as rules
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.plan_rules import Finding, MeasureForm, PlanFacts, PlanMember
from fupin_desktop.errors import FieldError, FupinError, NotFoundError, ValidationError
from fupin_desktop.services.due import DueItem, due_source
from fupin_desktop.services.lines import poverty_line, set_poverty_line

FIRST_PLAN_YEAR = 2014  # 建档立卡 began in 2014
__all__ = ["poverty_line", "set_poverty_line"]  # re-exported: plans is where callers look for them


# -- rows ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    family: str
    name: str
    level: str
    note: str | None


@dataclass(frozen=True)
class PlanHeader:
    """The editable fields of a plan besides its measures."""

    planned_exit_year: int | None = None
    team_confirmed_on: date | None = None
    team_confirmed_by: str | None = None
    household_confirmed_on: date | None = None
    household_signer: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ProgressRow:
    id: uuid.UUID
    measure_id: uuid.UUID
    noted_on: date
    note: str
    author: str | None


@dataclass(frozen=True)
class PlanMemberRow:
    id: uuid.UUID
    name: str
    relation: str
    age: int
    labour_ability: str | None
    health: str | None
    schooling_stage: str | None
    employment_status: str | None


@dataclass(frozen=True)
class PlanDetail:
    id: uuid.UUID
    household_id: uuid.UUID
    household_number: str
    head_name: str
    group: str | None
    household_status: str
    helper: str | None
    year: int
    version: int
    status: str
    header: PlanHeader
    submitted_on: date | None
    approved_on: date | None
    approved_by: str | None
    closed_on: date | None
    members: tuple[PlanMemberRow, ...]
    measures: tuple[MeasureForm, ...]
    progress: dict[uuid.UUID, tuple[ProgressRow, ...]]
    findings: tuple[Finding, ...]
    facts: PlanFacts

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


@dataclass(frozen=True)
class PlanOverviewRow:
    household_id: uuid.UUID
    household_number: str
    head_name: str
    group: str
    household_status: str
    members: int
    plan_id: uuid.UUID | None
    status: str  # a plan status, or 无计划
    measures: int
    errors: int
    warnings: int
    overdue: int  # measures past their deadline and not done
    next_deadline: date | None


@dataclass(frozen=True)
class Violation:
    household_id: uuid.UUID
    household_number: str
    head_name: str
    group: str
    rule: int
    severity: str
    message: str


@dataclass(frozen=True)
class ComplianceReport:
    year: int
    households: int  # households that need a plan
    plans: int
    compliant: int  # plans with no error finding
    without_plan: int
    errors: int
    warnings: int
    by_rule: dict[int, int]  # rule → plans with at least one error of it
    violations: list[Violation] = field(default_factory=list)
    poverty_line_fen: int | None = None

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.without_plan == 0


@dataclass(frozen=True)
class CardMeasureRow:
    """One measure for the household card (明白卡) and plan printouts."""

    family: str
    type_name: str
    target: str | None
    member_name: str | None  # None: the whole household
    responsible_person: str | None
    responsible_unit: str | None
    deadline: date | None
    amount_fen: int | None
    completed_on: date | None
    type_code: str | None = None


@dataclass(frozen=True)
class CloneResult:
    created: int
    skipped_existing: int
    skipped_without_source: int
    dropped_measures: int  # measures of members who have left the household


# -- reference ----------------------------------------------------------------------------------

def catalogue(session: Session) -> list[CatalogueEntry]:
    """The 转扶搬保救 measure catalogue in display order."""
    rows = session.scalars(select(MeasureType).where(live(MeasureType))
                           .order_by(MeasureType.sort_order, MeasureType.code))
    return [CatalogueEntry(r.code, r.family, r.name, r.level, r.note) for r in rows]


# -- loading facts ------------------------------------------------------------------------------

def _age_day(year: int, today: date) -> date:
    """Ages in a plan are taken at the end of its year (or today, for the current year)."""
    return min(today, date(year, 12, 31))


def _member(m: Member, on: date) -> PlanMember:
    return PlanMember(id=m.id, name=m.name, age=idcard.age_on(m.birth_date, on), labour_ability=m.labour_ability,
                      health=m.health, disability_category=m.disability_category, schooling_stage=m.schooling_stage,
                      employment_status=m.employment_status, public_welfare_post=m.public_welfare_post,
                      medical_insurance=m.medical_insurance, pension_insurance=m.pension_insurance,
                      dibao=m.dibao, tekun=m.tekun)


_MEASURE_COLUMNS = ("type_code", "family", "type_name", "member_id", "target", "responsible_person",
                    "responsible_unit", "planned_start", "deadline", "multi_year", "completed_on", "funded",
                    "amount_fen", "fund_source", "disbursed_on", "payee", "description", "notice_posted")


def _measure_form(m: PlanMeasure, levels: dict[str, str]) -> MeasureForm:
    return MeasureForm(id=m.id, level=levels.get(m.type_code, rules.LEVEL_EITHER),
                       **{c: getattr(m, c) for c in _MEASURE_COLUMNS})


def _levels(session: Session) -> dict[str, str]:
    rows = session.execute(select(MeasureType.code, MeasureType.level).where(live(MeasureType)))
    return dict(rows.all())


def _per_capita(session: Session, household_ids: Iterable[uuid.UUID], year: int) -> dict[uuid.UUID, int]:
    """Latest 人均纯收入 (fen) recorded up to `year`, per household."""
    ids = list(household_ids)
    out: dict[uuid.UUID, tuple[int, int]] = {}
    for chunk in _chunks(ids):
        rows = session.execute(select(
            HouseholdIncome.household_id, HouseholdIncome.year, HouseholdIncome.persons,
            HouseholdIncome.wage_fen + HouseholdIncome.operating_fen + HouseholdIncome.property_fen
            + HouseholdIncome.transfer_fen - HouseholdIncome.expense_fen,
        ).where(HouseholdIncome.household_id.in_(chunk), HouseholdIncome.year <= year,
                live(HouseholdIncome)))
        for hid, y, persons, net in rows:
            if persons and (hid not in out or out[hid][0] < y):
                out[hid] = (y, (2 * net + persons) // (2 * persons))
    return {hid: v for hid, (_, v) in out.items()}


def _chunks(ids: list[uuid.UUID], size: int = 900) -> Iterable[list[uuid.UUID]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _hexed(value: uuid.UUID | str) -> str:
    """A UUID as the 32 hex digits the bulk queries read (they read ids as text)."""
    return value.hex if isinstance(value, uuid.UUID) else value


def _current_cadres(session: Session, today: date) -> dict[str, str]:
    """hex id → name of the cadres in office (live, not ended): 帮扶责任人 and rule 13's confirmer."""
    rows = session.execute(select(_hex(Cadre.id), Cadre.name).where(
        live(Cadre), or_(Cadre.ended_on.is_(None), Cadre.ended_on >= today)))
    return {i: n for i, n in rows}


def _facts(plan: AssistancePlan | Row[Any], h: Household | Row[Any], members: list[PlanMember],
           measures: list[MeasureForm], line: int | None, income: int | None, cadres: dict[str, str]) -> PlanFacts:
    return PlanFacts(
        year=plan.year, status=plan.status, members=tuple(members), measures=tuple(measures),
        household_status=h.status, attributes=tuple(h.attributes or ()), main_cause=h.main_cause,
        housing_safety=h.housing_safety, team_confirmed_on=plan.team_confirmed_on,
        team_confirmed_by=plan.team_confirmed_by, household_confirmed_on=plan.household_confirmed_on,
        household_signer=plan.household_signer, poverty_line_fen=line, per_capita_income_fen=income,
        secondary_causes=tuple(h.secondary_causes or ()), cadre_names=frozenset(cadres.values()),
        has_helper=_hexed(h.helper_id) in cadres if h.helper_id else False)




def _live_members(session: Session, household_id: uuid.UUID) -> list[Member]:
    rows = session.scalars(select(Member).where(Member.household_id == household_id, live(Member)))
    return sorted(rows, key=lambda m: (m.relation != "户主", m.birth_date))


def get_plan(session: Session, plan_id: uuid.UUID, *, today: date | None = None) -> PlanDetail:
    """A plan with its household's members, its measures, progress notes and the validator's findings."""
    from fupin_desktop.db.models import VillagerGroup

    today = today or clock.today()
    p = get_live(session, AssistancePlan, plan_id)
    h = get_live(session, Household, p.household_id)
    on = _age_day(p.year, today)
    members = _live_members(session, h.id)
    levels = _levels(session)
    measures = session.scalars(select(PlanMeasure).where(PlanMeasure.plan_id == p.id, live(PlanMeasure))
                               .order_by(PlanMeasure.sort_order, PlanMeasure.created_at)).all()
    forms = [_measure_form(m, levels) for m in measures]
    progress: dict[uuid.UUID, list[ProgressRow]] = defaultdict(list)
    if measures:
        for r in session.scalars(select(MeasureProgress).where(
                MeasureProgress.measure_id.in_([m.id for m in measures]), live(MeasureProgress))
                .order_by(MeasureProgress.noted_on, MeasureProgress.created_at)):
            progress[r.measure_id].append(ProgressRow(r.id, r.measure_id, r.noted_on, r.note, r.author))
    facts = _facts(p, h, [_member(m, on) for m in members], forms, poverty_line(session, p.year, h.village_id),
                   _per_capita(session, [h.id], p.year).get(h.id), _current_cadres(session, today))
    group = session.get(VillagerGroup, h.group_id) if h.group_id else None
    helper = session.get(Cadre, h.helper_id) if h.helper_id else None
    head = members[0].name if members else "（无成员）"
    return PlanDetail(
        id=p.id, household_id=h.id, household_number=h.number, head_name=head, group=group.name if group else None,
        household_status=h.status, helper=helper.name if helper else None, year=p.year, version=p.version,
        status=p.status,
        header=PlanHeader(p.planned_exit_year, p.team_confirmed_on, p.team_confirmed_by, p.household_confirmed_on,
                          p.household_signer, p.note),
        submitted_on=p.submitted_on, approved_on=p.approved_on, approved_by=p.approved_by, closed_on=p.closed_on,
        members=tuple(PlanMemberRow(m.id, m.name, m.relation, idcard.age_on(m.birth_date, on), m.labour_ability,
                                    m.health, m.schooling_stage, m.employment_status) for m in members),
        measures=tuple(forms), progress={k: tuple(v) for k, v in progress.items()},
        findings=tuple(rules.check_plan(facts)), facts=facts)


def find_plan(session: Session, household_id: uuid.UUID, year: int) -> uuid.UUID | None:
    return session.scalar(select(AssistancePlan.id).where(
        AssistancePlan.household_id == household_id, AssistancePlan.year == year,
        live(AssistancePlan)))


def check_draft(detail: PlanDetail, header: PlanHeader, measures: list[MeasureForm]) -> list[Finding]:
    """The findings of an edited, unsaved plan (the editor calls this on every change)."""
    facts = replace(detail.facts, measures=tuple(measures), team_confirmed_on=header.team_confirmed_on,
                    team_confirmed_by=header.team_confirmed_by, household_confirmed_on=header.household_confirmed_on,
                    household_signer=header.household_signer)
    return rules.check_plan(facts)


# -- lifecycle ----------------------------------------------------------------------------------

def _check_year(session: Session, year: int, today: date) -> None:
    if not (FIRST_PLAN_YEAR <= year <= today.year + 1):
        raise ValidationError([FieldError("year", f"计划年度应在{FIRST_PLAN_YEAR}年到{today.year + 1}年之间")])


def create_plan(session: Session, household_id: uuid.UUID, year: int, *, today: date | None = None) -> uuid.UUID:
    """A new, empty 草稿 plan for the household and year; refused if one exists."""
    today = today or clock.today()
    _check_year(session, year, today)
    h = get_live(session, Household, household_id)
    if find_plan(session, h.id, year):
        raise ValidationError([FieldError("year", f"{household_name(h.number)}已有{year}年的帮扶计划，请直接打开编辑")])
    p = AssistancePlan(household_id=h.id, year=year, status=rules.DRAFT, version=1)
    session.add(p)
    session.flush()
    return p.id


def _shift(d: date | None, years: int) -> date | None:
    if d is None:
        return None
    y = d.year + years
    return d.replace(year=y, day=min(d.day, calendar.monthrange(y, d.month)[1]))


def clone_plan(session: Session, household_id: uuid.UUID, from_year: int, to_year: int, *,
               today: date | None = None) -> tuple[uuid.UUID, int]:
    """Copy a household's plan to another year as a 草稿: same measures with dates moved by the
    difference in years; progress, completion, disbursement and confirmations are reset. Measures
    of members who have left the household are dropped. Returns (new plan id, dropped measures)."""
    today = today or clock.today()
    source_id = find_plan(session, household_id, from_year)
    if source_id is None:
        raise NotFoundError(f"该户没有{from_year}年的帮扶计划，无法复制")
    new_id = create_plan(session, household_id, to_year, today=today)
    src = get_live(session, AssistancePlan, source_id)
    new = get_live(session, AssistancePlan, new_id)
    new.planned_exit_year = src.planned_exit_year
    new.note = f"由{from_year}年计划复制"
    members = {m.id for m in _live_members(session, household_id)}
    dy = to_year - from_year
    dropped = 0
    for m in session.scalars(select(PlanMeasure).where(PlanMeasure.plan_id == src.id, live(PlanMeasure))
                             .order_by(PlanMeasure.sort_order)):
        if m.member_id is not None and m.member_id not in members:
            dropped += 1
            continue
        session.add(PlanMeasure(
            plan_id=new.id, member_id=m.member_id, sort_order=m.sort_order, type_code=m.type_code, family=m.family,
            type_name=m.type_name, target=m.target, description=m.description,
            responsible_person=m.responsible_person, responsible_unit=m.responsible_unit,
            planned_start=_shift(m.planned_start, dy), deadline=_shift(m.deadline, dy), multi_year=m.multi_year,
            completed_on=None, funded=m.funded, amount_fen=m.amount_fen, fund_source=m.fund_source,
            disbursed_on=None, payee=m.payee, notice_posted=False))
    session.flush()
    return new_id, dropped


def clone_year(session: Session, from_year: int, to_year: int, *, today: date | None = None) -> CloneResult:
    """Clone every plan of `from_year` whose household has no plan in `to_year` yet."""
    today = today or clock.today()
    _check_year(session, to_year, today)
    if from_year == to_year:
        raise ValidationError([FieldError("year", "源年度与目标年度相同")])
    sources = session.scalars(select(AssistancePlan.household_id).join(Household).where(
        AssistancePlan.year == from_year, live(AssistancePlan), live(Household))).all()
    if not sources:
        raise NotFoundError(f"{from_year}年没有帮扶计划可复制")
    existing = set(session.scalars(select(AssistancePlan.household_id).where(
        AssistancePlan.year == to_year, live(AssistancePlan))))
    created = dropped = 0
    for hid in sources:
        if hid in existing:
            continue
        _, d = clone_plan(session, hid, from_year, to_year, today=today)
        created += 1
        dropped += d
    needed = set(session.scalars(select(Household.id).where(
        live(Household), Household.status.in_(rules.PLAN_HOUSEHOLD_STATUSES))))
    return CloneResult(created=created, skipped_existing=len(set(sources) & existing),
                       skipped_without_source=len(needed - set(sources) - existing), dropped_measures=dropped)


def _sanity_errors(findings: list[Finding]) -> list[FieldError]:
    return [FieldError("measures", f.message) for f in findings if f.is_error and f.rule == 0]


def save_plan(session: Session, plan_id: uuid.UUID, header: PlanHeader, measures: list[MeasureForm], *,
              today: date | None = None) -> PlanDetail:
    """Replace the plan's header and measures. Measures with an id are updated, new ones added,
    missing ones tombstoned (their progress notes stay in the log).

    Refused (nothing written) when a measure is impossible: deadline before start, negative or
    absurd amount, a member who is not in the household, a type not in the catalogue. A submitted
    or approved plan may not be saved with rule errors, and each change to it counts a new version.
    """
    today = today or clock.today()
    detail = get_plan(session, plan_id, today=today)
    if detail.status == rules.CLOSED:
        raise FupinError("该计划已完结，不能再修改")
    levels = _levels(session)
    errors: list[FieldError] = []
    fixed: list[MeasureForm] = []
    for i, m in enumerate(measures):
        if m.type_code not in levels:
            errors.append(FieldError("type_code", f"第{i + 1}条措施的类型“{m.type_code}”不在措施目录中"))
            continue
        fixed.append(replace(m, level=levels[m.type_code]))
    if header.planned_exit_year is not None and not (2014 <= header.planned_exit_year <= 2100):
        errors.append(FieldError("planned_exit_year", "计划脱贫年度不合理"))
    findings = check_draft(detail, header, fixed)
    errors += _sanity_errors(findings)
    if not errors and detail.status != rules.DRAFT:
        errors += [FieldError("measures", str(f)) for f in findings if f.is_error]
    if errors:
        raise ValidationError(errors)
    p = get_live(session, AssistancePlan, plan_id)
    changed = False
    for name in ("planned_exit_year", "team_confirmed_on", "team_confirmed_by", "household_confirmed_on",
                 "household_signer", "note"):
        value = getattr(header, name)
        value = (value.strip() or None) if isinstance(value, str) else value
        if getattr(p, name) != value:
            setattr(p, name, value)
            changed = True
    existing = {m.id: m for m in session.scalars(select(PlanMeasure).where(
        PlanMeasure.plan_id == p.id, live(PlanMeasure)))}
    kept = {m.id for m in fixed if m.id}
    gone = [row for measure_id, row in existing.items() if measure_id not in kept]
    tombstone(session, *gone)
    changed = changed or bool(gone)
    for order, m in enumerate(fixed):
        row = existing.get(m.id) if m.id else None
        if row is None:
            if m.id is not None:
                raise NotFoundError(f"第{order + 1}条措施已被删除，请刷新后再编辑")
            row = PlanMeasure(plan_id=p.id)
            session.add(row)
            changed = True
        for c in _MEASURE_COLUMNS:
            value = getattr(m, c)
            value = (value.strip() or None) if isinstance(value, str) and c != "type_code" else value
            if getattr(row, c) != value:
                setattr(row, c, value)
                changed = True
        if row.sort_order != order:
            row.sort_order = order
    if changed and p.status != rules.DRAFT:  # a plan changed after submission is a new version of it
        p.version += 1
    session.flush()
    return get_plan(session, plan_id, today=today)


def _transition(session: Session, plan_id: uuid.UUID, allowed_from: tuple[str, ...], to: str, action: str) -> \
        AssistancePlan:
    p = get_live(session, AssistancePlan, plan_id)
    if p.status not in allowed_from:
        raise FupinError(f"计划当前为“{p.status}”，不能{action}（须为{'或'.join(allowed_from)}）")
    return p


def _refuse_on_errors(findings: list[Finding], action: str) -> None:
    errors = [f for f in findings if f.is_error]
    if errors:
        raise ValidationError([FieldError("plan", f"不能{action}：{f}") for f in errors])


def submit_plan(session: Session, plan_id: uuid.UUID, *, today: date | None = None) -> None:
    """草稿 → 已提交, only when no rule reports an error."""
    today = today or clock.today()
    p = _transition(session, plan_id, (rules.DRAFT,), rules.SUBMITTED, "提交")
    _refuse_on_errors(list(get_plan(session, plan_id, today=today).findings), "提交")
    p.status, p.submitted_on = rules.SUBMITTED, today


def return_plan(session: Session, plan_id: uuid.UUID) -> None:
    """已提交 → 草稿 (sent back for changes)."""
    p = _transition(session, plan_id, (rules.SUBMITTED,), rules.DRAFT, "退回")
    p.status = rules.DRAFT


def approve_plan(session: Session, plan_id: uuid.UUID, approver: str, *, today: date | None = None) -> None:
    """已提交 → 已审核: needs 双认定 (team and household confirmation) and no rule error."""
    today = today or clock.today()
    if not approver.strip():
        raise ValidationError([FieldError("approved_by", "请填写审核人")])
    p = _transition(session, plan_id, (rules.SUBMITTED,), rules.APPROVED, "审核")
    detail = get_plan(session, plan_id, today=today)
    _refuse_on_errors(rules.check_plan(detail.facts, approving=True), "审核")
    p.status, p.approved_on, p.approved_by = rules.APPROVED, today, approver.strip()


def start_plan(session: Session, plan_id: uuid.UUID) -> None:
    p = _transition(session, plan_id, (rules.APPROVED,), rules.EXECUTING, "开始执行")
    p.status = rules.EXECUTING


def close_plan(session: Session, plan_id: uuid.UUID, *, today: date | None = None) -> None:
    """执行中 → 已完结: every funded measure must be accounted for (rule 5 at close)."""
    today = today or clock.today()
    p = _transition(session, plan_id, (rules.EXECUTING, rules.APPROVED), rules.CLOSED, "完结")
    detail = get_plan(session, plan_id, today=today)
    _refuse_on_errors(rules.check_plan(detail.facts, closing=True), "完结")
    p.status, p.closed_on = rules.CLOSED, today


def delete_plan(session: Session, plan_id: uuid.UUID) -> None:
    """Tombstone a 草稿 plan and its measures."""
    p = _transition(session, plan_id, (rules.DRAFT,), rules.DRAFT, "删除")
    tombstone(session, p, cascade=[PlanMeasure.plan_id])


def add_progress(session: Session, measure_id: uuid.UUID, note: str, *, noted_on: date | None = None,
                 author: str | None = None) -> uuid.UUID:
    m = get_live(session, PlanMeasure, measure_id)
    if not note.strip():
        raise ValidationError([FieldError("note", "进展情况不能为空")])
    day = noted_on or clock.today()
    if day > clock.today():
        raise ValidationError([FieldError("noted_on", "进展日期不能晚于今天")])
    row = MeasureProgress(measure_id=m.id, noted_on=day, note=note.strip(), author=(author or "").strip() or None)
    session.add(row)
    session.flush()
    return row.id


# -- the village --------------------------------------------------------------------------------

@dataclass
class _Bulk:
    """Rows of a whole year, keyed by the ids' stored hex text (turning 500,000 keys into UUID
    objects costs more than all the rules together); ids become UUIDs only in the rows returned."""

    households: dict[str, Any]  # Core rows: id, number, group_id, status, attributes, main_cause, housing_safety
    heads: dict[str, str]
    groups: dict[str | None, str]
    plans: dict[str, Any]  # household → Core row of its plan
    facts: dict[str, PlanFacts]  # household → facts


def _hex(column):
    return type_coerce(column, String)


def _load_year(session: Session, year: int, today: date) -> _Bulk:
    """Everything the rules need for all plan households of a year, in a few queries."""
    from fupin_desktop.db.models import VillagerGroup

    planned = select(AssistancePlan.household_id).where(AssistancePlan.year == year,
                                                        live(AssistancePlan))
    wanted = or_(Household.status.in_(rules.PLAN_HOUSEHOLD_STATUSES), Household.id.in_(planned))
    households = {r.id: r for r in session.execute(select(
        _hex(Household.id).label("id"), Household.number, _hex(Household.group_id).label("group_id"),
        Household.status, Household.attributes, Household.main_cause, Household.housing_safety,
        Household.secondary_causes, _hex(Household.helper_id).label("helper_id"),
    ).where(live(Household), wanted))}
    plan_rows = {r.household_id: r for r in session.execute(select(
        _hex(AssistancePlan.id).label("id"), _hex(AssistancePlan.household_id).label("household_id"),
        AssistancePlan.year, AssistancePlan.status, AssistancePlan.team_confirmed_on,
        AssistancePlan.team_confirmed_by, AssistancePlan.household_confirmed_on, AssistancePlan.household_signer,
    ).where(AssistancePlan.year == year, live(AssistancePlan)))}
    groups = {k: v for k, v in session.execute(select(_hex(VillagerGroup.id), VillagerGroup.name))}
    on = _age_day(year, today)
    members: dict[str, list[PlanMember]] = defaultdict(list)
    heads: dict[str, str] = {}
    rows = session.execute(select(
        _hex(Member.id), _hex(Member.household_id), Member.name, Member.relation, Member.birth_date,
        Member.labour_ability, Member.health, Member.disability_category, Member.schooling_stage,
        Member.employment_status, Member.public_welfare_post, Member.medical_insurance, Member.pension_insurance,
        Member.dibao, Member.tekun,
    ).join(Household, Member.household_id == Household.id).where(
        live(Member), live(Household), wanted))
    age_on = idcard.age_on
    for (mid, hid, name, relation, birth, labour, health, disability, school, job, post, insured, pension, dibao,
         tekun) in rows:
        members[hid].append(PlanMember(
            id=mid, name=name, age=age_on(birth, on), labour_ability=labour, health=health,
            disability_category=disability, schooling_stage=school, employment_status=job, public_welfare_post=post,
            medical_insurance=insured, pension_insurance=pension, dibao=dibao, tekun=tekun))
        if relation == "户主":
            heads[hid] = name
    levels = _levels(session)
    by_plan: dict[str, list[MeasureForm]] = defaultdict(list)
    mcols = [_hex(PlanMeasure.member_id).label("member_id") if c == "member_id" else getattr(PlanMeasure, c)
             for c in _MEASURE_COLUMNS]
    for r in session.execute(select(_hex(PlanMeasure.plan_id), *mcols).join(
            AssistancePlan, PlanMeasure.plan_id == AssistancePlan.id).where(
            AssistancePlan.year == year, live(AssistancePlan), live(PlanMeasure))
            .order_by(PlanMeasure.plan_id, PlanMeasure.sort_order)):
        values = dict(zip(_MEASURE_COLUMNS, r[1:], strict=True))
        by_plan[r[0]].append(MeasureForm(level=levels.get(values["type_code"], rules.LEVEL_EITHER), **values))
    line = poverty_line(session, year)
    incomes = _per_capita_bulk(session, year, planned)
    cadres = _current_cadres(session, today)
    facts = {hid: _facts(p, households[hid], members[hid], by_plan[p.id], line, incomes.get(hid), cadres)
             for hid, p in plan_rows.items() if hid in households}
    return _Bulk(households, heads, groups, plan_rows, facts)


def _per_capita_bulk(session: Session, year: int, planned) -> dict[str, int]:
    """Latest 人均纯收入 (fen) up to `year` of every household with a plan that year."""
    out: dict[str, tuple[int, int]] = {}
    net = (HouseholdIncome.wage_fen + HouseholdIncome.operating_fen + HouseholdIncome.property_fen
           + HouseholdIncome.transfer_fen - HouseholdIncome.expense_fen)
    for hid, y, persons, value in session.execute(select(
            _hex(HouseholdIncome.household_id), HouseholdIncome.year, HouseholdIncome.persons, net).where(
            HouseholdIncome.household_id.in_(planned), HouseholdIncome.year <= year,
            live(HouseholdIncome))):
        if persons and (hid not in out or out[hid][0] < y):
            out[hid] = (y, (2 * value + persons) // (2 * persons))
    return {hid: v for hid, (_, v) in out.items()}


def _uuid(hex_text: str) -> uuid.UUID:
    return uuid.UUID(hex=hex_text)


def plan_overview(session: Session, year: int, *, today: date | None = None) -> list[PlanOverviewRow]:
    """Every household that needs a plan (or has one) this year, with its plan's state."""
    today = today or clock.today()
    bulk = _load_year(session, year, today)
    out = []
    for hid, h in bulk.households.items():
        p = bulk.plans.get(hid)
        facts = bulk.facts.get(hid)
        findings = rules.check_plan(facts) if facts else []
        measures = facts.measures if facts else ()
        open_ = [m for m in measures if m.deadline and not m.completed_on]
        overdue = sum(m.deadline < today for m in open_) if p and p.status != rules.CLOSED else 0  # type: ignore[operator]
        upcoming = [m.deadline for m in open_ if m.deadline and m.deadline >= today]
        out.append(PlanOverviewRow(
            household_id=_uuid(hid), household_number=h.number, head_name=bulk.heads.get(hid, "（无户主）"),
            group=bulk.groups.get(h.group_id, ""), household_status=h.status,
            members=len(facts.members) if facts else 0, plan_id=_uuid(p.id) if p else None,
            status=p.status if p else "无计划", measures=len(measures),
            errors=sum(f.is_error for f in findings), warnings=sum(not f.is_error for f in findings),
            overdue=overdue, next_deadline=min(upcoming) if upcoming else None))
    return sorted(out, key=lambda r: r.household_number)


def compliance_report(session: Session, year: int, *, today: date | None = None,
                      include_warnings: bool = True) -> ComplianceReport:
    """How many of the year's plans comply with the N+2 rules, and every violation."""
    today = today or clock.today()
    bulk = _load_year(session, year, today)
    violations: list[Violation] = []
    by_rule: dict[int, int] = defaultdict(int)
    compliant = errors = warnings = 0
    for hid in sorted(bulk.facts, key=lambda k: bulk.households[k].number):
        h = bulk.households[hid]
        findings = rules.check_plan(bulk.facts[hid])
        n_err = sum(f.is_error for f in findings)
        errors += n_err
        warnings += len(findings) - n_err
        compliant += n_err == 0
        for rule in {f.rule for f in findings if f.is_error}:
            by_rule[rule] += 1
        for f in findings:
            if f.is_error or include_warnings:
                violations.append(Violation(_uuid(hid), h.number, bulk.heads.get(hid, ""),
                                            bulk.groups.get(h.group_id, ""), f.rule, f.severity, f.message))
    needing = [hid for hid, h in bulk.households.items() if h.status in rules.PLAN_HOUSEHOLD_STATUSES]
    without = [hid for hid in needing if hid not in bulk.plans]
    for hid in sorted(without, key=lambda k: bulk.households[k].number):
        h = bulk.households[hid]
        violations.append(Violation(_uuid(hid), h.number, bulk.heads.get(hid, ""), bulk.groups.get(h.group_id, ""),
                                    0, rules.ERROR, f"没有{year}年帮扶计划"))
    return ComplianceReport(year=year, households=len(needing), plans=len(bulk.facts), compliant=compliant,
                            without_plan=len(without), errors=errors, warnings=warnings, by_rule=dict(by_rule),
                            violations=violations, poverty_line_fen=poverty_line(session, year))


def plan_for_card(session: Session, household_id: uuid.UUID, year: int) -> list[CardMeasureRow]:
    """The year's measures of a household as plain rows for printing (empty list: no plan)."""
    return plans_for_cards(session, [household_id], year).get(household_id, [])


def plans_for_cards(session: Session, household_ids: list[uuid.UUID],
                    year: int) -> dict[uuid.UUID, list[CardMeasureRow]]:
    """The year's measures of many households in three queries per 500 (a batch of cards): only
    households with a plan that year are keys."""
    out: dict[uuid.UUID, list[CardMeasureRow]] = {}
    for i in range(0, len(household_ids), 500):
        chunk = household_ids[i:i + 500]
        plan_of = dict(session.execute(  # one live plan a household a year (a unique index)
            select(AssistancePlan.id, AssistancePlan.household_id).where(
                AssistancePlan.household_id.in_(chunk), AssistancePlan.year == year,
                live(AssistancePlan))).all())
        for hid in plan_of.values():
            out[hid] = []
        if not plan_of:
            continue
        names = dict(session.execute(select(Member.id, Member.name).where(Member.household_id.in_(chunk))).all())
        for m in session.scalars(select(PlanMeasure).where(PlanMeasure.plan_id.in_(list(plan_of)),
                                                           live(PlanMeasure))
                                 .order_by(PlanMeasure.plan_id, PlanMeasure.sort_order)):
            out[plan_of[m.plan_id]].append(CardMeasureRow(
                m.family, m.type_name, m.target, names.get(m.member_id) if m.member_id else None,
                m.responsible_person, m.responsible_unit, m.deadline, m.amount_fen, m.completed_on, m.type_code))
    return out


# -- 首页 ----------------------------------------------------------------------------------------

@due_source
def _due_measures(session: Session, today: date) -> list[DueItem]:
    """Overdue measures and measures due this month, one item per household."""
    month_end = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    head = (select(Member.name).where(Member.household_id == Household.id, Member.relation == "户主",
                                      live(Member)).limit(1).scalar_subquery())
    rows = session.execute(select(Household.id, func.coalesce(head, Household.number), PlanMeasure.type_name,
                                  PlanMeasure.deadline)
                           .join(AssistancePlan, PlanMeasure.plan_id == AssistancePlan.id)
                           .join(Household, AssistancePlan.household_id == Household.id)
                           .where(live(PlanMeasure), live(AssistancePlan),
                                  live(Household), AssistancePlan.status != rules.CLOSED,
                                  PlanMeasure.completed_on.is_(None), PlanMeasure.deadline <= month_end)
                           .order_by(PlanMeasure.deadline))
    per: dict[uuid.UUID, list[tuple[str, str, date]]] = defaultdict(list)
    for hid, number, name, deadline in rows:
        per[hid].append((number, name, deadline))
    items = []
    for hid, entries in per.items():
        number = entries[0][0]
        late = [e for e in entries if e[2] < today]
        if late:
            names = "、".join(dict.fromkeys(e[1] for e in late))
            items.append(DueItem("帮扶计划", f"{number}户 {len(late)}条措施逾期未完成：{names}", late[0][2],
                                 household_id=hid, count=len(late)))
        soon = [e for e in entries if e[2] >= today]
        if soon:
            names = "、".join(dict.fromkeys(e[1] for e in soon))
            items.append(DueItem("帮扶计划", f"{number}户 {len(soon)}条措施本月到期：{names}", soon[0][2],
                                 household_id=hid, count=len(soon)))
    return items
