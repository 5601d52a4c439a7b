"""防返贫监测: thresholds of the village, screening every household, the risk cases with their
decisions, and the per-村民组 register of the five lowest per-capita incomes (荥阳 practice).
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from fupin_desktop.db.models import (
    Cause,
    Household,
    HouseholdIncome,
    Member,
    MonitoringSettings,
    RiskCase,
    VillagerGroup,
)
from fupin_desktop.db.query import get_live, live
from fupin_desktop.domain import clock, idcard
from fupin_desktop.domain import monitoring as rules
from fupin_desktop.domain.monitoring import GroupRegister, LowIncomeRow, Signals, Thresholds
from fupin_desktop.errors import FieldError, ValidationError
from fupin_desktop.services.due import DueItem, due_source
from fupin_desktop.services.lines import poverty_line
from fupin_desktop.services.village import current_village

_THRESHOLD_FIELDS = ("income_ratio_percent", "medical_spending_fen", "flag_disability", "flag_disaster",
                     "flag_job_loss")


@dataclass(frozen=True)
class Candidate:
    household_id: uuid.UUID
    household_number: str
    head_name: str
    group: str
    status: str  # household status
    per_capita_income_fen: int | None
    reasons: tuple[str, ...]
    suggested_category: str


@dataclass(frozen=True)
class RiskRow:
    id: uuid.UUID
    household_id: uuid.UUID
    household_number: str
    head_name: str
    group: str
    year: int
    found_on: date
    reasons: tuple[str, ...]
    status: str
    category: str | None
    screened_on: date | None
    decided_on: date | None
    decided_by: str | None
    note: str | None


@dataclass(frozen=True)
class MonitorReport:
    year: int
    thresholds: Thresholds
    line_fen: int | None
    monitoring_line_fen: int | None
    candidates: list[Candidate]  # screened now, with no open or confirmed case yet
    cases: list[RiskRow]


# -- thresholds ---------------------------------------------------------------------------------

def get_thresholds(session: Session) -> Thresholds:
    row = session.scalar(select(MonitoringSettings).where(live(MonitoringSettings)))
    return Thresholds(**{f: getattr(row, f) for f in _THRESHOLD_FIELDS}) if row else Thresholds()


def save_thresholds(session: Session, t: Thresholds) -> None:
    problems = t.check()
    if problems:
        raise ValidationError([FieldError("thresholds", p) for p in problems])
    village = current_village(session)
    row = session.scalar(select(MonitoringSettings).where(MonitoringSettings.village_id == village.id,
                                                          live(MonitoringSettings)))
    if row is None:
        row = MonitoringSettings(village_id=village.id)
        session.add(row)
    for f in _THRESHOLD_FIELDS:
        if getattr(row, f) != getattr(t, f):
            setattr(row, f, getattr(t, f))


# -- screening ----------------------------------------------------------------------------------

@dataclass
class _Register:
    """The whole register as Core rows keyed by the ids' stored hex text (cheap at 50,000 households)."""

    households: dict[str, Any]  # id, number, group_id, status, attributes, main_cause
    heads: dict[str, str]
    groups: dict[str | None, str]
    members: dict[str, list[tuple]]  # (age, labour, employment, schooling, disability_grade)
    income: dict[str, tuple[int, int]]  # per capita fen, persons (for the year)


def _hex(column):
    return type_coerce(column, String)


def _register(session: Session, year: int, today: date) -> _Register:
    households = {h.id: h for h in session.execute(select(
        _hex(Household.id).label("id"), Household.number, _hex(Household.group_id).label("group_id"),
        Household.status, Household.attributes, Household.main_cause).where(live(Household)))}
    groups = {k: v for k, v in session.execute(select(_hex(VillagerGroup.id), VillagerGroup.name))}
    heads: dict[str, str] = {}
    members: dict[str, list[tuple]] = defaultdict(list)
    on = min(today, date(year, 12, 31))
    for hid, name, relation, birth, labour, job, school, grade in session.execute(select(
            _hex(Member.household_id), Member.name, Member.relation, Member.birth_date, Member.labour_ability,
            Member.employment_status, Member.schooling_stage, Member.disability_grade).where(
            live(Member))):
        members[hid].append((idcard.age_on(birth, on), labour, job, school, grade))
        if relation == "户主":
            heads[hid] = name
    income = {}
    for hid, persons, w, o, p, t, e in session.execute(select(
            _hex(HouseholdIncome.household_id), HouseholdIncome.persons, HouseholdIncome.wage_fen,
            HouseholdIncome.operating_fen, HouseholdIncome.property_fen, HouseholdIncome.transfer_fen,
            HouseholdIncome.expense_fen).where(HouseholdIncome.year == year, live(HouseholdIncome))):
        if persons:
            net = w + o + p + t - e
            income[hid] = ((2 * net + persons) // (2 * persons), persons)
    return _Register(households, heads, groups, members, income)


def _signals(reg: _Register, h: Any, line: int | None, medical: int | None) -> Signals:
    people = reg.members.get(h.id, [])
    on_floor = bool({"dibao", "tekun"} & set(h.attributes or ()))
    labour = [p for p in people if p[1] in ("有劳动能力", "弱劳动力或半劳动力") and 16 <= p[0] <= 60 and not p[3]]
    working = [p for p in people if p[2] and p[2] != "未就业"]
    return Signals(
        per_capita_income_fen=reg.income.get(h.id, (None, 0))[0], line_fen=line, medical_spending_fen=medical,
        severe_disability=not on_floor and any(p[4] in ("一级", "二级") for p in people),
        disaster=h.main_cause == "04" and h.status in ("监测户", "边缘户"),
        job_loss=bool(labour) and not working)


def monitor_report(session: Session, year: int | None = None, *, today: date | None = None) -> MonitorReport:
    """Screen every household against the thresholds for `year` (default: last year, the latest full
    income year) and list the cases. Households still poor (未脱贫) are under assistance, not screened."""
    today = today or clock.today()
    year = year if year is not None else today.year - 1
    t = get_thresholds(session)
    line = poverty_line(session, year)
    reg = _register(session, year, today)
    cases = _cases(session, reg)
    active = {c.household_id.hex for c in cases if c.year == year or c.status != rules.EXCLUDED}
    medical = {c.household_id: c.medical for c in _medical(session, year)}
    candidates = []
    for h in sorted(reg.households.values(), key=lambda h: h.number):
        if h.status == "未脱贫" or h.id in active:
            continue
        reasons = rules.screen(_signals(reg, h, line, medical.get(h.id)), t)
        if reasons:
            candidates.append(Candidate(
                uuid.UUID(hex=h.id), h.number, reg.heads.get(h.id, ""), reg.groups.get(h.group_id, ""), h.status,
                reg.income.get(h.id, (None, 0))[0], tuple(reasons),
                rules.CATEGORIES[0] if h.status.startswith("已脱贫") else rules.CATEGORIES[1]))
    return MonitorReport(year, t, line, rules.monitoring_line(line, t) if line is not None else None, candidates,
                         cases)


@dataclass(frozen=True)
class _Medical:
    household_id: str
    medical: int


def _medical(session: Session, year: int) -> list[_Medical]:
    rows = session.execute(select(_hex(RiskCase.household_id), RiskCase.medical_spending_fen).where(
        RiskCase.year == year, live(RiskCase), RiskCase.medical_spending_fen.is_not(None)))
    return [_Medical(h, m) for h, m in rows]


def _cases(session: Session, reg: _Register) -> list[RiskRow]:
    out = []
    for c in session.scalars(select(RiskCase).where(live(RiskCase))
                             .order_by(RiskCase.found_on.desc(), RiskCase.created_at)):
        h = reg.households.get(c.household_id.hex)
        if h is None:
            continue
        out.append(RiskRow(c.id, c.household_id, h.number, reg.heads.get(h.id, ""), reg.groups.get(h.group_id, ""),
                           c.year,
                           c.found_on, tuple(c.reasons or ()), c.status, c.category, c.screened_on, c.decided_on,
                           c.decided_by, c.note))
    return out


def register_candidates(session: Session, year: int | None = None, *, today: date | None = None) -> int:
    """Open a 疑似 case for every screened candidate; returns how many were opened."""
    today = today or clock.today()
    report = monitor_report(session, year, today=today)
    for c in report.candidates:
        session.add(RiskCase(household_id=c.household_id, year=report.year, found_on=today, reasons=list(c.reasons),
                             status=rules.SUSPECTED))
    session.flush()
    return len(report.candidates)


def open_case(session: Session, household_id: uuid.UUID, reasons: list[str], *, year: int | None = None,
              medical_spending_fen: int | None = None, note: str | None = None, today: date | None = None) -> uuid.UUID:
    """Report a household by hand (a visit found an illness, a flood, a lost job)."""
    today = today or clock.today()
    h = get_live(session, Household, household_id)
    bad = [r for r in reasons if r not in rules.REASONS]
    errors = [FieldError("reasons", f"风险原因“{r}”不在可选范围内（{'、'.join(rules.REASONS)}）") for r in bad]
    if not reasons:
        errors.append(FieldError("reasons", "请至少选择一项风险原因"))
    if medical_spending_fen is not None and not 0 <= medical_spending_fen <= 100_000_000:
        errors.append(FieldError("medical_spending", "医疗支出金额不合理"))
    if errors:
        raise ValidationError(errors)
    row = RiskCase(household_id=h.id, year=year or today.year, found_on=today, reasons=list(reasons),
                   medical_spending_fen=medical_spending_fen, status=rules.SUSPECTED, note=note)
    session.add(row)
    session.flush()
    return row.id


def advance_case(session: Session, case_id: uuid.UUID, to: str, *, decided_by: str | None = None,
                 category: str | None = None, note: str | None = None, today: date | None = None) -> None:
    """Move a case on: 疑似 → 甄别中 → 确认/排除 (疑似 may be 排除 at once). Confirming a case marks
    the household 监测户 (脱贫不稳定户) or 边缘户 (边缘易致贫户) when it is an ordinary or exited one."""
    today = today or clock.today()
    c = get_live(session, RiskCase, case_id)
    problems = rules.check_transition(c.status, to, category=category, decided_by=decided_by)
    if problems:
        raise ValidationError([FieldError("status", p) for p in problems])
    c.status = to
    if to == rules.SCREENING:
        c.screened_on = today
    else:
        c.decided_on, c.decided_by = today, (decided_by or "").strip()
        if to == rules.CONFIRMED:
            c.category = category
            h = session.get(Household, c.household_id)
            if h is not None and h.status in ("一般农户", "已脱贫(享受政策)", "已脱贫(不享受政策)", "边缘户"):
                attr = "buwending" if category == rules.CATEGORIES[0] else "bianyuan"
                h.status = "监测户" if category == rules.CATEGORIES[0] else "边缘户"
                if attr not in h.attributes:
                    h.attributes = sorted({*h.attributes, attr})
    if note:
        c.note = ((c.note + "；") if c.note else "") + note.strip()


def five_lowest(session: Session, year: int | None = None, *, today: date | None = None,
                size: int = rules.FIVE_LOWEST) -> list[GroupRegister]:
    """THE 五最低 register, shown, printed (print_data.monitoring_data) and listed (fupin monitor):
    per 村民组, the `size` households with the lowest 人均纯收入 of `year` (default: last year), that is
    the year's net income ÷ the persons of that year's income record (计算人口) — not today's members,
    who may have changed since. Ties: `rules.lowest`. Households of a deleted group are 未分组."""
    today = today or clock.today()
    year = year if year is not None else today.year - 1
    reg = _register(session, year, today)
    causes = dict(session.execute(select(Cause.code, Cause.name).where(live(Cause))).all())
    groups = session.execute(select(_hex(VillagerGroup.id), VillagerGroup.name)
                             .where(live(VillagerGroup))
                             .order_by(VillagerGroup.sort_order, VillagerGroup.name)).all()
    by_group: dict[str | None, list[Any]] = defaultdict(list)
    live_groups = {gid for gid, _name in groups}
    for h in reg.households.values():
        by_group[h.group_id if h.group_id in live_groups else None].append(h)
    out = []
    for gid, name in [*groups, (None, "未分组")]:
        households = by_group[gid]
        if gid is None and not households:
            continue
        ranked = rules.lowest([(reg.income[h.id][0], h.number, h) for h in households if h.id in reg.income], size)
        rows = tuple(LowIncomeRow(rank, uuid.UUID(hex=h.id), h.number, reg.heads.get(h.id, ""), h.status,
                                  causes.get(h.main_cause, h.main_cause) if h.main_cause else None,
                                  reg.income[h.id][1], reg.income[h.id][0]) for rank, h in ranked)
        out.append(GroupRegister(name, rows, sum(h.id not in reg.income for h in households)))
    return out


@due_source
def _open_cases(session: Session, today: date) -> list[DueItem]:
    """Suspected and screening cases wait for the 两委 to decide."""
    rows = session.execute(select(RiskCase.status, RiskCase.found_on).join(Household).where(
        live(RiskCase), live(Household),
        RiskCase.status.in_(rules.OPEN_STATUSES))).all()
    if not rows:
        return []
    oldest = min(r.found_on for r in rows)
    return [DueItem("防返贫监测", f"{len(rows)}户疑似风险待甄别、确认（两委会议固定议题）", count=len(rows),
                    due=date.fromordinal(oldest.toordinal() + 15))]
