"""Plain rows handed by services to the CLI, the GUI and reports (never ORM objects)."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from fupin_desktop.domain.clock import CHINA

R = TypeVar("R")

# The tables (db/models) behind each kind of view; a view declares the ones it shows and refreshes
# when a write touched any of them. tests/db/test_changes.py keeps every synced table in one group.
HOUSEHOLDS = frozenset({"household", "member", "household_income"})
VILLAGE = frozenset({"county", "township", "village", "villager_group", "village_income"})
CADRES = frozenset({"cadre"})
VISITS = frozenset({"visit", "visit_visitor", "visit_measure", "visit_rule", "attachment", "attachment_link"})
PLANS = frozenset({"assistance_plan", "plan_measure", "plan_measure_progress", "monitoring_settings",
                   "risk_case", "exit_procedure", "exit_step"})
REGISTERS = frozenset({"village_exit_item", "relocation", "micro_loan"})
NOTICES = frozenset({"notice", "notice_version", "notice_item", "notice_objection", "benefit", "board_posting"})
PROJECTS = frozenset({"project", "project_fund", "project_step", "project_spending", "project_beneficiary",
                      "asset", "collective_income"})
LEDGER = frozenset({"ledger_item", "presence_day", "leave_record"})
REFERENCE = frozenset({"ref_cause", "ref_household_attribute", "ref_measure_type", "ref_poverty_line",
                       "ref_assistance_standard", "ref_policy"})
ALL_TABLES = HOUSEHOLDS | VILLAGE | CADRES | VISITS | PLANS | REGISTERS | NOTICES | PROJECTS | LEDGER | REFERENCE


@dataclass(frozen=True)
class Changes:
    """What writes changed: the tables their change log touched (collected by `Database.transaction`),
    so each view can decide whether to refresh."""

    tables: frozenset[str] = frozenset()

    def touches(self, tables: Iterable[str]) -> bool:
        return not self.tables.isdisjoint(tables)

    def __bool__(self) -> bool:
        return bool(self.tables)

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(self.tables | other.tables)

    households = property(lambda self: self.touches(HOUSEHOLDS))
    members = property(lambda self: "member" in self.tables)
    village = property(lambda self: self.touches(VILLAGE))
    cadres = property(lambda self: self.touches(CADRES))
    visits = property(lambda self: self.touches(VISITS))
    plans = property(lambda self: self.touches(PLANS))
    registers = property(lambda self: self.touches(REGISTERS))
    notices = property(lambda self: self.touches(NOTICES))
    projects = property(lambda self: self.touches(PROJECTS))
    ledger = property(lambda self: self.touches(LEDGER))
    reference = property(lambda self: self.touches(REFERENCE))


@dataclass(frozen=True)
class HouseholdRow:
    id: uuid.UUID
    number: str
    head_name: str
    head_id_number: str
    group: str
    status: str
    members: int
    attributes: tuple[str, ...]
    main_cause: str | None
    phone: str | None
    helper: str | None
    matched: str | None = None  # the member the search text found, when it is not the head


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of a long list (households, visits), and how many rows the whole list has."""

    rows: list[R]
    total: int


@dataclass(frozen=True)
class MemberRow:
    id: uuid.UUID
    name: str
    id_number: str
    relation: str
    sex: str
    birth_date: date
    age: int
    labour_ability: str | None
    health: str | None
    disability_category: str | None
    disability_grade: str | None
    schooling_stage: str | None
    employment_status: str | None
    employment_place: str | None
    public_welfare_post: str | None
    medical_insurance: bool
    pension_insurance: bool
    dibao: bool
    tekun: bool
    left_behind: bool
    note: str | None


@dataclass(frozen=True)
class IncomeRow:
    year: int
    persons: int
    wage_fen: int
    operating_fen: int
    property_fen: int
    transfer_fen: int
    expense_fen: int

    @property
    def net_fen(self) -> int:
        return self.wage_fen + self.operating_fen + self.property_fen + self.transfer_fen - self.expense_fen

    @property
    def per_capita_fen(self) -> int:
        """人均纯收入 in fen, rounded half up."""
        return (2 * self.net_fen + self.persons) // (2 * self.persons) if self.persons else 0


@dataclass(frozen=True)
class HouseholdDetail:
    id: uuid.UUID
    number: str
    status: str
    group: str | None
    address: str | None
    phone: str | None
    attributes: tuple[str, ...]
    identified_year: int | None
    exit_year: int | None
    main_cause: str | None
    secondary_causes: tuple[str, ...]
    helper: str | None
    housing_safety: str | None
    housing_checked_on: date | None
    water: dict[str, bool | None]
    water_checked_on: date | None
    note: str | None
    members: list[MemberRow]
    incomes: list[IncomeRow]
    deleted: bool


@dataclass(frozen=True)
class FieldChange:
    """One field of a change: its Chinese label and the values before and after, as display text.

    `old`/`new` are None when the field was empty. `old_known` is False when the change log holds
    nothing earlier about the field (a row that came without its insert, e.g. from an old import).
    """

    field: str
    label: str
    old: str | None
    new: str | None
    old_known: bool = True


@dataclass(frozen=True)
class HistoryRow:
    """One change-log entry about a record, for the history view."""

    at: datetime  # UTC; `local_at` is what people read
    actor: str
    table: str
    op: str  # insert / update / delete / restore
    fields: dict[str, Any] = field(default_factory=dict)  # column → new value, as logged
    record: str = ""  # 户 / 成员 张三 / 收入 2023年
    row_id: uuid.UUID | None = None
    changes: tuple[FieldChange, ...] = ()

    @property
    def local_at(self) -> datetime:
        """The time in China (UTC+8), whatever the PC's time zone."""
        return self.at.astimezone(CHINA)
