"""The plain rows every printout is rendered from: services/print_data.py fills them, reports/ renders them.

A section whose data the program does not keep yet is None: the document then says so in words
("本年度帮扶计划尚未录入") instead of printing an empty table that looks like "nothing was done".
An empty tuple means "kept, and there is none".
Money is integer fen; ID numbers arrive in full and the documents mask them (idcard.mask).
A `…Line` is what one printed line says (text composed for paper); the list rows of the same
things on screen (`services.visits.VisitRow` …) carry ids and stay in their services.
"""

from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.monitoring import GroupRegister
from fupin_desktop.domain.rows import IncomeRow


@dataclass(frozen=True)
class DocInfo:
    """What every page header and footer names."""

    village: str  # 荥阳市汜水镇新沟村
    village_code: str
    printed_on: date


@dataclass(frozen=True)
class ContactRow:
    role: str  # 第一书记 / 工作队员 / 帮扶责任人 …
    name: str
    unit: str | None = None
    position: str | None = None
    phone: str | None = None
    photo: bytes | None = None  # a JPEG/PNG for the notice board, when one is kept


@dataclass(frozen=True)
class PersonRow:
    name: str
    relation: str
    sex: str
    age: int
    id_number: str  # full; masked on paper
    labour_ability: str | None = None
    health: str | None = None
    disability: str | None = None  # 肢体二级
    schooling: str | None = None
    employment: str | None = None  # 外出务工（郑州）
    welfare_post: str | None = None
    dibao: bool = False
    tekun: bool = False
    medical_insurance: bool = True
    pension_insurance: bool = False


@dataclass(frozen=True)
class HouseholdSheet:
    """The household as every document describing it shows it."""

    number: str
    head: str
    status: str
    group: str | None
    address: str | None
    phone: str | None
    attributes: tuple[str, ...]  # names, e.g. 低保户
    identified_year: int | None
    exit_year: int | None
    main_cause: str | None  # name, e.g. 因病
    secondary_causes: tuple[str, ...]
    housing_safety: str | None
    water: str | None  # 达标 / 水量不达标 … / None unchecked
    helper: ContactRow | None
    members: tuple[PersonRow, ...]


@dataclass(frozen=True)
class CardMeasure:
    """One N+2 measure as the card and plan sheet print it."""

    target: str  # 全户 or a member's name
    family: str  # 转 / 扶 / 搬 / 保 / 救
    type: str  # 产业奖补 …
    content: str
    responsible: str | None
    deadline: date | None
    amount_fen: int | None
    status: str | None = None  # 落实中 / 已完成 / 逾期 / 待审核 (measure_status)
    loan: bool = False  # 扶贫小额信贷: its amount is a principal to repay, never added to what was received


# What a plan's measure is called on paper. A plan not yet approved is a proposal: nothing of it is
# "being carried out" (a household must not sign a draft believing it is in force).
MEASURE_DONE, MEASURE_ONGOING, MEASURE_OVERDUE, MEASURE_PENDING = "已完成", "落实中", "逾期", "待审核"
UNAPPROVED_PLAN = ("草稿", "已提交")


def measure_status(completed_on: date | None, deadline: date | None, plan_status: str | None, today: date) -> str:
    if completed_on is not None:
        return MEASURE_DONE
    if plan_status in UNAPPROVED_PLAN:
        return MEASURE_PENDING
    return MEASURE_OVERDUE if deadline is not None and deadline < today else MEASURE_ONGOING


def unit_and_post(unit: str | None, position: str | None) -> str:
    """新沟村党支部 + 党支部书记 → 新沟村党支部书记: the unit and the post, their overlap said once."""
    unit, position = unit or "", position or ""
    for k in range(min(len(unit), len(position)), 0, -1):
        if unit.endswith(position[:k]):
            return unit + position[k:]
    return unit + position


@dataclass(frozen=True)
class PlanYear:
    year: int
    status: str | None
    measures: tuple[CardMeasure, ...]


@dataclass(frozen=True)
class BenefitLine:
    name: str  # 教育资助 / 医保代缴 / 低保 …
    beneficiary: str  # 全户 or a member
    amount_fen: int | None
    received_on: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class VisitLine:
    visited_on: date
    household: str  # 0012 张三
    visitor: str
    kind: str  # 入户走访 / 电话回访 …
    summary: str
    problems: str | None = None
    photos: tuple[bytes, ...] = ()  # thumbnails (JPEG/PNG bytes)


@dataclass(frozen=True)
class ProblemRow:
    found_on: date | None
    source: str  # 省考核 / 自查 …
    description: str
    household: str | None
    responsible: str | None
    measure: str | None
    deadline: date | None
    status: str  # 未整改 / 整改中 / 销号
    closed_on: date | None = None


@dataclass(frozen=True)
class NoticeLine:
    title: str
    posted_on: date | None
    taken_down_on: date | None
    content: str | None = None


@dataclass(frozen=True)
class ProjectLine:
    name: str
    funds_source: str | None
    amount_fen: int | None
    status: str | None
    beneficiaries: str | None = None  # 受益户数 / 带动人数 as text


@dataclass(frozen=True)
class IncomeYear(IncomeRow):
    """A year's income (net and per capita as the register computes them) beside that year's line."""

    line_fen: int | None = None  # the poverty line of that year, when known


@dataclass(frozen=True)
class LoanLine:
    """An outstanding 扶贫小额信贷 loan: money owed, not a benefit received (only the 贴息 is one)."""

    borrower: str
    bank: str
    amount_fen: int
    lent_on: date
    due_on: date
    rate_bp: int
    subsidy_bp: int


@dataclass(frozen=True)
class CardIncome:
    """One year of the household's income against the poverty line that applies to its village."""

    year: int
    persons: int | None  # None: not surveyed that year
    net_fen: int | None
    per_capita_fen: int | None
    line_fen: int | None  # None: no line configured up to that year
    line_year: int | None = None  # the year of that line (an earlier one when the year has none yet)


@dataclass(frozen=True)
class CardData:
    """明白卡 (and the N+2 plan sheet) of one household for one year."""

    info: DocInfo
    household: HouseholdSheet
    year: int
    measures: tuple[CardMeasure, ...] | None
    policies: tuple[BenefitLine, ...] | None
    team: tuple[ContactRow, ...]
    hotlines: tuple[tuple[str, str], ...]
    loans: tuple[LoanLine, ...] = ()  # printed apart from the policies
    incomes: tuple[CardIncome, ...] = ()  # last year, then this year
    plan_status: str | None = None  # 草稿 / 已提交 / 已审核 / 执行中 / 已完结; None: no plan
    plan_errors: tuple[str, ...] = ()  # the N+2 rule errors of the plan (plan sheets: checked when printed)


@dataclass(frozen=True)
class DossierData:
    """一户一档: everything kept about one household."""

    info: DocInfo
    household: HouseholdSheet
    incomes: tuple[IncomeYear, ...]
    plans: tuple[PlanYear, ...] | None
    policies: tuple[BenefitLine, ...] | None
    visits: tuple[VisitLine, ...] | None
    problems: tuple[ProblemRow, ...] | None
    notices: tuple[NoticeLine, ...] | None
    mask_ids: bool = True


@dataclass(frozen=True)
class BoardHousehold:
    number: str
    head: str
    members: int
    status: str
    attributes: tuple[str, ...]  # printed only when BoardData.show_attributes (sensitive on a public board)
    main_cause: str | None
    helper: str | None
    helper_phone: str | None
    measures: tuple[CardMeasure, ...] | None
    group: str | None = None
    policies_fen: int | None = None  # what the household received this year, None: nothing recorded


@dataclass(frozen=True)
class BoardData:
    """明白栏: the village notice board."""

    info: DocInfo
    year: int
    team: tuple[ContactRow, ...]
    households: tuple[BoardHousehold, ...]
    policies: tuple[BenefitLine, ...] | None
    notices: tuple[NoticeLine, ...] | None
    projects: tuple[ProjectLine, ...] | None
    hotlines: tuple[tuple[str, str], ...]
    show_attributes: bool = False  # 户属性 (残疾人家庭, 低保户, 特困 …) only when the village chose to


@dataclass(frozen=True)
class CountRow:
    label: str
    households: int
    members: int = 0


@dataclass(frozen=True)
class IncomeSummary:
    year: int
    households: int  # with a figure that year
    average_per_capita_fen: int
    below_line: int | None  # households under the line, None when the line is unknown
    line_fen: int | None


@dataclass(frozen=True)
class CheckRow:
    """One item of the exit checklist (两不愁三保障 and income): how many registered households meet it."""

    item: str
    met: int
    not_met: int
    unknown: int
    note: str = ""


@dataclass(frozen=True)
class SummaryData:
    info: DocInfo
    year: int
    households: int
    members: int
    by_status: tuple[CountRow, ...]
    by_group: tuple[tuple[str, int, int, int, int], ...]  # group, households, members, registered, monitored
    causes: tuple[CountRow, ...]  # registered households by main cause
    labour: tuple[CountRow, ...]  # registered members by labour ability (households column = persons)
    incomes: tuple[IncomeSummary, ...]
    checklist: tuple[CheckRow, ...]
    plans: tuple[CountRow, ...] | None  # plan status counts, None until plans are kept


@dataclass(frozen=True)
class MonitoringData:
    """五最低 register: the lowest per-capita incomes of each 村民组 (services.monitoring.five_lowest)."""

    info: DocInfo
    year: int
    groups: tuple[GroupRegister, ...]


@dataclass(frozen=True)
class ListDocument:
    """A period's visit log or the problem ledger (rows None: not kept yet)."""

    info: DocInfo
    title: str
    period: str  # "2026-01-01 至 2026-06-30" or ""
    rows: tuple | None = ()  # VisitLine or ProblemRow rows; None when not kept


@dataclass(frozen=True)
class ExitStepLine:
    step: str  # 统计摸底 …
    done_on: date | None  # None: not yet
    participants: str | None
    minutes: str | None


@dataclass(frozen=True)
class ExitSheet:
    """贫困户退出确认表: the exit test, the five steps and the 双认定 with room to sign."""

    info: DocInfo
    number: str
    head: str
    group: str | None
    persons: int
    year: int
    proposed_on: date
    line_fen: int | None
    per_capita_fen: int | None
    checks: tuple[tuple[str, str, str], ...]  # item, 达标/未达标/待核实, detail
    steps: tuple[ExitStepLine, ...]
    government_on: date | None
    government_by: str | None
    household_on: date | None
    household_signer: str | None
    sign_method: str | None


@dataclass(frozen=True)
class VillageExitSheet:
    """贫困村退出核查表: 贫困发生率 and each checklist item with its evidence."""

    info: DocInfo
    year: int
    poor_households: int
    poor_persons: int
    population: int
    population_source: str
    incidence_percent: float | None
    collective_income_fen: int | None
    items: tuple[tuple[str, str, str, date | None, str], ...]  # item, state, evidence, checked on, note
    ready: bool
    gaps: tuple[str, ...]
    watch: tuple[str, ...]
