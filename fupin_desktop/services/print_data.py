"""The rows every printout needs, read from the database (reports/ renders them, never a session).

THE ONE PLACE that connects the features' data to the printouts; each section says which service
feeds it, and returns None where a household has no such record (documents then say so plainly):

- N+2 plans and measures (issue 4)  → `_card_measure`, `_plan_history`, `_plan_counts` (services/plans.py)
- visits (issue 5)                  → `_visits`, `visit_log` (services/visits.py)
- problem ledger (issue 5)          → `_problems`, `problem_ledger` (services/ledger.py)
- policies received (issue 9)       → `_policies`, `_village_policies` (services/benefits.py)
- notices 公示 (issue 9)            → `_notices` (services/notices.py)
- projects and funds (issue 9)      → `_projects` (services/projects.py)
- 五最低 register                   → `monitoring_data` (services/monitoring.py `five_lowest`)

Everything else (households, members, incomes, cadres, reference names) is register data.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import (
    AssistancePlan,
    Cadre,
    Cause,
    County,
    Household,
    HouseholdAttribute,
    HouseholdIncome,
    Member,
    Township,
    VillagerGroup,
)
from fupin_desktop.db.query import live
from fupin_desktop.domain import clock, idcard
from fupin_desktop.domain.accounts import sees_full_id_numbers
from fupin_desktop.domain.plan_rules import CREDIT_CODES
from fupin_desktop.domain.print_rows import (
    BenefitLine,
    BoardData,
    BoardHousehold,
    CardData,
    CardIncome,
    CardMeasure,
    CheckRow,
    ContactRow,
    CountRow,
    DocInfo,
    DossierData,
    ExitSheet,
    ExitStepLine,
    HouseholdSheet,
    IncomeSummary,
    IncomeYear,
    ListDocument,
    LoanLine,
    MonitoringData,
    NoticeLine,
    PersonRow,
    PlanYear,
    ProblemRow,
    ProjectLine,
    SummaryData,
    VillageExitSheet,
    VisitLine,
    measure_status,
)
from fupin_desktop.domain.registers import loan_due
from fupin_desktop.domain.rows import IncomeRow
from fupin_desktop.domain.vocab import (
    HOUSEHOLD_STATUSES,
    HOUSING_SAFE,
    LABOUR_ABILITIES,
    REGISTERED_STATUSES,
    RELATION_HEAD,
    WATER_INDICATORS,
)
from fupin_desktop.errors import NotFoundError
from fupin_desktop.services import plans
from fupin_desktop.services.cadres import cadre_photos
from fupin_desktop.services.households import full_number
from fupin_desktop.services.lines import lines_by_year, poverty_line
from fupin_desktop.services.loans import outstanding_by_household
from fupin_desktop.services.monitoring import five_lowest
from fupin_desktop.services.village import current_village

# Households that get a card unless the caller picks others: 建档立卡 plus the monitored ones.
CARD_STATUSES = (*REGISTERED_STATUSES, "监测户", "边缘户")
TEAM_ROLES = ("第一书记", "工作队员", "村党支部书记")
# National numbers (the county's own 扶贫 hotline is local knowledge, not in the seeds).
HOTLINES = (("扶贫监督举报电话", "12317"), ("农村饮水服务电话", "12314"))


@dataclass(frozen=True)
class Selection:
    """Which households a batch prints (None/empty: every household with a card status)."""

    numbers: tuple[str, ...] = ()
    group: str | None = None
    status: str | None = None
    attribute: str | None = None  # a household attribute code (低保户 households)
    everyone: bool = False  # all live households, 一般农户 included


def doc_info(session: Session, *, today: date | None = None) -> DocInfo:
    v = current_village(session)
    township = session.get(Township, v.township_id)
    county = session.get(County, township.county_id) if township else None
    name = "".join(x.name for x in (county, township, v) if x is not None)
    return DocInfo(village=name, village_code=v.code, printed_on=today or clock.today())


# -- the register -------------------------------------------------------------------------------------

class _Register:
    """Reference names, cadres and groups, read once for a batch."""

    def __init__(self, session: Session, today: date) -> None:
        self.session = session
        self.village = current_village(session)
        self.causes = dict(session.execute(select(Cause.code, Cause.name).where(live(Cause))).all())
        self.attributes = dict(session.execute(
            select(HouseholdAttribute.code, HouseholdAttribute.name).where(live(HouseholdAttribute))).all())
        self.groups = dict(session.execute(select(VillagerGroup.id, VillagerGroup.name).where(
            VillagerGroup.village_id == self.village.id, live(VillagerGroup))).all())
        cadres = session.scalars(select(Cadre).where(Cadre.village_id == self.village.id)).all()
        self.cadres = {c.id: _contact(c) for c in cadres}
        order = {role: i for i, role in enumerate(TEAM_ROLES)}
        serving = sorted((c for c in cadres if c.deleted_at is None and c.role in order
                       and (c.ended_on is None or c.ended_on >= today)),  # not those who have left
                      key=lambda c: (order[c.role], c.started_on or date.min))
        self.team_ids = tuple(c.id for c in serving)
        self.team = tuple(_contact(c) for c in serving)

    def team_with_photos(self) -> tuple[ContactRow, ...]:
        """The team with each one's photo (the 明白栏 prints them; read only for it)."""
        photos = cadre_photos(self.session, self.team_ids)
        return tuple(replace(c, photo=_file_bytes(photos[cid].path) if cid in photos else None)
                     for c, cid in zip(self.team, self.team_ids, strict=True))

    def sheets(self, households: list[Household], today: date) -> list[HouseholdSheet]:
        ids = [h.id for h in households]
        members: dict[uuid.UUID, list[Member]] = defaultdict(list)
        for chunk in _chunks(ids):
            for m in self.session.scalars(select(Member).where(Member.household_id.in_(chunk), live(Member))):
                members[m.household_id].append(m)
        return [self.sheet(h, members[h.id], today) for h in households]

    def sheet(self, h: Household, members: list[Member], today: date) -> HouseholdSheet:
        people = sorted(members, key=lambda m: (m.relation != RELATION_HEAD, m.birth_date))
        head = next((m.name for m in people if m.relation == RELATION_HEAD), "（无户主）")
        return HouseholdSheet(
            number=h.number, head=head, status=h.status, group=self.groups.get(h.group_id) if h.group_id else None,
            address=h.address, phone=h.phone,
            attributes=tuple(self.attributes.get(a, a) for a in h.attributes),
            identified_year=h.identified_year, exit_year=h.exit_year,
            main_cause=self.causes.get(h.main_cause, h.main_cause) if h.main_cause else None,
            secondary_causes=tuple(self.causes.get(c, c) for c in h.secondary_causes),
            housing_safety=h.housing_safety, water=_water(h),
            helper=self.cadres.get(h.helper_id) if h.helper_id else None,
            members=tuple(_person(m, today) for m in people),
        )


def _chunks(ids: list[uuid.UUID], size: int = 500) -> Iterable[list[uuid.UUID]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _contact(c: Cadre) -> ContactRow:
    return ContactRow(role=c.role, name=c.name, unit=c.unit, position=c.position, phone=c.phone)


def _water(h: Household) -> str | None:
    values = {label: getattr(h, column) for column, label in WATER_INDICATORS.items()}
    if all(v is None for v in values.values()):
        return None
    bad = [label for label, v in values.items() if v is False]
    unknown = [label for label, v in values.items() if v is None]
    if bad:
        return "、".join(bad) + "不达标"
    return "达标" if not unknown else "、".join(unknown) + "未核查"


def _person(m: Member, today: date) -> PersonRow:
    disability = f"{m.disability_category or ''}{m.disability_grade or ''}" or None
    employment = m.employment_status
    if employment and m.employment_place:
        employment += f"（{m.employment_place}）"
    return PersonRow(
        name=m.name, relation=m.relation, sex=m.sex, age=idcard.age_on(m.birth_date, today), id_number=m.id_number,
        labour_ability=m.labour_ability, health=m.health, disability=disability, schooling=m.schooling_stage,
        employment=None if m.employment_status == "公益性岗位" and m.public_welfare_post else employment,
        welfare_post=m.public_welfare_post, dibao=m.dibao, tekun=m.tekun, medical_insurance=m.medical_insurance,
        pension_insurance=m.pension_insurance,
    )


def _households(session: Session, reg: _Register, selection: Selection) -> list[Household]:
    stmt = select(Household).where(Household.village_id == reg.village.id, live(Household))
    if selection.numbers:  # whole numbers or their last digits, as on the card
        selection = replace(selection, numbers=tuple(full_number(session, n) for n in selection.numbers))
        stmt = stmt.where(Household.number.in_(selection.numbers))
    elif not selection.everyone and not selection.status:
        stmt = stmt.where(Household.status.in_(CARD_STATUSES))
    if selection.status:
        stmt = stmt.where(Household.status == selection.status)
    if selection.attribute:
        stmt = stmt.where(cast(Household.attributes, String).like(f'%"{selection.attribute}"%'))
    if selection.group:
        group_id = next((gid for gid, name in reg.groups.items() if name == selection.group), None)
        if group_id is None:
            raise NotFoundError(f"村民组“{selection.group}”不存在")
        stmt = stmt.where(Household.group_id == group_id)
    found = list(session.scalars(stmt.order_by(Household.number)))
    if selection.numbers:
        missing = sorted(set(selection.numbers) - {h.number for h in found})
        if missing:
            raise NotFoundError(f"找不到户编号为 {'、'.join(missing)} 的农户")
    return found


def _one(session: Session, reg: _Register, number: str) -> Household:
    return _households(session, reg, Selection(numbers=(number,)))[0]


# -- sections kept by other features (see the module docstring) ------------------------------------

def _card_measure(m: plans.CardMeasureRow, plan_status: str | None, today: date) -> CardMeasure:
    # the person alone keeps the narrow column to one line; the unit stands in when no person is named
    return CardMeasure(target=m.member_name or "全户", family=m.family, type=m.type_name, content=m.target or "",
                       responsible=m.responsible_person or m.responsible_unit, deadline=m.deadline,
                       amount_fen=m.amount_fen, status=measure_status(m.completed_on, m.deadline, plan_status, today),
                       loan=m.type_code in CREDIT_CODES)


def _plan_statuses(session: Session, household_ids: list[uuid.UUID], year: int) -> dict[uuid.UUID, str]:
    out: dict[uuid.UUID, str] = {}
    for chunk in _chunks(household_ids):
        out.update(session.execute(select(AssistancePlan.household_id, AssistancePlan.status).where(
            AssistancePlan.household_id.in_(chunk), AssistancePlan.year == year,
            live(AssistancePlan))).all())
    return out


def _plan_errors(session: Session, household_ids: list[uuid.UUID], year: int) -> dict[uuid.UUID, tuple[str, ...]]:
    """The N+2 rule errors of each household's plan of `year` (plan sheets, printed a few at a time)."""
    out = {}
    for hid in household_ids:
        plan_id = plans.find_plan(session, hid, year)
        if plan_id is not None:
            out[hid] = tuple(f.message for f in plans.get_plan(session, plan_id).errors)
    return out


def _plan_history(session: Session, household_id: uuid.UUID, today: date) -> tuple[PlanYear, ...] | None:
    """Every year's plan of the household, oldest first (issue 4). None: the household never had one."""
    years = session.execute(select(AssistancePlan.year, AssistancePlan.status).where(
        AssistancePlan.household_id == household_id, live(AssistancePlan))
        .order_by(AssistancePlan.year)).all()
    if not years:
        return None
    return tuple(PlanYear(year, status, tuple(_card_measure(m, status, today)
                                              for m in plans.plan_for_card(session, household_id, year)))
                 for year, status in years)


def _plan_counts(session: Session, year: int) -> tuple[CountRow, ...] | None:
    """Households that need a plan (or have one) by the plan's status for the summary (issue 4)."""
    households: Counter[str] = Counter()
    members: Counter[str] = Counter()
    for row in plans.plan_overview(session, year):
        households[row.status] += 1
        members[row.status] += row.members
    return tuple(CountRow(status, n, members[status]) for status, n in households.items()) or None


def _policies(session: Session, household_id: uuid.UUID, year: int) -> tuple[BenefitLine, ...] | None:
    """Policies the household received in `year` with amounts (issue 9: services/benefits.py)."""
    from fupin_desktop.services.benefits import household_policies

    return tuple(map(_benefit_line, household_policies(session, household_id, year)))


def _policies_of(session: Session, household_ids: list[uuid.UUID],
                 year: int) -> dict[uuid.UUID, tuple[BenefitLine, ...]]:
    """`_policies` of many households, 500 to a query."""
    from fupin_desktop.services.benefits import list_benefits

    out: dict[uuid.UUID, list[BenefitLine]] = {}
    for chunk in _chunks(household_ids):
        for b in list_benefits(session, year=year, household_ids=chunk):
            out.setdefault(b.household_id, []).append(_benefit_line(b))
    return {hid: tuple(rows) for hid, rows in out.items()}


def _benefit_line(b) -> BenefitLine:
    return BenefitLine(b.policy_name, b.member_name or "全户", b.amount_fen, b.paid_on,
                     "；".join(filter(None, (b.period_text, b.payer))))


def _village_policies(session: Session, year: int) -> tuple[BenefitLine, ...] | None:
    """Policies for the notice board, totals per policy: how many households, how much (issue 9)."""
    from fupin_desktop.services.benefits import list_benefits, list_policies

    totals: dict[str, int] = defaultdict(int)
    households: dict[str, set[uuid.UUID]] = defaultdict(set)
    for b in list_benefits(session, year=year):
        totals[b.policy_name] += b.amount_fen
        households[b.policy_name].add(b.household_id)
    order = [p.name for p in list_policies(session)]
    names = sorted(totals, key=lambda n: order.index(n) if n in order else len(order))
    return tuple(BenefitLine(n, f"{len(households[n])}户", totals[n]) for n in names)


def _visits(session: Session, household_id: uuid.UUID) -> tuple[VisitLine, ...] | None:
    """Visits to the household, newest first, with photo thumbnails (issue 5: services/visits.py)."""
    from fupin_desktop.services.households import get_household
    from fupin_desktop.services.visits import household_visits

    h = get_household(session, household_id)
    head = next((m.name for m in h.members if m.relation == RELATION_HEAD), "")
    return tuple(VisitLine(v.visited_on, f"{h.number} {head}".strip(), "、".join(v.visitors), v.visit_type, v.findings,
                          "、".join(v.ledger_numbers) or None, _thumbnails(v.thumbnails))
                 for v in household_visits(session, household_id))


def _file_bytes(path: Path) -> bytes | None:
    """A stored file's bytes; None when it is not on disk (a photo may have come by sync without its file)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def _thumbnails(paths: Iterable[Path]) -> tuple[bytes, ...]:
    """The thumbnails that are on disk (a photo may have come by sync without its file)."""
    out = []
    for path in paths:
        try:
            out.append(path.read_bytes())
        except OSError:
            continue
    return tuple(out)


def _problems(session: Session, household_id: uuid.UUID | None) -> tuple[ProblemRow, ...] | None:
    """Problem-ledger entries of a household, or all (issue 5: services/ledger.py)."""
    from fupin_desktop.services.ledger import LedgerQuery, list_ledger

    rows = list_ledger(session, LedgerQuery(household_id=household_id, limit=100_000))
    return tuple(ProblemRow(r.received_on, r.source, f"{r.number} {r.description}", r.household, r.responsible,
                            r.measure, r.deadline, r.status, r.closed_on) for r in rows)


def _notices(session: Session, household_id: uuid.UUID | None) -> tuple[NoticeLine, ...] | None:
    """公示 that list the household, or the village's notices up now (issue 9: services/notices.py)."""
    from fupin_desktop.services.notices import get_notice, household_notices, list_notices

    if household_id is not None:
        return tuple(NoticeLine(f"{kind}：{title}", posted_on, taken_down_on)
                     for kind, title, posted_on, taken_down_on in household_notices(session, household_id))
    return tuple(NoticeLine(f"{n.kind}：{n.title}", n.posted_on, n.taken_down_on,
                            get_notice(session, n.id).current.body) for n in list_notices(session, posted_only=True))


def _projects(session: Session, year: int) -> tuple[ProjectLine, ...] | None:
    """Projects of the year and any not yet accepted, with budget and spending (issue 9)."""
    from fupin_desktop.services.projects import get_project, list_projects

    rows = []
    for p in list_projects(session):
        if p.year != year and p.status == "已验收":
            continue
        sources = "、".join(b.source for b in get_project(session, p.id).budget)
        rows.append(ProjectLine(f"{p.year} {p.name}", sources, p.budget_fen, p.status,
                               f"受益{p.beneficiaries}户；已支出{p.spent_fen / 1_000_000:,.2f}万元"))
    return tuple(rows)


def _visit_rows(session: Session, start: date, end: date) -> tuple[VisitLine, ...] | None:
    """All visits between two dates (issue 5: services/visits.py)."""
    from fupin_desktop.services.visits import visit_log_rows

    return tuple(VisitLine(v.visited_on, v.household, "、".join(v.visitors), v.visit_type, v.findings,
                          "、".join(v.ledger_numbers) or None, _thumbnails(v.thumbnails))
                 for v in visit_log_rows(session, start, end))


# -- documents -------------------------------------------------------------------------------------

def card_data(session: Session, number: str, *, year: int | None = None, today: date | None = None,
              checks: bool = False) -> CardData:
    return cards_data(session, Selection(numbers=(number,)), year=year, today=today, checks=checks)[0]


def cards_data(session: Session, selection: Selection = Selection(), *, year: int | None = None,  # noqa: B008
               today: date | None = None, checks: bool = False) -> list[CardData]:
    """明白卡 rows of the selected households (numbers in order), in a few queries per 500 households.

    `checks`: also run the N+2 rules on each plan (the plan sheet marks a plan that fails them).
    """
    today = today or clock.today()
    year = year or today.year
    info = doc_info(session, today=today)
    reg = _Register(session, today)
    households = _households(session, reg, selection)
    ids = [h.id for h in households]
    measures = plans.plans_for_cards(session, ids, year)  # a batch in a few queries, not several per card
    statuses = _plan_statuses(session, ids, year)
    errors = _plan_errors(session, list(statuses), year) if checks else {}
    policies = _policies_of(session, ids, year)
    loans = {hid: tuple(LoanLine(r.form.borrower, r.form.bank, r.form.amount_fen, r.form.lent_on, loan_due(r.form),
                                 r.form.rate_bp, r.form.subsidy_bp) for r in rows)
             for hid, rows in outstanding_by_household(session, ids).items()}
    incomes = _card_incomes(session, ids, year)
    return [CardData(info=info, household=sheet, year=year,
                     measures=tuple(_card_measure(m, statuses.get(h.id), today) for m in measures[h.id])
                     if h.id in measures else None,
                     policies=policies.get(h.id, ()), team=reg.team, hotlines=HOTLINES, loans=loans.get(h.id, ()),
                     incomes=incomes.get(h.id, ()), plan_status=statuses.get(h.id), plan_errors=errors.get(h.id, ()))
            for h, sheet in zip(households, reg.sheets(households, today), strict=True)]


def _card_incomes(session: Session, ids: list[uuid.UUID], year: int) -> dict[uuid.UUID, tuple[CardIncome, ...]]:
    """Last year's and this year's surveyed income of each household against the village's line (a
    line carried forward from the latest year configured; rows the benefits made are no survey)."""
    from fupin_desktop.services.benefits import AUTO_INCOME_NOTE

    lines = _lines(session)
    years = (year - 1, year)
    found: dict[uuid.UUID, dict[int, IncomeRow]] = defaultdict(dict)
    for chunk in _chunks(ids):
        for i in session.scalars(select(HouseholdIncome).where(
                HouseholdIncome.household_id.in_(chunk), HouseholdIncome.year.in_(years), live(HouseholdIncome),
                HouseholdIncome.note.is_distinct_from(AUTO_INCOME_NOTE))):
            found[i.household_id][i.year] = IncomeRow(i.year, i.persons, i.wage_fen, i.operating_fen,
                                                      i.property_fen, i.transfer_fen, i.expense_fen)
    line_years = {y: max((k for k in lines if k <= y), default=None) for y in years}

    def one(y: int, r: IncomeRow | None) -> CardIncome:
        ly = line_years[y]
        line = lines[ly] if ly is not None else None
        if r is None or not r.persons:
            return CardIncome(y, None, None, None, line, ly)
        return CardIncome(y, r.persons, r.net_fen, r.per_capita_fen, line, ly)

    return {hid: tuple(one(y, found.get(hid, {}).get(y)) for y in years) for hid in ids}


def dossier_data(session: Session, number: str, *, mask_ids: bool = True, today: date | None = None) -> DossierData:
    today = today or clock.today()
    mask_ids = mask_ids or not sees_full_id_numbers(session.info.get("user"))  # a 只读 account never gets them
    reg = _Register(session, today)
    h = _one(session, reg, number)
    sheet = reg.sheets([h], today)[0]
    return DossierData(
        info=doc_info(session, today=today), household=sheet, incomes=_incomes(session, h.id),
        plans=_plan_history(session, h.id, today), policies=_policies(session, h.id, today.year),
        visits=_visits(session, h.id), problems=_problems(session, h.id), notices=_notices(session, h.id),
        mask_ids=mask_ids,
    )


def _lines(session: Session) -> dict[int, int]:
    """The village's poverty line by year (fen): the most specific place covering it, each year."""
    return lines_by_year(session)


def _line_for(lines: dict[int, int], year: int) -> int | None:
    """The line of `year`, or of the latest earlier year that has one."""
    known = [y for y in lines if y <= year]
    return lines[max(known)] if known else None


def _incomes(session: Session, household_id: uuid.UUID) -> tuple[IncomeYear, ...]:
    lines = _lines(session)
    rows = session.scalars(select(HouseholdIncome).where(HouseholdIncome.household_id == household_id,
                                                         live(HouseholdIncome)).order_by(HouseholdIncome.year))
    return tuple(IncomeYear(i.year, i.persons, i.wage_fen, i.operating_fen, i.property_fen, i.transfer_fen,
                            i.expense_fen, _line_for(lines, i.year)) for i in rows)


def board_data(session: Session, *, year: int | None = None, today: date | None = None,
               household_ids: list[uuid.UUID] | None = None, show_attributes: bool | None = None) -> BoardData:
    """明白栏: the team, the registered and monitored households (or those given) with their measures and
    what they received, and the village notices. `show_attributes`: print 户属性 (default: the village's
    setting, off unless chosen; see services/board.board_shows_attributes)."""
    from fupin_desktop.services.board import board_shows_attributes

    today = today or clock.today()
    year = year or today.year
    reg = _Register(session, today)
    households = _households(session, reg, Selection())
    if household_ids is not None:
        wanted = set(household_ids)
        households = [h for h in households if h.id in wanted]
    sheets = reg.sheets(households, today)
    ids = [h.id for h in households]
    measures = plans.plans_for_cards(session, ids, year)
    statuses = _plan_statuses(session, ids, year)
    received = {hid: sum(p.amount_fen or 0 for p in rows) for hid, rows in _policies_of(session, ids, year).items()}
    rows = tuple(BoardHousehold(
        number=s.number, head=s.head, members=len(s.members), status=s.status, attributes=s.attributes,
        main_cause=s.main_cause, helper=s.helper.name if s.helper else None,
        helper_phone=s.helper.phone if s.helper else None,
        measures=tuple(_card_measure(m, statuses.get(h.id), today) for m in measures[h.id]) if h.id in measures
        else None, group=s.group, policies_fen=received.get(h.id))
        for h, s in zip(households, sheets, strict=True))
    show = board_shows_attributes(session) if show_attributes is None else show_attributes
    return BoardData(info=doc_info(session, today=today), year=year, team=reg.team_with_photos(), households=rows,
                     policies=_village_policies(session, year), notices=_notices(session, None),
                     projects=_projects(session, year), hotlines=HOTLINES, show_attributes=show)


def summary_data(session: Session, *, year: int | None = None, today: date | None = None) -> SummaryData:
    """Village statistics from the register: counts, causes, labour, incomes and the exit checklist."""
    today = today or clock.today()
    year = year or today.year
    reg = _Register(session, today)
    households = _households(session, reg, Selection(everyone=True))
    sheets = reg.sheets(households, today)
    by_status = {s: [0, 0] for s in HOUSEHOLD_STATUSES}
    groups: dict[str, list[int]] = {name: [0, 0, 0, 0] for name in reg.groups.values()}
    causes: dict[str, int] = defaultdict(int)
    labour: dict[str, int] = defaultdict(int)
    registered = []
    for h, s in zip(households, sheets, strict=True):
        by_status.setdefault(h.status, [0, 0])
        by_status[h.status][0] += 1
        by_status[h.status][1] += len(s.members)
        g = groups.setdefault(s.group or "未分组", [0, 0, 0, 0])
        g[0] += 1
        g[1] += len(s.members)
        g[2] += h.status in REGISTERED_STATUSES
        g[3] += h.status in ("监测户", "边缘户")
        if h.status in REGISTERED_STATUSES:
            registered.append((h, s))
            causes[s.main_cause or "未填写"] += 1
            for m in s.members:
                labour[m.labour_ability or "未填写"] += 1
    order = {name: i for i, name in enumerate(LABOUR_ABILITIES)}
    return SummaryData(
        info=doc_info(session, today=today), year=year, households=len(households),
        members=sum(len(s.members) for s in sheets),
        by_status=tuple(CountRow(k, v[0], v[1]) for k, v in by_status.items()),
        by_group=tuple((name, v[0], v[1], v[2], v[3]) for name, v in groups.items() if v[0]),
        causes=tuple(CountRow(k, v) for k, v in sorted(causes.items(), key=lambda kv: -kv[1])),
        labour=tuple(CountRow(k, v) for k, v in sorted(labour.items(), key=lambda kv: order.get(kv[0], 99))),
        incomes=_income_summary(session, [h.id for h, _s in registered]),
        checklist=_checklist(session, registered, year),
        plans=_plan_counts(session, year),
    )


def _income_summary(session: Session, ids: list[uuid.UUID]) -> tuple[IncomeSummary, ...]:
    lines = _lines(session)
    per_year: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(ids):
        for i in session.scalars(select(HouseholdIncome).where(HouseholdIncome.household_id.in_(chunk),
                                                               live(HouseholdIncome))):
            r = IncomeRow(i.year, i.persons, i.wage_fen, i.operating_fen, i.property_fen, i.transfer_fen,
                          i.expense_fen)
            per_year[i.year].append(r.per_capita_fen)
    out = []
    for y in sorted(per_year):
        values = per_year[y]
        line = _line_for(lines, y)
        out.append(IncomeSummary(y, len(values), sum(values) // len(values),
                                 None if line is None else sum(v < line for v in values), line))
    return tuple(out)


def _checklist(session: Session, registered: list[tuple[Household, HouseholdSheet]], year: int) -> tuple[CheckRow, ...]:
    """两不愁三保障 and income for the registered households, from what the register holds."""
    def count(test) -> tuple[int, int, int]:
        met = not_met = unknown = 0
        for h, s in registered:
            result = test(h, s)
            met += result is True
            not_met += result is False
            unknown += result is None
        return met, not_met, unknown

    def housing(h: Household, _s: HouseholdSheet) -> bool | None:
        if h.housing_safety in (None, "未鉴定"):
            return None
        return h.housing_safety in HOUSING_SAFE

    def water(h: Household, _s: HouseholdSheet) -> bool | None:
        values = [getattr(h, c) for c in WATER_INDICATORS]
        return False if False in values else (None if None in values else True)

    def insured(_h: Household, s: HouseholdSheet) -> bool:
        return all(m.medical_insurance for m in s.members)

    def school(_h: Household, s: HouseholdSheet) -> bool:
        return not any(m.schooling == "辍学" for m in s.members)

    lines = _lines(session)
    last_year = year - 1
    incomes = {}
    ids = [h.id for h, _s in registered]
    for chunk in _chunks(ids):
        for i in session.scalars(select(HouseholdIncome).where(HouseholdIncome.household_id.in_(chunk),
                                                               HouseholdIncome.year == last_year,
                                                               live(HouseholdIncome))):
            incomes[i.household_id] = IncomeRow(i.year, i.persons, i.wage_fen, i.operating_fen, i.property_fen,
                                                i.transfer_fen, i.expense_fen).per_capita_fen
    line = _line_for(lines, last_year)

    def income(h: Household, _s: HouseholdSheet) -> bool | None:
        value = incomes.get(h.id)
        return None if value is None or line is None else value >= line

    return (
        CheckRow("住房安全有保障", *count(housing), "鉴定安全、改造安全或保障安全"),
        CheckRow("饮水安全有保障", *count(water), "水质、水量、方便程度、供水保证率均达标"),
        CheckRow("基本医疗有保障", *count(insured), "家庭成员全部参加基本医疗保险"),
        CheckRow("义务教育有保障", *count(school), "无辍学学生"),
        CheckRow(f"{last_year}年人均纯收入高于扶贫标准", *count(income),
                 f"扶贫标准 {line // 100 if line else '未知'} 元"),
    )


def monitoring_data(session: Session, *, year: int | None = None, today: date | None = None) -> MonitoringData:
    """五最低 as the screen shows it: services.monitoring.five_lowest, the one computation."""
    today = today or clock.today()
    year = year if year is not None else today.year - 1
    return MonitoringData(info=doc_info(session, today=today), year=year,
                          groups=tuple(five_lowest(session, year, today=today)))


def visit_log(session: Session, start: date, end: date, *, today: date | None = None) -> ListDocument:
    rows = _visit_rows(session, start, end)
    return ListDocument(info=doc_info(session, today=today), title="走访记录",
                        period=f"{start.isoformat()} 至 {end.isoformat()}", rows=rows)


def problem_ledger(session: Session, *, today: date | None = None) -> ListDocument:
    return ListDocument(info=doc_info(session, today=today), title="问题整改台账", period="",
                        rows=_problems(session, None))


# -- exits ------------------------------------------------------------------------------------------

def exit_sheet_data(session: Session, number: str, *, year: int | None = None,
                    today: date | None = None) -> ExitSheet:
    """The household's 退出确认表 for its exit procedure of `year` (default: the latest)."""
    from fupin_desktop.domain.exit_rules import EXIT_STEPS
    from fupin_desktop.services import exits
    from fupin_desktop.services.households import household_by_number

    today = today or clock.today()
    hid = household_by_number(session, number)
    p = exits.procedure_for(session, hid, year)
    h = session.get_one(Household, hid)
    # the procedure was opened only after the team verified 不愁吃穿 in the household (propose_exit)
    checks = exits.exit_check(session, hid, p.year, food_clothing_ok=True, today=today)
    done = {s.step: s for s in p.steps}
    persons = session.scalar(select(func.count()).select_from(Member).where(Member.household_id == hid,
                                                                            live(Member))) or 0
    group = session.get(VillagerGroup, h.group_id) if h.group_id else None
    c = p.confirmation
    per_capita = None
    hi = session.scalar(select(HouseholdIncome).where(HouseholdIncome.household_id == hid,
                                                      HouseholdIncome.year == p.year, live(HouseholdIncome)))
    if hi is not None and hi.persons:
        per_capita = IncomeRow(hi.year, hi.persons, hi.wage_fen, hi.operating_fen, hi.property_fen, hi.transfer_fen,
                               hi.expense_fen).per_capita_fen
    return ExitSheet(
        info=doc_info(session, today=today), number=h.number, head=p.head_name, group=group.name if group else None,
        persons=persons, year=p.year, proposed_on=p.proposed_on, line_fen=poverty_line(session, p.year, h.village_id),
        per_capita_fen=per_capita, checks=tuple((i.name, i.state, i.detail) for i in checks),
        steps=tuple(ExitStepLine(s, done[s].done_on if s in done else None,
                                 done[s].participants if s in done else None,
                                 done[s].minutes if s in done else None) for s in EXIT_STEPS),
        government_on=c.government_on, government_by=c.government_by, household_on=c.household_on,
        household_signer=c.household_signer, sign_method=c.sign_method)


def village_exit_data(session: Session, *, year: int | None = None, today: date | None = None) -> VillageExitSheet:
    from fupin_desktop.services import exits

    today = today or clock.today()
    v = exits.village_exit(session, year or today.year, today=today)
    return VillageExitSheet(
        info=doc_info(session, today=today), year=v.year, poor_households=v.poor_households,
        poor_persons=v.poor_persons, population=v.population, population_source=v.population_source,
        incidence_percent=v.incidence_percent, collective_income_fen=v.collective_income_fen,
        items=tuple((i.item, i.state, i.evidence or "", i.checked_on, i.note or "") for i in v.items),
        ready=v.ready, gaps=v.gaps, watch=v.watch)
