"""退出程序: check a household against the exit standard, propose it, record the five steps
统计摸底 → 民主评议 → 核实认可 → 公告公示 → 脱贫销号 and the 双认定 that 销号 needs; the village's
贫困发生率 judged with its exit checklist, and the watch on a village that has exited.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import (
    ExitProcedure,
    ExitStep,
    Household,
    HouseholdIncome,
    Member,
    VillageExitItem,
    VillageIncome,
)
from fupin_desktop.db.query import get_live, live
from fupin_desktop.domain import clock, idcard
from fupin_desktop.domain import exit_rules as rules
from fupin_desktop.domain import registers as reg
from fupin_desktop.domain.exit_rules import CheckItem, Confirmation, ExitFacts, ExitMember, StepRecord
from fupin_desktop.errors import FieldError, NotFoundError, ValidationError
from fupin_desktop.services.due import DueItem, due_source
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
    confirmation: Confirmation

    @property
    def confirmed(self) -> bool:
        """双认定 complete: both sides recorded."""
        return self.confirmation.government_on is not None and self.confirmation.household_on is not None


@dataclass(frozen=True)
class VillageItemRow:
    item: str
    state: str  # 达标 / 未达标 / 待核实 (待核实 when never recorded)
    evidence: str | None
    checked_on: date | None
    note: str | None


@dataclass(frozen=True)
class VillageExit:
    year: int
    poor_households: int
    poor_persons: int
    population: int
    population_source: str  # 村情登记的总人口 / 本库登记的人数
    incidence_percent: float | None
    meets_incidence: bool | None
    items: tuple[VillageItemRow, ...]  # the checklist of domain.registers.VILLAGE_ITEMS for the year
    exit_year: int | None  # the year the village exited, if it has
    collective_income_fen: int | None  # 村集体经济收入 of the year, when recorded
    ready: bool  # rate below 2 % and every item met
    gaps: tuple[str, ...]
    watch: tuple[str, ...]  # an exited village back above 2 % or with a gap: the fix list



def exit_check(session: Session, household_id: uuid.UUID, year: int, *, food_clothing_ok: bool | None = None,
               today: date | None = None) -> list[CheckItem]:
    """The household against 一超过、两不愁、三保障 + 饮水 for `year` (income of that year).

    `food_clothing_ok`: 不愁吃、不愁穿 as the team found it in the household (None: not yet verified).
    """
    today = today or clock.today()
    h = get_live(session, Household, household_id)
    on = min(today, date(year, 12, 31))
    members = session.scalars(select(Member).where(Member.household_id == h.id, live(Member))).all()
    income = session.scalar(select(HouseholdIncome).where(
        HouseholdIncome.household_id == h.id, HouseholdIncome.year == year, live(HouseholdIncome)))
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
    h = get_live(session, Household, household_id)
    if h.status not in PROPOSABLE:
        raise ValidationError([FieldError("status", f"户状态为“{h.status}”，只有{'、'.join(PROPOSABLE)}可以拟退出")])
    existing = session.scalar(select(ExitProcedure.id).where(
        ExitProcedure.household_id == h.id, ExitProcedure.year == year, live(ExitProcedure)))
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
    p = get_live(session, ExitProcedure, procedure_id)
    done = [StepRecord(s.step, s.done_on) for s in _steps(session, p.id)]
    problems = rules.check_step(done, step, done_on, participants)
    if done_on > clock.today():
        problems.append("日期不能晚于今天")
    if done_on < p.proposed_on:
        problems.append(f"日期不能早于拟退出日期{p.proposed_on:%Y-%m-%d}")
    if step == rules.EXIT_STEPS[-1]:
        problems += rules.missing_confirmation(_confirmation(p), done_on)
    if problems:
        raise ValidationError([FieldError("step", x) for x in problems])
    session.add(ExitStep(procedure_id=p.id, step=step, done_on=done_on, participants=participants.strip(),
                         minutes=(minutes or "").strip() or None, objections=(objections or "").strip() or None,
                         attachments=list(attachments or [])))
    if step == rules.EXIT_STEPS[-1]:
        p.finished_on = done_on
        h = get_live(session, Household, p.household_id)
        h.status = "已脱贫(享受政策)"
        h.exit_year = p.year


def _confirmation(p: ExitProcedure) -> Confirmation:
    return Confirmation(p.government_confirmed_on, p.government_confirmed_by, p.household_confirmed_on,
                        p.household_signer, p.household_sign_method)



def confirm_by_government(session: Session, procedure_id: uuid.UUID, on: date, by: str, *,
                          today: date | None = None) -> None:
    """双认定, the government side: the township (or whoever signs for it) confirms the exit."""
    p = get_live(session, ExitProcedure, procedure_id)
    problems = rules.check_government(on, by, proposed_on=p.proposed_on, today=today or clock.today())
    if problems:
        raise ValidationError([FieldError("government", x) for x in problems])
    p.government_confirmed_on, p.government_confirmed_by = on, by.strip()


def confirm_by_household(session: Session, procedure_id: uuid.UUID, on: date, signer: str, method: str, *,
                         today: date | None = None) -> None:
    """双认定, the household side: a member signed or pressed a thumbprint on the printed exit sheet."""
    p = get_live(session, ExitProcedure, procedure_id)
    members = list(session.scalars(select(Member.name).where(Member.household_id == p.household_id,
                                                             live(Member))))
    problems = rules.check_household_confirmation(on, signer, method, members, proposed_on=p.proposed_on,
                                                  today=today or clock.today())
    if problems:
        raise ValidationError([FieldError("household", x) for x in problems])
    p.household_confirmed_on, p.household_signer, p.household_sign_method = on, signer.strip(), method


def procedure_for(session: Session, household_id: uuid.UUID, year: int | None = None) -> ProcedureRow:
    """The household's exit procedure of `year` (default: its latest)."""
    rows = [r for r in list_procedures(session, household_id=household_id) if year is None or r.year == year]
    if not rows:
        raise NotFoundError("该户没有" + (f"{year}年的" if year else "") + "退出程序，请先拟退出")
    return max(rows, key=lambda r: r.year)


def _steps(session: Session, procedure_id: uuid.UUID) -> list[ExitStep]:
    rows = session.scalars(select(ExitStep).where(ExitStep.procedure_id == procedure_id,
                                                  live(ExitStep))).all()
    return sorted(rows, key=lambda s: rules.EXIT_STEPS.index(s.step))


def list_procedures(session: Session, *, household_id: uuid.UUID | None = None) -> list[ProcedureRow]:
    out = []
    wanted = [live(ExitProcedure)]
    if household_id is not None:
        wanted.append(ExitProcedure.household_id == household_id)
    for p in session.scalars(select(ExitProcedure).where(*wanted).order_by(ExitProcedure.proposed_on.desc())):
        h = session.get(Household, p.household_id)
        head = session.scalar(select(Member.name).where(Member.household_id == p.household_id,
                                                        Member.relation == "户主", live(Member)))
        steps = _steps(session, p.id)
        out.append(ProcedureRow(
            p.id, p.household_id, h.number if h else "", head or "", p.year, p.proposed_on, p.finished_on,
            tuple(StepRow(s.step, s.done_on, s.participants, s.minutes, s.objections, tuple(s.attachments or ()))
                  for s in steps),
            rules.next_step([StepRecord(s.step, s.done_on) for s in steps]), _confirmation(p)))
    return out


def village_exit(session: Session, year: int | None = None, *, today: date | None = None) -> VillageExit:
    """The village exit check of `year`: 贫困发生率 = persons of 未脱贫 households ÷ population × 100
    (domain.md §4.3; the population is the village profile's 总人口 when set, else the persons registered
    in this database), judged with every checklist item (通硬化路, 通客车 …) as recorded for the year."""
    today = today or clock.today()
    year = year or today.year
    village = current_village(session)
    poor = session.execute(select(func.count(func.distinct(Household.id)), func.count(Member.id))
                           .join(Member, Member.household_id == Household.id)
                           .where(live(Household), live(Member),
                                  Household.status == "未脱贫")).one()
    population = village.population_total
    source = "村情登记的总人口"
    if not population:
        population = session.scalar(select(func.count()).select_from(Member).join(Household).where(
            live(Member), live(Household))) or 0
        source = "本库登记的人数"
    rate = rules.incidence(poor[1], population)
    recorded = {r.item: r for r in session.scalars(select(VillageExitItem).where(
        VillageExitItem.village_id == village.id, VillageExitItem.year == year, live(VillageExitItem)))}
    items = tuple(VillageItemRow(i, r.state, r.evidence, r.checked_on, r.note) if (r := recorded.get(i)) else
                  VillageItemRow(i, reg.UNVERIFIED, None, None, None) for i in reg.VILLAGE_ITEMS)
    income = session.scalar(select(VillageIncome.amount_fen).where(
        VillageIncome.village_id == village.id, VillageIncome.year == year, live(VillageIncome)))
    verdict = reg.judge_village(rate, {i.item: i.state for i in items}, village.exit_year, year)
    return VillageExit(year, poor[0], poor[1], population, source, rate,
                       None if rate is None else rate < reg.INCIDENCE_LIMIT, items, village.exit_year, income,
                       verdict.ready, verdict.gaps, verdict.watch)


def set_village_item(session: Session, year: int, item: str, state: str, *, evidence: str | None = None,
                     checked_on: date | None = None, note: str | None = None, today: date | None = None) -> None:
    """Record one checklist item of the village for `year`: 达标 needs the evidence and the date checked."""
    today = today or clock.today()
    problems = []
    if item not in reg.VILLAGE_ITEMS:
        problems.append(FieldError("item", f"“{item}”不是贫困村退出核查项目；项目有：{'、'.join(reg.VILLAGE_ITEMS)}"))
    if state not in reg.ITEM_STATES:
        problems.append(FieldError("state", f"状态应为：{'、'.join(reg.ITEM_STATES)}"))
    evidence = (evidence or "").strip() or None
    if state == reg.MET and (evidence is None or checked_on is None):
        problems.append(FieldError("evidence", f"“{item}”标为达标须写明依据（验收文件、照片等）和核查日期"))
    if checked_on is not None and checked_on > today:
        problems.append(FieldError("checked_on", "核查日期不能晚于今天"))
    if not 2000 <= year <= today.year + 1:
        problems.append(FieldError("year", f"年度{year}不合理"))
    if problems:
        raise ValidationError(problems)
    village = current_village(session)
    row = session.scalar(select(VillageExitItem).where(
        VillageExitItem.village_id == village.id, VillageExitItem.year == year, VillageExitItem.item == item,
        live(VillageExitItem)))
    if row is None:
        row = VillageExitItem(village_id=village.id, year=year, item=item, state=state)
        session.add(row)
    row.state, row.evidence, row.checked_on, row.note = state, evidence, checked_on, (note or "").strip() or None


@due_source
def _village_watch(session: Session, today: date) -> list[DueItem]:
    """「已退出但贫困发生率高于2%或基础设施、公共服务设施有缺项的村，列出清单，逐一完善」 [003]."""
    try:
        village = current_village(session)
    except NotFoundError:
        return []
    if village.exit_year is None:
        return []
    return [DueItem("贫困村退出", f"{line}，须列入清单逐一完善")
            for line in village_exit(session, today.year, today=today).watch]


def exits_without_confirmation(session: Session) -> list[tuple[str, int]]:
    """(household number, year) of exits closed (销号) before 双认定 was recorded: data from before it was
    required, or from another program."""
    return [(n, y) for n, y in session.execute(select(Household.number, ExitProcedure.year).join(Household).where(
        live(ExitProcedure), ExitProcedure.finished_on.is_not(None),
        (ExitProcedure.household_confirmed_on.is_(None)) | (ExitProcedure.government_confirmed_on.is_(None)))
        .order_by(Household.number))]


@dataclass(frozen=True)
class ProposableRow:
    household_id: uuid.UUID
    number: str
    head_name: str
    status: str


def proposable_households(session: Session) -> list[ProposableRow]:
    """Households that may be proposed to exit (未脱贫, 监测户) and have no open procedure."""
    open_ids = set(session.scalars(select(ExitProcedure.household_id).where(
        live(ExitProcedure), ExitProcedure.finished_on.is_(None))))
    head = (select(Member.name).where(Member.household_id == Household.id, Member.relation == "户主",
                                      live(Member)).limit(1).scalar_subquery())
    rows = session.execute(select(Household.id, Household.number, head, Household.status).where(
        live(Household), Household.status.in_(PROPOSABLE)).order_by(Household.number))
    return [ProposableRow(i, n, h or "", st) for i, n, h, st in rows if i not in open_ids]


def member_names(session: Session, household_id: uuid.UUID) -> list[str]:
    """Who may sign the household's confirmation: its live members, the head first."""
    rows = session.execute(select(Member.name, Member.relation).where(Member.household_id == household_id,
                                                                       live(Member)))
    return [n for n, _r in sorted(rows, key=lambda r: r[1] != "户主")]
