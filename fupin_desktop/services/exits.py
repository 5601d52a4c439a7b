"""退出程序: check a household against the exit standard, propose it, record the five steps
统计摸底 → 民主评议 → 核实认可 → 公告公示 → 脱贫销号; the village's 贫困发生率 and exit checklist.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import ExitProcedure, ExitStep, Household, HouseholdIncome, Member
from fupin_desktop.domain import clock, idcard
from fupin_desktop.domain import exit_rules as rules
from fupin_desktop.domain.exit_rules import CheckItem, ExitFacts, ExitMember, StepRecord
from fupin_desktop.errors import FieldError, NotFoundError, ValidationError
from fupin_desktop.services.lines import poverty_line
from fupin_desktop.services.village import current_village

PROPOSABLE = ("未脱贫", "监测户")


@dataclass(frozen=True)
class StepRow:
    step: str
    done_on: date
    participants: str | None
    minutes: str | None
    objections: str | None
    attachments: tuple[str, ...]


@dataclass(frozen=True)
class ProcedureRow:
    id: uuid.UUID
    household_id: uuid.UUID
    household_number: str
    head_name: str
    year: int
    proposed_on: date
    finished_on: date | None
    steps: tuple[StepRow, ...]
    next_step: str | None


@dataclass(frozen=True)
class VillageExit:
    year: int
    poor_households: int
    poor_persons: int
    population: int
    population_source: str  # 村情登记的总人口 / 本库登记的人数
    incidence_percent: float | None
    meets_incidence: bool | None
    items: tuple[str, ...]  # further items to verify on site


def _household(session: Session, household_id: uuid.UUID) -> Household:
    h = session.get(Household, household_id)
    if h is None or h.deleted_at is not None:
        raise NotFoundError("找不到该户，可能已被删除")
    return h


def exit_check(session: Session, household_id: uuid.UUID, year: int, *, food_clothing_ok: bool | None = None,
               today: date | None = None) -> list[CheckItem]:
    """The household against 一超过、两不愁、三保障 + 饮水 for `year` (income of that year).

    `food_clothing_ok`: 不愁吃、不愁穿 as the team found it in the household (None: not yet verified).
    """
    today = today or clock.today()
    h = _household(session, household_id)
    on = min(today, date(year, 12, 31))
    members = session.scalars(select(Member).where(Member.household_id == h.id, Member.deleted_at.is_(None))).all()
    income = session.scalar(select(HouseholdIncome).where(
        HouseholdIncome.household_id == h.id, HouseholdIncome.year == year, HouseholdIncome.deleted_at.is_(None)))
    per_capita = None
    if income is not None and income.persons:
        net = income.wage_fen + income.operating_fen + income.property_fen + income.transfer_fen - income.expense_fen
        per_capita = (2 * net + income.persons) // (2 * income.persons)
    facts = ExitFacts(
        year=year, per_capita_income_fen=per_capita, line_fen=poverty_line(session, year, h.village_id),
        members=tuple(ExitMember(m.name, idcard.age_on(m.birth_date, on), m.schooling_stage, m.medical_insurance)
                      for m in members),
        housing_safety=h.housing_safety,
        water=(h.water_quality_ok, h.water_quantity_ok, h.water_convenience_ok, h.water_reliability_ok),
        food_clothing_ok=food_clothing_ok)
    return rules.check_household_exit(facts)


def propose_exit(session: Session, household_id: uuid.UUID, year: int, *, food_clothing_ok: bool | None = None,
                 today: date | None = None) -> uuid.UUID:
    """Open the exit procedure for a household; refused, listing what is missing, unless every item
    of the exit standard is met (items to verify on site count as missing)."""
    today = today or clock.today()
    h = _household(session, household_id)
    if h.status not in PROPOSABLE:
        raise ValidationError([FieldError("status", f"户状态为“{h.status}”，只有{'、'.join(PROPOSABLE)}可以拟退出")])
    existing = session.scalar(select(ExitProcedure.id).where(
        ExitProcedure.household_id == h.id, ExitProcedure.year == year, ExitProcedure.deleted_at.is_(None)))
    if existing:
        raise ValidationError([FieldError("year", f"该户已有{year}年的退出程序")])
    missing = [i for i in exit_check(session, h.id, year, food_clothing_ok=food_clothing_ok, today=today)
               if i.blocking]
    if missing:
        raise ValidationError([FieldError("exit", f"{i.name}：{i.state}" + (f"（{i.detail}）" if i.detail else ""))
                               for i in missing])
    row = ExitProcedure(household_id=h.id, year=year, proposed_on=today)
    session.add(row)
    session.flush()
    return row.id


def record_step(session: Session, procedure_id: uuid.UUID, step: str, done_on: date, *, participants: str,
                minutes: str | None = None, objections: str | None = None,
                attachments: list[str] | None = None) -> None:
    """Record one step, in order. 脱贫销号 marks the household 已脱贫(享受政策) with the exit year."""
    p = session.get(ExitProcedure, procedure_id)
    if p is None or p.deleted_at is not None:
        raise NotFoundError("找不到该退出程序")
    done = [StepRecord(s.step, s.done_on) for s in _steps(session, p.id)]
    problems = rules.check_step(done, step, done_on, participants)
    if done_on > clock.today():
        problems.append("日期不能晚于今天")
    if done_on < p.proposed_on:
        problems.append(f"日期不能早于拟退出日期{p.proposed_on:%Y-%m-%d}")
    if problems:
        raise ValidationError([FieldError("step", x) for x in problems])
    session.add(ExitStep(procedure_id=p.id, step=step, done_on=done_on, participants=participants.strip(),
                         minutes=(minutes or "").strip() or None, objections=(objections or "").strip() or None,
                         attachments=list(attachments or [])))
    if step == rules.EXIT_STEPS[-1]:
        p.finished_on = done_on
        h = _household(session, p.household_id)
        h.status = "已脱贫(享受政策)"
        h.exit_year = p.year


def _steps(session: Session, procedure_id: uuid.UUID) -> list[ExitStep]:
    rows = session.scalars(select(ExitStep).where(ExitStep.procedure_id == procedure_id,
                                                  ExitStep.deleted_at.is_(None))).all()
    return sorted(rows, key=lambda s: rules.EXIT_STEPS.index(s.step))


def list_procedures(session: Session) -> list[ProcedureRow]:
    out = []
    for p in session.scalars(select(ExitProcedure).where(ExitProcedure.deleted_at.is_(None))
                             .order_by(ExitProcedure.proposed_on.desc())):
        h = session.get(Household, p.household_id)
        head = session.scalar(select(Member.name).where(Member.household_id == p.household_id,
                                                        Member.relation == "户主", Member.deleted_at.is_(None)))
        steps = _steps(session, p.id)
        out.append(ProcedureRow(
            p.id, p.household_id, h.number if h else "", head or "", p.year, p.proposed_on, p.finished_on,
            tuple(StepRow(s.step, s.done_on, s.participants, s.minutes, s.objections, tuple(s.attachments or ()))
                  for s in steps),
            rules.next_step([StepRecord(s.step, s.done_on) for s in steps])))
    return out


def village_exit(session: Session, year: int | None = None, *, today: date | None = None) -> VillageExit:
    """贫困发生率 = persons of 未脱贫 households ÷ population × 100 (domain.md §4.3). The population is
    the village profile's 总人口 when set, else the persons registered in this database."""
    today = today or clock.today()
    year = year or today.year
    village = current_village(session)
    poor = session.execute(select(func.count(func.distinct(Household.id)), func.count(Member.id))
                           .join(Member, Member.household_id == Household.id)
                           .where(Household.deleted_at.is_(None), Member.deleted_at.is_(None),
                                  Household.status == "未脱贫")).one()
    registered = session.scalar(select(func.count()).select_from(Member).join(Household).where(
        Member.deleted_at.is_(None), Household.deleted_at.is_(None))) or 0
    population = village.population_total or registered
    source = "村情登记的总人口" if village.population_total else "本库登记的人数"
    rate = rules.incidence(poor[1], population)
    return VillageExit(year, poor[0], poor[1], population, source, rate,
                       None if rate is None else rate < rules.VILLAGE_INCIDENCE_LIMIT, rules.VILLAGE_ITEMS)


@dataclass(frozen=True)
class ProposableRow:
    household_id: uuid.UUID
    number: str
    head_name: str
    status: str


def proposable_households(session: Session) -> list[ProposableRow]:
    """Households that may be proposed to exit (未脱贫, 监测户) and have no open procedure."""
    open_ids = set(session.scalars(select(ExitProcedure.household_id).where(
        ExitProcedure.deleted_at.is_(None), ExitProcedure.finished_on.is_(None))))
    head = (select(Member.name).where(Member.household_id == Household.id, Member.relation == "户主",
                                      Member.deleted_at.is_(None)).limit(1).scalar_subquery())
    rows = session.execute(select(Household.id, Household.number, head, Household.status).where(
        Household.deleted_at.is_(None), Household.status.in_(PROPOSABLE)).order_by(Household.number))
    return [ProposableRow(i, n, h or "", st) for i, n, h, st in rows if i not in open_ids]
