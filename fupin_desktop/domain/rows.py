"""Plain rows handed by services to the CLI, the GUI and reports (never ORM objects)."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fupin_desktop.domain.clock import CHINA


@dataclass(frozen=True)
class Changes:
    """What a mutation changed, so each view can decide whether to refresh."""

    households: bool = False
    members: bool = False
    village: bool = False
    cadres: bool = False
    reference: bool = False


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
class Page:
    rows: list[HouseholdRow]
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
