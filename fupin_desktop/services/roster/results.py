"""What the roster services hand back (plain dataclasses) and the errors they raise."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import FupinError


class RosterFileError(FupinError):
    """The file cannot be read as a roster: missing, locked, not xlsx, corrupt, no header."""


class RosterChangedError(FupinError):
    """The register changed between the preview and the import; nothing was imported."""


@dataclass(frozen=True)
class RowMessage:
    """A problem (or a fix made automatically) at one place in the sheet.

    Attributes:
        row: the sheet's row number as Excel shows it (0 for the file as a whole).
        column: the column's header as written in the file ("" for the whole row).
        message: what is wrong or what was done, in Chinese.
        letter: the column's letter, "F" ("" for the whole row).
        number: the 户编号 of the household the row belongs to, if known.
    """

    row: int
    column: str
    message: str
    letter: str = ""
    number: str = ""

    def where(self) -> str:
        """"第12行 F列（身份证号码）" — how a person finds the cell."""
        place = f"第{self.row}行" if self.row else "文件"
        if self.letter:
            place += f" {self.letter}列（{self.column}）"
        elif self.column:
            place += f"（{self.column}）"
        return place

    def __str__(self) -> str:
        return f"{self.where()}：{self.message}"


@dataclass(frozen=True)
class SheetColumn:
    """A column of the sheet with a header, and the field it was matched (or assigned) to."""

    index: int  # 0-based
    letter: str
    header: str  # as written in the file
    key: str | None  # a columns.Column key; None: unknown, or ignored by the mapping
    assigned: bool = False  # the mapping decided (not the synonym table)


@dataclass(frozen=True)
class RosterOptions:
    """What a person decided about a roster, beyond its columns.

    Attributes:
        defaults: column key → the value for every household whose file lacks it: "status"
            (a status word such as 脱贫户) and "exit_year" (an int), used where the column is
            missing or the cell empty.
        values: column key → value in the file → the word to read instead (户状态 “脱贫” → 脱贫户).
        create_groups: 村民组 the village does not have yet are created by the import.
    """

    defaults: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    create_groups: bool = False


@dataclass(frozen=True)
class ValueUse:
    """One distinct value of a vocabulary column in the file, and what it was read as.

    Attributes:
        key, header: the column (its key and its header in the file).
        value: the value as written in the file.
        program: the program's word it was read as (None: unknown).
        meaning: what else it implies ("已脱贫(享受政策)" or "监测户，户属性 脱贫不稳定户").
        rows: the sheet rows holding it.
    """

    key: str
    header: str
    value: str
    program: str | None
    meaning: str
    rows: tuple[int, ...]

    def where(self) -> str:
        shown = "、".join(f"第{r}行" for r in self.rows[:5])
        return shown + (f"等{len(self.rows)}行" if len(self.rows) > 5 else "")


@dataclass
class RosterHousehold:
    """One household of the file: its rows, the forms built from them, and its problems."""

    number: str
    rows: list[int]
    form: HouseholdForm
    members: list[MemberForm]
    member_rows: list[int]  # sheet row of each member, in `members` order
    problems: list[RowMessage] = field(default_factory=list)
    field_rows: dict[str, int] = field(default_factory=dict)  # the row each household field was read from

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class RosterPreview:
    """Everything an import would do, before anything is written.

    Attributes:
        file, sheet, sheets: the workbook, the sheet read and all its sheets' names.
        header_row: the sheet row holding the headers.
        columns: every column with a header, matched or not.
        households: every household of the file, in file order (check `.ok`).
        problems: every problem, sorted by row; a household with any problem is not imported.
        notes: fixes made automatically (full-width digits, lowercase x …) and skipped rows.
        blank_rows: blank rows between data rows (skipped).
        options: the person's decisions the preview was made with.
        values: the status words of the file and what each was read as (脱贫户 → 已脱贫(享受政策)).
        unknown_values: values of vocabulary columns the program does not know, each once.
        new_groups: 村民组 of the file the village does not have yet → the rows naming them.
        missing: keys of missing columns a default can stand in for ("status", "exit_year").
    """

    file: Path
    sheet: str
    sheets: tuple[str, ...]
    header_row: int
    columns: tuple[SheetColumn, ...]
    households: list[RosterHousehold]
    problems: list[RowMessage]
    notes: list[RowMessage]
    blank_rows: list[int]
    options: RosterOptions = field(default_factory=RosterOptions)
    values: list[ValueUse] = field(default_factory=list)
    unknown_values: list[ValueUse] = field(default_factory=list)
    new_groups: dict[str, list[int]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def unknown_headers(self) -> list[SheetColumn]:
        """Headers the synonym table does not know and no mapping has assigned (ignored for now)."""
        return [c for c in self.columns if c.key is None and not c.assigned]

    @property
    def ok_households(self) -> list[RosterHousehold]:
        return [h for h in self.households if h.ok]

    @property
    def bad_households(self) -> list[RosterHousehold]:
        return [h for h in self.households if not h.ok]

    @property
    def ok_members(self) -> int:
        return sum(len(h.members) for h in self.households if h.ok)

    @property
    def importable(self) -> bool:
        return any(h.ok for h in self.households)

    @property
    def loose_rows(self) -> int:
        """Data rows with a problem that belong to no household (no 户编号)."""
        return len({p.row for p in self.problems if p.row > self.header_row and not p.number})

    def summary(self) -> str:
        """"可导入3户7人，有问题6户" (plus rows that belong to no household, when there are any)."""
        text = f"可导入{len(self.ok_households)}户{self.ok_members}人，有问题{len(self.bad_households)}户"
        if self.loose_rows:
            text += f"，另有{self.loose_rows}行无法归户"
        return text


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: households and members, and how many households were left out."""

    households: int
    members: int
    skipped: int  # households with problems, not imported
    new_groups: int = 0  # 村民组 created for them

    def summary(self) -> str:
        text = f"已导入{self.households}户{self.members}人"
        if self.new_groups:
            text += f"，新建村民组{self.new_groups}个"
        return text + (f"，有问题未导入{self.skipped}户" if self.skipped else "")


@dataclass(frozen=True)
class RosterExport:
    path: Path
    households: int
    members: int

    def summary(self) -> str:
        return f"已导出{self.households}户{self.members}人到 {self.path}"
