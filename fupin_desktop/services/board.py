"""明白栏 composer: what each household's board shows, the village board, and which boards are out of date.

Everything here returns plain rows for the screen and for printing (reports/ prints them):
`board_content(session, year)` (every household's board), `household_board(session, id, year)`,
`village_board(session, year)`, `board_status(session, year)`.

"Out of date" compares content, not clocks: posting a board stores what it showed and a hash of it;
a board is out of date when what it would show now differs (a policy added, a helper's phone
changed, a measure edited). Edits that the board does not show do not make it stale.

This year's measures come from the N+2 plan (another feature): it registers a function with
`@measure_provider` that is given a select of the wanted household ids and returns
{household id: [BoardMeasure]}; without one the section is empty.
"""

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, String, Table, TypeDecorator, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from fupin_desktop.db.base import Base
from fupin_desktop.db.models import (
    Benefit,
    BoardPosting,
    Cadre,
    Household,
    HouseholdIncome,
    Member,
    VillagerGroup,
)
from fupin_desktop.db.query import get_live, live
from fupin_desktop.domain import clock, idcard
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.notices import HOTLINES
from fupin_desktop.domain.rows import IncomeRow
from fupin_desktop.domain.vocab import HOUSING_SAFE, RELATION_HEAD, WATER_INDICATORS
from fupin_desktop.errors import FieldError, NotFoundError, ValidationError
from fupin_desktop.services.benefits import AUTO_INCOME_NOTE, list_benefits
from fupin_desktop.services.due import DueItem, due_source
from fupin_desktop.services.lines import applied_line
from fupin_desktop.services.notices import NoticeRow, list_notices
from fupin_desktop.services.projects import ProjectRow, collective_income_by_source, list_projects
from fupin_desktop.services.reference import attribute_names, cause_names
from fupin_desktop.services.village import current_village

TEAM_ROLES = ("第一书记", "工作队员")
VILLAGE_ROLES = ("村党支部书记", "村委会主任")
BOARD_EXCLUDED_STATUS = "一般农户"  # ordinary households get a board only when they received a policy


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    unit: str | None
    position: str | None
    phone: str | None


@dataclass(frozen=True)
class BoardMeasure:
    family: str  # 转 / 扶 / 搬 / 保 / 救
    name: str
    member: str | None  # None: a household measure
    status: str | None
    amount_fen: int | None
    on: date | None
    responsible: str | None


@dataclass(frozen=True)
class BoardPolicy:
    name: str
    member: str | None
    amount_fen: int
    period: str
    payer: str | None
    paid_on: date | None


@dataclass(frozen=True)
class Guarantee:
    item: str  # 不愁吃穿 / 义务教育 / 基本医疗 / 住房安全 / 饮水安全
    ok: bool | None  # None: not checked yet
    text: str


@dataclass(frozen=True)
class HouseholdBoard:
    household_id: uuid.UUID
    year: int
    number: str
    head_name: str
    group: str | None
    status: str
    persons: int
    attributes: tuple[str, ...]
    main_cause: str | None
    identified_year: int | None
    exit_year: int | None
    helper: Contact | None
    team: tuple[Contact, ...]
    measures: tuple[BoardMeasure, ...]
    policies: tuple[BoardPolicy, ...]
    policies_total_fen: int
    guarantees: tuple[Guarantee, ...]
    hotlines: tuple[tuple[str, str], ...]
    posted_on: date | None = None  # the last posting of this year's board
    out_of_date: bool = False  # posted, and the content changed since

    def _json(self) -> str:
        shown = {k: v for k, v in self.__dict__.items() if k not in _NOT_CONTENT}
        return json.dumps(shown, default=_plain, sort_keys=True, ensure_ascii=False)

    def content(self) -> dict[str, Any]:
        """What the sheet shows, as JSON-ready values (dates as text): what posting stores."""
        return json.loads(self._json())

    def content_hash(self) -> str:
        return hashlib.sha256(self._json().encode()).hexdigest()


_NOT_CONTENT = frozenset({"posted_on", "out_of_date", "household_id"})


def _plain(value: object) -> object:
    """JSON for the board's nested rows (dataclasses by their fields) and dates."""
    if hasattr(value, "__dataclass_fields__"):  # is_dataclass(), without its cost on 270,000 calls
        return value.__dict__
    return str(value)


class _HexId(TypeDecorator[str]):
    """An id as uuid.UUID.hex: SQLite's stored text as it is (every write goes through the Uuid type),
    a PostgreSQL uuid converted. Rows grouped by it need no uuid.UUID each: seconds on a large register."""

    impl = String
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return value if value is None or isinstance(value, str) else value.hex


def _hid(column: Any) -> ColumnElement[str]:
    """A household id column as hex text, labelled `hid`."""
    return type_coerce(column, _HexId()).label("hid")


# A select of household ids; providers filter with `.in_(households)` (no list of bound ids).
MeasureProvider = Callable[[Session, int, Select[Any]], dict[uuid.UUID, list[BoardMeasure]]]
_MEASURE_PROVIDERS: list[MeasureProvider] = []


def measure_provider(func_: MeasureProvider) -> MeasureProvider:
    """Register where this year's measures come from (the N+2 plan feature), a decorator."""
    _MEASURE_PROVIDERS.append(func_)
    return func_


def _plan_tables() -> tuple[Table, Table] | None:
    """The N+2 plan tables (assistance_plan, plan_measure) when the plan feature is installed."""
    tables = Base.metadata.tables
    if "assistance_plan" in tables and "plan_measure" in tables:
        return tables["assistance_plan"], tables["plan_measure"]
    return None


@measure_provider
def plan_measures(session: Session, year: int, households: Select[Any]) -> dict[uuid.UUID, list[BoardMeasure]]:
    """This year's measures from the N+2 plans (read through the tables, so this module does not
    depend on the plan feature's code): family, name, member, done or due, amount, responsible."""
    found = _plan_tables()
    if found is None:
        return {}
    plan, m = found
    rows = session.execute(
        select(_hid(plan.c.household_id), m.c.family, m.c.type_name, m.c.target, Member.name,
               m.c.completed_on.is_not(None), func.coalesce(m.c.completed_on, m.c.disbursed_on, m.c.deadline),
               m.c.amount_fen, m.c.responsible_person)
        .join(m, m.c.plan_id == plan.c.id)
        .outerjoin(Member, Member.id == m.c.member_id)  # the name even of a member who left since
        .where(plan.c.year == year, plan.c.household_id.in_(households), plan.c.deleted_at.is_(None),
               m.c.deleted_at.is_(None))
        .order_by(plan.c.household_id, m.c.sort_order))
    out: dict[str, list[BoardMeasure]] = {}
    for hid, family, type_name, target, member, done, on, amount_fen, responsible in rows:  # tens of thousands
        name = f"{type_name}：{target}" if target else type_name
        out.setdefault(hid, []).append(BoardMeasure(family, name, member, "已落实" if done else "落实中", amount_fen,
                                                    on, responsible))  # on: done, else paid, else due
    return {uuid.UUID(hid): measures for hid, measures in out.items()}


def _contacts(session: Session, village_id: uuid.UUID, roles: Sequence[str], today: date) -> tuple[Contact, ...]:
    cadres = session.scalars(select(Cadre).where(Cadre.village_id == village_id, Cadre.role.in_(roles), live(Cadre),
                                                 or_(Cadre.ended_on.is_(None), Cadre.ended_on >= today))).all()
    order = {r: i for i, r in enumerate(roles)}
    cadres = sorted(cadres, key=lambda c: (order[c.role], c.started_on or date.min, c.name))
    return tuple(Contact(c.role, c.name, c.unit, c.position, c.phone) for c in cadres)


def _poverty_line(session: Session, year: int, village_id: uuid.UUID) -> int | None:
    """The village's line of `year`, or of the latest earlier year configured (a board is never blank)."""
    line = applied_line(session, year, village_id, carry_forward=True)
    return None if line is None else line.amount_fen


def _guarantees(h: Row[Any], members: list[Any], income: Any, line: int | None,
                today: date) -> tuple[Guarantee, ...]:
    if income is None or income.note == AUTO_INCOME_NOTE:
        food = Guarantee("不愁吃穿", None, "尚无收入核算")
    else:
        row = IncomeRow(income.year, income.persons, income.wage_fen, income.operating_fen, income.property_fen,
                        income.transfer_fen, income.expense_fen)
        ok = None if line is None else row.per_capita_fen >= line
        food = Guarantee("不愁吃穿", ok, f"{income.year}年人均纯收入{yuan(row.per_capita_fen)}元")
    dropouts = [m.name for m in members if m.schooling_stage == "辍学" and idcard.age_on(m.birth_date, today) <= 16]
    school = Guarantee("义务教育", not dropouts, f"有辍学：{'、'.join(dropouts)}" if dropouts else "无因贫辍学")
    uninsured = [m.name for m in members if not m.medical_insurance]
    health = Guarantee("基本医疗", not uninsured,
                       f"未参保：{'、'.join(uninsured)}" if uninsured else "全家参加基本医疗保险")
    if h.housing_safety is None:
        housing = Guarantee("住房安全", None, "未鉴定")
    else:
        housing = Guarantee("住房安全", h.housing_safety in HOUSING_SAFE, h.housing_safety)
    water_values = [getattr(h, k) for k in WATER_INDICATORS]
    if any(v is False for v in water_values):
        bad = "、".join(label for k, label in WATER_INDICATORS.items() if getattr(h, k) is False)
        water = Guarantee("饮水安全", False, f"不达标：{bad}")
    elif all(v is True for v in water_values):
        water = Guarantee("饮水安全", True, "水质、水量、方便程度、供水保证率均达标")
    else:
        water = Guarantee("饮水安全", None, "未核验")
    return (food, school, health, housing, water)


def board_content(session: Session, year: int, *, household_ids: Sequence[uuid.UUID] | None = None,
                  today: date | None = None) -> list[HouseholdBoard]:
    """Every household's 明白栏 for `year`, in household-number order.

    Households with a status other than 一般农户 get a board, and any household that received a
    policy that year. Each board says when it was last posted and whether it changed since.
    """
    today = today or clock.today()
    v = current_village(session)
    wanted = _with_a_board(v.id, year)
    if household_ids is not None:
        wanted.append(Household.id.in_(household_ids))
    # The other tables are read for these households through a subquery, not a list of bound ids.
    eligible = select(Household.id).where(*wanted)
    h_ = Household
    households = session.execute(
        select(h_.id, _hid(h_.id), h_.number, h_.status, h_.attributes, h_.main_cause, h_.identified_year,
               h_.exit_year, h_.housing_safety, *(getattr(h_, k) for k in WATER_INDICATORS),
               VillagerGroup.name.label("group"), Cadre.name.label("helper"), Cadre.unit, Cadre.position,
               Cadre.phone, and_(Cadre.id.is_not(None), live(Cadre)).label("helper_shown"))
        .outerjoin(VillagerGroup, VillagerGroup.id == h_.group_id).outerjoin(Cadre, Cadre.id == h_.helper_id)
        .where(*wanted).order_by(h_.number)).all()
    members: dict[str, list[Any]] = {}
    for m in session.execute(select(_hid(Member.household_id), Member.name, Member.relation, Member.birth_date,
                                    Member.schooling_stage, Member.medical_insurance)
                             .where(Member.household_id.in_(eligible), live(Member))):
        members.setdefault(m.hid, []).append(m)
    # The latest surveyed year up to `year` (a row the benefits made, AUTO_INCOME_NOTE, is no survey:
    # without a survey the board says so whatever rows there are).
    hi, other = HouseholdIncome, aliased(HouseholdIncome)
    latest = select(func.max(other.year)).where(other.household_id == hi.household_id, _surveyed(other, year))
    incomes = {i.hid: i for i in session.execute(
        select(_hid(hi.household_id), hi.year, hi.persons, hi.wage_fen, hi.operating_fen, hi.property_fen,
               hi.transfer_fen, hi.expense_fen, hi.note)
        .where(hi.household_id.in_(eligible), _surveyed(hi, year), hi.year == latest.scalar_subquery()))}
    policies: dict[str, list[BoardPolicy]] = {}
    for b in list_benefits(session, year=year, household_ids=eligible):
        policies.setdefault(b.household_id.hex, []).append(BoardPolicy(
            b.policy_name, b.member_name, b.amount_fen, b.period_text, b.payer, b.paid_on))
    measures: dict[str, list[BoardMeasure]] = {}
    for provider in _MEASURE_PROVIDERS:
        for hid, rows in provider(session, year, eligible).items():
            measures.setdefault(hid.hex, []).extend(rows)
    postings = _latest_postings(session, year, eligible)
    team = _contacts(session, v.id, TEAM_ROLES, today)
    attrs, causes = attribute_names(session), cause_names(session)
    line = _poverty_line(session, year, v.id)
    boards = []
    for h in households:
        people = sorted(members.get(h.hid, []), key=lambda m: (m.relation != RELATION_HEAD, m.birth_date))
        board = HouseholdBoard(
            household_id=h.id, year=year, number=h.number,
            head_name=next((m.name for m in people if m.relation == RELATION_HEAD), ""),
            group=h.group, status=h.status, persons=len(people),
            attributes=tuple(attrs.get(a, a) for a in h.attributes),
            main_cause=causes.get(h.main_cause, h.main_cause) if h.main_cause else None,
            identified_year=h.identified_year, exit_year=h.exit_year,
            helper=Contact("帮扶责任人", h.helper, h.unit, h.position, h.phone) if h.helper_shown else None,
            team=team, measures=tuple(measures.get(h.hid, [])), policies=tuple(policies.get(h.hid, [])),
            policies_total_fen=sum(p.amount_fen for p in policies.get(h.hid, [])),
            guarantees=_guarantees(h, people, incomes.get(h.hid), line, today), hotlines=HOTLINES)
        posting = postings.get(h.hid)
        if posting is not None:
            board = _with_posting(board, posting)
        boards.append(board)
    return boards


def _with_a_board(village_id: uuid.UUID, year: int) -> list[ColumnElement[bool]]:
    """The households that get a board of `year`: any status but 一般农户, or a policy received that year."""
    with_benefits = select(Benefit.household_id).where(Benefit.year == year, live(Benefit))
    return [Household.village_id == village_id, live(Household),
            or_(Household.status != BOARD_EXCLUDED_STATUS, Household.id.in_(with_benefits))]


def _surveyed(income: Any, year: int) -> ColumnElement[bool]:
    """A live income row up to `year` from a survey (not one the benefits made)."""
    return and_(income.year <= year, live(income), income.note.is_distinct_from(AUTO_INCOME_NOTE))


def _with_posting(board: HouseholdBoard, posting: Any) -> HouseholdBoard:
    return replace(board, posted_on=posting.posted_on, out_of_date=posting.content_hash != board.content_hash())


def _latest_postings(session: Session, year: int, households: Sequence[uuid.UUID] | Select[Any], *,
                     content: bool = False) -> dict[str, Any]:
    """The last posting of each household's board of `year` (without the stored content unless asked),
    by household id as stored (uuid.UUID.hex). `households`: ids, or a select of them."""
    columns = [_hid(BoardPosting.household_id), BoardPosting.posted_on, BoardPosting.content_hash]
    if content:
        columns.append(BoardPosting.content)
    latest: dict[str, Any] = {}
    for p in session.execute(select(*columns).where(BoardPosting.year == year,
                                                    BoardPosting.household_id.in_(households), live(BoardPosting))
                             .order_by(BoardPosting.posted_on, BoardPosting.created_at)):
        latest[p.hid] = p
    return latest


def household_board(session: Session, household_id: uuid.UUID, year: int, *,
                    today: date | None = None) -> HouseholdBoard:
    boards = board_content(session, year, household_ids=[household_id], today=today)
    if not boards:
        h = get_live(session, Household, household_id)
        raise NotFoundError(f"{household_name(h.number)}是一般农户，{year}年没有享受政策，不需要明白栏")
    return boards[0]


def post_boards(session: Session, year: int, household_ids: Sequence[uuid.UUID], posted_on: date, *,
                today: date | None = None) -> int:
    """Record that these households' boards were posted (printed and put up) on `posted_on`;
    stores what each showed. Returns how many."""
    today = today or clock.today()
    if posted_on > today:
        raise ValidationError([FieldError("posted_on", "张贴日期不能晚于今天")])
    boards = board_content(session, year, household_ids=household_ids, today=today)
    if len(boards) < len(set(household_ids)):
        raise ValidationError([FieldError("households", "有的户已删除，或是没有享受政策的一般农户，无需张贴明白栏")])
    for board in boards:
        session.add(BoardPosting(household_id=board.household_id, year=year, posted_on=posted_on,
                                 content_hash=board.content_hash(), content=board.content()))
    session.flush()
    return len(boards)


def posted_board(session: Session, household_id: uuid.UUID, year: int) -> tuple[date, dict[str, Any]] | None:
    """The board as it was last posted: (posted on, content), or None if never posted this year."""
    posting = _latest_postings(session, year, [household_id], content=True).get(household_id.hex)
    return (posting.posted_on, posting.content) if posting else None


@dataclass(frozen=True)
class BoardStatusRow:
    household_id: uuid.UUID
    number: str
    head_name: str
    group: str | None
    helper: str | None
    posted_on: date | None
    out_of_date: bool

    @property
    def state(self) -> str:
        if self.posted_on is None:
            return "未张贴"
        return "内容已变，需重新张贴" if self.out_of_date else "已是最新"


def board_status(session: Session, year: int, *, today: date | None = None,
                 stale_only: bool = False) -> list[BoardStatusRow]:
    """Each board's posting state; `stale_only`: the ones to reprint (never posted, or changed since).

    The boards are built a batch of households at a time and only their state is kept: all of a
    50,000-household register's boards at once held 120 MB (the 首页 due list asks for this)."""
    ids = session.scalars(select(Household.id).where(*_with_a_board(current_village(session).id, year))
                          .order_by(Household.number)).all()
    rows = []
    for start in range(0, len(ids), STATUS_BATCH):
        boards = board_content(session, year, household_ids=ids[start:start + STATUS_BATCH], today=today)
        rows += [BoardStatusRow(b.household_id, b.number, b.head_name, b.group, b.helper.name if b.helper else None,
                                b.posted_on, b.out_of_date) for b in boards
                 if not stale_only or b.posted_on is None or b.out_of_date]
    return rows


STATUS_BATCH = 1000


@dataclass(frozen=True)
class VillageBoard:
    """The village 明白栏: the work team and 两委, notices up now, projects and funds, collective income."""

    year: int
    village: str
    team: tuple[Contact, ...]
    village_cadres: tuple[Contact, ...]
    notices: tuple[NoticeRow, ...]
    projects: tuple[ProjectRow, ...]
    collective_income: dict[str, int] = field(default_factory=dict)  # source → fen, this year
    hotlines: tuple[tuple[str, str], ...] = HOTLINES

    @property
    def collective_total_fen(self) -> int:
        return sum(self.collective_income.values())


def village_board(session: Session, year: int, *, today: date | None = None) -> VillageBoard:
    today = today or clock.today()
    v = current_village(session)
    projects = [p for p in list_projects(session) if p.year == year or p.status != "已验收"]
    return VillageBoard(
        year=year, village=v.name, team=_contacts(session, v.id, TEAM_ROLES, today),
        village_cadres=_contacts(session, v.id, VILLAGE_ROLES, today),
        notices=tuple(list_notices(session, posted_only=True, today=today)), projects=tuple(projects),
        collective_income=collective_income_by_source(session, year))


@due_source
def _boards_due(session: Session, today: date) -> list[DueItem]:
    """Households whose board of this year changed after posting, or was never posted."""
    try:
        rows = board_status(session, today.year, today=today, stale_only=True)
    except NotFoundError:  # no village yet
        return []
    changed = sum(r.posted_on is not None for r in rows)
    never = len(rows) - changed
    items = []
    if changed:
        items.append(DueItem("明白栏", f"{changed}户明白栏内容已变化，需重新打印张贴", count=changed))
    if never:
        items.append(DueItem("明白栏", f"{never}户{today.year}年明白栏尚未张贴", count=never))
    return items


def benefit_count(session: Session, year: int) -> int:
    return session.scalar(select(func.count()).select_from(Benefit).where(Benefit.year == year, live(Benefit))) or 0


# -- what the printed village board may show ---------------------------------------------------------

SHOW_ATTRIBUTES_KEY = "board_shows_attributes"  # local_setting: "1" prints 户属性 on the public 明白栏
SENSITIVE_NOTE = "户属性（残疾人家庭、低保户、特困供养户等）不在公开的明白栏上打印"


def board_shows_attributes(session: Session) -> bool:
    """Whether the printed 明白栏 lists each household's 户属性. Off unless set: the board is public, and
    残疾人家庭, 低保户, 特困 are sensitive (domain.md: minimise what public boards print)."""
    from fupin_desktop.db.models import LocalSetting

    row = session.get(LocalSetting, SHOW_ATTRIBUTES_KEY)
    return row is not None and row.value == "1"


def set_board_shows_attributes(session: Session, show: bool) -> None:
    from fupin_desktop.db.models import LocalSetting

    session.merge(LocalSetting(key=SHOW_ATTRIBUTES_KEY, value="1" if show else "0"))
