"""From sheet rows to checked households: grouping, cell conversion, the core's rules, the register.

The rules of a household come from the core (`check_household`, `check_members`); this module
only adds what a file brings with it: cells Excel has mangled, columns that disagree with the ID
number, ID numbers that appear twice in the file, and the register the file is imported into.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fupin_desktop.domain import idcard, statuses
from fupin_desktop.domain.household import HouseholdForm, MemberForm, check_household, check_members, member_label
from fupin_desktop.domain.progress import QUIET, Progress
from fupin_desktop.errors import FieldError
from fupin_desktop.services.roster import cells
from fupin_desktop.services.roster.cells import CellError
from fupin_desktop.services.roster.columns import (
    ATTRIBUTE_ALIASES,
    BY_KEY,
    FORM_FIELD,
    HOUSEHOLD,
    MEMBER,
    REQUIRED,
    VALUE_ALIASES,
)
from fupin_desktop.services.roster.places import Places
from fupin_desktop.services.roster.reader import RosterSheet, read_roster
from fupin_desktop.services.roster.register import Register, register_problems
from fupin_desktop.services.roster.results import RosterHousehold, RosterOptions, RosterPreview, RowMessage, ValueUse

_NAMES = ("name", "head_name", "helper_name")
_SEXES = {"男": "男", "女": "女", "男性": "男", "女性": "女"}
_FORM_KEY = {v: k for k, v in FORM_FIELD.items()}  # HouseholdForm field → column key
# Missing columns with a sensible answer for the whole file: asked for once (--default-status).
DEFAULTABLE = ("status", "exit_year")
FLAGS = {"status": "--default-status 状态（如 --default-status 脱贫户）",
         "exit_year": "--default-exit-year 年份（如 --default-exit-year 2019）"}


def preview_roster(session: Session, source: str | Path | RosterSheet, *, sheet: str | None = None,
                   mapping: Mapping[str, str | None] | None = None, options: RosterOptions | None = None,
                   today: date | None = None, progress: Progress = QUIET) -> RosterPreview:
    """Read a roster and check every household, writing nothing.

    Args:
        session: a session on the register the roster is meant for.
        source: the .xlsx/.xls/.csv file, or a sheet already read with `read_roster`.
        sheet, mapping, progress: as for `read_roster` (ignored when `source` is a sheet).
        options: defaults for missing columns, value choices, whether to create 村民组.
        today: the day ages and dates of birth are judged on (default: today in China).
    """
    options = options or RosterOptions()
    roster = source if isinstance(source, RosterSheet) else read_roster(
        source, sheet=sheet, mapping=mapping, progress=progress)
    places = Places(roster.columns)
    absent = [k for k in REQUIRED if roster.column(k) is None]
    missing = [k for k in absent if k in DEFAULTABLE]
    unanswered = [k for k in absent if k not in DEFAULTABLE or not options.defaults.get(k)]
    if unanswered:
        problems = [RowMessage(roster.header_row, BY_KEY[k].header, _missing_column(k)) for k in unanswered]
        return _preview(roster, [], problems, [], options, missing=missing)
    register = Register.load(session)
    builder = _Builder(roster, places, register, today, options)
    households, loose = builder.households()
    for household, problem in register_problems(session, register, households, places,
                                                create_groups=options.create_groups):
        household.problems.append(problem)
    for household, problem in _duplicates(households, places):
        household.problems.append(problem)
    if roster.column("exit_year") is None and any(h.form.status.startswith("已脱贫") for h in households):
        missing.append("exit_year")
    new_groups: dict[str, list[int]] = {}
    for h in households:
        if h.form.group and h.form.group not in register.groups:
            new_groups.setdefault(h.form.group, []).append(h.field_rows.get("group", h.rows[0]))
    return _preview(roster, households, loose, builder.notes, options, missing=missing,
                    values=builder.value_uses(), new_groups=new_groups)


def _missing_column(key: str) -> str:
    header = BY_KEY[key].header
    if key in FLAGS:
        return (f"找不到“{header}”列。如果全部农户的{header}相同，命令行请加 {FLAGS[key]}，"
                f"导入窗口请在“缺少的列”中选择；否则请在表中加一列{header}，或在“列对应”中指定哪一列是{header}")
    return f"找不到“{header}”列。请检查表头，或在“列对应”中指定哪一列是{header}"


def _preview(roster: RosterSheet, households: list[RosterHousehold], loose: list[RowMessage],
             notes: list[RowMessage], options: RosterOptions, *, missing: list[str],
             values: tuple[list[ValueUse], list[ValueUse]] = ([], []),
             new_groups: dict[str, list[int]] | None = None) -> RosterPreview:
    order = {c.letter: c.index for c in roster.columns}

    def position(m: RowMessage) -> tuple[int, int]:
        return m.row, order.get(m.letter, -1)

    for h in households:
        h.problems.sort(key=position)
    problems = sorted([*loose, *(p for h in households for p in h.problems)], key=position)
    blank = [RowMessage(r, "", "空行，已跳过") for r in roster.blank_rows]
    return RosterPreview(file=roster.file, sheet=roster.sheet, sheets=roster.sheets, header_row=roster.header_row,
                         columns=roster.columns, households=households, problems=problems,
                         notes=sorted([*roster.notes, *notes, *blank], key=position), blank_rows=roster.blank_rows,
                         options=options, values=values[0], unknown_values=values[1], new_groups=new_groups or {},
                         missing=missing)


@dataclass
class _Rows:
    """The sheet rows of one 户编号, before they are read."""

    number: str
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    problems: list[RowMessage] = field(default_factory=list)


class _Builder:
    """Reads the households of one sheet: cell conversion, the core's rules, cross-checks."""

    def __init__(self, roster: RosterSheet, places: Places, register: Register, today: date | None,
                 options: RosterOptions) -> None:
        self.roster = roster
        self.places = places
        self.today = today
        self.options = options
        self.notes: list[RowMessage] = []
        self._attribute_names = dict(register.attributes)
        self._uses: dict[tuple[str, str], list[int]] = {}  # (column key, value in the file) → rows
        self._causes = _lookup(register.causes, suffix="致贫")
        self._attributes = _lookup(register.attributes, aliases=ATTRIBUTE_ALIASES)
        self._cause_names = "、".join(register.causes.values())
        self._attribute_list = "、".join(register.attributes.values())
        self._choices = {key: _choices(key) for key, spec in BY_KEY.items() if spec.kind == "choice"}
        present = [c.key for c in roster.columns if c.key is not None]
        self._index = {key: column.index for key in present if (column := places.column(key)) is not None}
        self._household_keys = [k for k in dict.fromkeys(present)
                                if k != "number" and (BY_KEY[k].level == HOUSEHOLD or k in ("head_name", "size"))]
        self._member_keys = [k for k in dict.fromkeys(present) if BY_KEY[k].level == MEMBER]

    def cell(self, values: tuple[Any, ...], key: str) -> Any:
        index = self._index.get(key)
        return values[index] if index is not None and index < len(values) else None

    # -- grouping --------------------------------------------------------------------------------

    def households(self) -> tuple[list[RosterHousehold], list[RowMessage]]:
        groups, loose = self._group()
        return [self._household(g) for g in groups], loose

    def _group(self) -> tuple[list[_Rows], list[RowMessage]]:
        """Rows by 户编号. An empty 户编号 continues the household of the row right above it
        (rosters merge the 户编号 cell over a household's rows)."""
        groups: dict[str, _Rows] = {}
        loose: list[RowMessage] = []
        current: _Rows | None = None
        last = 0
        for row, values in self.roster.rows:
            try:
                number = cells.number(self.cell(values, "number"))
            except CellError as e:  # a formula
                loose.append(self.places.message(row, "number", str(e)))
                current, last = None, row
                continue
            if not number:
                if current is None or last != row - 1:
                    loose.append(self.places.message(row, "number", "户编号为空，无法判断本行属于哪一户"))
                    current, last = None, row
                    continue
                number = current.number
            group = groups.get(number)
            if group is None:
                group = groups[number] = _Rows(number)
            elif group is not current:
                group.problems.append(self.places.message(
                    row, "number", f"户编号 {number} 在第{group.rows[-1][0]}行已出现，中间隔着其他户。同一户的成员应"
                                   "连续排列；如果是两户，请给其中一户换一个户编号", number))
            group.rows.append((row, values))
            current, last = group, row
        return list(groups.values()), loose

    # -- one household ---------------------------------------------------------------------------

    def _household(self, group: _Rows) -> RosterHousehold:
        problems = list(group.problems)
        failed: set[tuple[int | None, str]] = set()  # (member index or None, key) of unreadable cells
        values, sources = self._household_values(group, problems, failed)
        self._status(group, values, sources, problems, failed)
        members = [self._member(group.number, row, cells_, problems, failed, i)
                   for i, (row, cells_) in enumerate(group.rows)]
        member_rows = [row for row, _ in group.rows]
        form_values = {FORM_FIELD.get(k, k): v for k, v in values.items() if BY_KEY[k].level == HOUSEHOLD}
        form = HouseholdForm(number=group.number, status=form_values.pop("status", None) or "", **form_values)
        household = RosterHousehold(number=group.number, rows=member_rows, form=form, members=members,
                                    member_rows=member_rows, problems=problems, field_rows=sources)
        errors = check_household(form) + check_members(members, today=self.today)
        problems += self._core_problems(household, errors, failed)
        problems += self._household_checks(household, values)
        return household

    def _household_values(self, group: _Rows, problems: list[RowMessage],
                          failed: set[tuple[int | None, str]]) -> tuple[dict[str, Any], dict[str, int]]:
        """The household's fields: the first non-empty cell of each column; a different value on
        another row of the same household is a problem (which one is right?)."""
        values: dict[str, Any] = {}
        sources: dict[str, int] = {"number": group.rows[0][0]}
        for key in self._household_keys:
            first: tuple[int, Any, str] | None = None
            for row, cells_ in group.rows:
                raw = self.cell(cells_, key)
                shown = cells.half_width(cells.text(raw))
                if not shown:
                    continue
                if first is None:
                    first = (row, raw, shown)
                elif shown != first[2]:
                    problems.append(self.places.message(
                        row, key, f"同一户的{BY_KEY[key].header}不一致：第{first[0]}行为“{first[2]}”，本行为“{shown}”",
                        group.number))
            if first is None:
                continue
            sources[key] = first[0]
            self._use(key, first[2], first[0])
            try:
                values[key] = self.convert(key, first[1])
            except CellError as e:
                problems.append(self.places.message(first[0], key, str(e), group.number))
                failed.add((None, key))
        return values, sources

    def _member(self, number: str, row: int, values: tuple[Any, ...], problems: list[RowMessage],
                failed: set[tuple[int | None, str]], index: int) -> MemberForm:
        fields: dict[str, Any] = {}
        for key in self._member_keys:
            raw = self.cell(values, key)
            if raw is not None:
                self._use(key, cells.half_width(cells.text(raw)), row)
            try:
                if key == "id_number":
                    read = cells.id_number(raw)
                    self.notes += [self.places.message(row, key, note, number) for note in read.notes]
                    value: Any = read.text
                else:
                    value = self.convert(key, raw)
            except CellError as e:
                problems.append(self.places.message(row, key, str(e), number))
                failed.add((index, key))
                value = cells.text(raw) if key == "id_number" else None
            if value is not None:
                fields[key] = value
        form = MemberForm(name=fields.pop("name", ""), id_number=fields.pop("id_number", ""),
                          relation=fields.pop("relation", ""), **fields)
        if (index, "id_number") not in failed:
            problems += self._against_id(number, row, values, form)
        return form

    def _status(self, group: _Rows, values: dict[str, Any], sources: dict[str, int], problems: list[RowMessage],
                failed: set[tuple[int | None, str]]) -> None:
        """户状态 as the program spells it, from the file's word (脱贫户), the person's choice for that
        word, or the default for the file; the attributes and monitoring type the word implies."""
        raw = values.pop("status", None) or ""
        chosen = self.options.values.get("status", {}).get(raw) if raw else None
        term = statuses.read_status(raw)  # what the file's word implies stays (低保户 chosen as 脱贫户)
        picked = statuses.read_status(chosen) if chosen else None
        if chosen:
            status = picked.status if picked else chosen
        else:
            status = term.status if term else raw  # an unknown word is kept: the core names it
        implied = [*(term.attributes if term else ()), *(picked.attributes if picked else ())]
        term = term or picked
        if not status:
            default = statuses.read_status(str(self.options.defaults.get("status") or ""))
            if default is not None and default.status:
                status = default.status
                implied += default.attributes
            elif raw:
                problems.append(self.places.message(
                    sources.get("status", group.rows[0][0]), "status",
                    f"户状态“{raw}”只说明了户属性（{self._names(term.attributes if term else ())}），"
                    f"没有说明是否脱贫：请用 {FLAGS['status']} 指定这些户的户状态，或在导入窗口的“值对应”中选择",
                    group.number))
                failed.add((None, "status"))  # said here; not again as 户状态不能为空
        status = values["status"] = status or ""
        if implied:
            values["attributes"] = list(dict.fromkeys([*values.get("attributes", []), *implied]))
        if term is not None and term.kind and not term.attributes:  # 突发严重困难户: no attribute for it
            note = f"监测类型：{term.kind}"
            values["household_note"] = f"{values['household_note']}；{note}" if values.get("household_note") else note
        if status.startswith("已脱贫") and not values.get("exit_year") and self.options.defaults.get("exit_year"):
            values["exit_year"] = int(self.options.defaults["exit_year"])

    def _names(self, codes: Sequence[str]) -> str:
        return "、".join(self._attribute_names.get(c, c) for c in codes)

    def _use(self, key: str, value: str, row: int) -> None:
        if value and (key == "status" or BY_KEY[key].kind == "choice"):
            self._uses.setdefault((key, value), []).append(row)

    def value_uses(self) -> tuple[list[ValueUse], list[ValueUse]]:
        """(the file's status words and what each was read as, every value the program does not know)."""
        known: list[ValueUse] = []
        unknown: list[ValueUse] = []
        for (key, value), rows in self._uses.items():
            column = self.places.column(key)
            header = column.header if column else BY_KEY[key].header
            chosen = self.options.values.get(key, {}).get(value)
            if key == "status":
                term = statuses.read_status(chosen or value)
                if term is None:
                    unknown.append(ValueUse(key, header, value, None, "", tuple(rows)))
                else:
                    known.append(ValueUse(key, header, value, term.status, term.describe(self._attribute_names),
                                          tuple(rows)))
                continue
            program = self._choices[key](chosen or value)
            if program not in BY_KEY[key].choices:
                unknown.append(ValueUse(key, header, value, None, "", tuple(rows)))
        return known, unknown

    def _against_id(self, number: str, row: int, values: tuple[Any, ...], form: MemberForm) -> list[RowMessage]:
        """性别 and 出生日期 columns, when present, must say what the ID number says."""
        try:
            info = idcard.parse(form.id_number, today=self.today)
        except idcard.IdNumberError:
            return []  # the core's rule reports the ID number itself
        problems = []
        sex = cells.text(self.cell(values, "sex"))
        if sex and _SEXES.get(sex) != info.sex:
            text = (f"性别为“{sex}”，但身份证号显示为{info.sex}" if sex in _SEXES
                    else f"性别“{sex}”无法识别，应为“男”或“女”")
            problems.append(self.places.message(row, "sex", text, number))
        raw = self.cell(values, "birth_date")
        try:
            born = cells.month(raw, "出生日期") or cells.day(raw, "出生日期")
        except CellError as e:
            return [*problems, self.places.message(row, "birth_date", str(e), number)]
        birth = info.birth_date
        if isinstance(born, date) and born != birth or isinstance(born, tuple) and born != (birth.year, birth.month):
            shown = born.isoformat() if isinstance(born, date) else f"{born[0]}年{born[1]}月"
            problems.append(self.places.message(
                row, "birth_date", f"出生日期{shown}与身份证号中的出生日期{birth.isoformat()}不一致", number))
        return problems

    def _core_problems(self, household: RosterHousehold, errors: list[FieldError],
                       failed: set[tuple[int | None, str]]) -> Iterator[RowMessage]:
        """The core's field errors, placed on the row and column they are about; none about a cell
        already reported as unreadable (the core only sees it empty)."""
        members = household.members
        labels = {member_label(i, m): i for i, m in enumerate(members)}
        for error in errors:
            index = labels.get(error.record) if error.record else None
            if index is not None:
                if (index, error.field) in failed:
                    continue
                row, key = household.member_rows[index], error.field
            elif error.field == "members":
                head = next((i for i, m in enumerate(members) if m.relation), 0)
                row, key = household.member_rows[head] if members else household.rows[0], "relation"
            elif error.field == "id_number":
                row, key = self._repeated_row(household), "id_number"
            else:
                key = _FORM_KEY.get(error.field, error.field)
                if (None, key) in failed:
                    continue
                row = household.field_rows.get(key, household.rows[0])
            message = error.message
            if key == "exit_year" and self.roster.column("exit_year") is None:
                message += f"：花名册没有“脱贫年度”列，命令行请加 {FLAGS['exit_year']}，导入窗口请在“缺少的列”中填写"
            yield self.places.message(row, key, message, household.number)

    @staticmethod
    def _repeated_row(household: RosterHousehold) -> int:
        """The row where an ID number appears for the second time in a household."""
        seen = set()
        for member, row in zip(household.members, household.member_rows, strict=True):
            number = idcard.normalize(member.id_number)
            if number in seen:
                return row
            seen.add(number)
        return household.rows[0]

    def _household_checks(self, household: RosterHousehold, values: dict[str, Any]) -> list[RowMessage]:
        problems = []
        heads = [(m, r) for m, r in zip(household.members, household.member_rows, strict=True) if m.relation == "户主"]
        head_name = values.get("head_name")
        if head_name and len(heads) == 1 and heads[0][0].name != head_name:
            problems.append(self.places.message(
                household.field_rows["head_name"], "head_name",
                f"户主姓名“{head_name}”与户主本人（第{heads[0][1]}行）的姓名“{heads[0][0].name}”不一致",
                household.number))
        size = values.get("size")
        if size is not None and size != len(household.members):
            problems.append(self.places.message(
                household.field_rows["size"], "size",
                f"家庭人口数填写为{size}人，但本户有{len(household.members)}行成员", household.number))
        return problems

    # -- cells -----------------------------------------------------------------------------------

    def convert(self, key: str, raw: Any) -> Any:
        """A cell's value as the form wants it; CellError when it cannot be read."""
        cells.no_formula(raw)
        spec = BY_KEY[key]
        label = spec.header
        if key in _NAMES:
            return cells.name(raw) or None
        match spec.kind:
            case "number":
                return cells.number(raw)
            case "date":
                return cells.day(raw, label)
            case "year":
                return cells.year(raw, label)
            case "int":
                return cells.integer(raw, label)
            case "bool":
                return cells.flag(raw, label)
            case "choice":
                text = cells.text(raw)
                if key == "status":  # read by _status, which knows the official terms
                    return cells.half_width(text) or None
                text = self.options.values.get(key, {}).get(cells.half_width(text), text)
                return self._choices[key](text) if text else None
            case "cause":
                text = cells.text(raw)
                return self._cause(text) if text else None
            case "causes":
                return [self._cause(w) for w in cells.words(raw)]
            case "attributes":
                return list(dict.fromkeys(self._attribute(w) for w in cells.words(raw)))
            case _:
                return cells.optional(raw)

    def _cause(self, word: str) -> str:
        code = self._causes(word)
        if code is None:
            raise CellError(f"致贫原因“{word}”不在致贫原因目录中（可填：{self._cause_names}）")
        return code

    def _attribute(self, word: str) -> str:
        code = self._attributes(word)
        if code is None:
            raise CellError(f"户属性“{word}”不在户属性目录中（可填：{self._attribute_list}）")
        return code


def _choices(key: str) -> Callable[[str], str]:
    """A vocabulary word as the register spells it; an unknown word is kept for the core to report."""
    known = {cells.choice_key(v): v for v in BY_KEY[key].choices}
    known.update({cells.choice_key(a): v for a, v in VALUE_ALIASES.get(key, {}).items()})
    return lambda text: known.get(cells.choice_key(text), text)


def _lookup(names: Mapping[str, str], *, suffix: str = "",
            aliases: Mapping[str, str] | None = None) -> Callable[[str], str | None]:
    """Reference code by code, by name, by another name rosters use, or by a name's unique beginning
    (低保 → 低保户)."""
    exact = {cells.choice_key(code): code for code in names}
    exact.update({cells.choice_key(name): code for code, name in names.items()})
    exact.update({cells.choice_key(alias): code for alias, code in (aliases or {}).items() if code in names})

    def find(word: str) -> str | None:
        key = cells.choice_key(word)
        if key.isdigit() and len(key) < 2:
            key = key.zfill(2)  # Excel turned the code 01 into the number 1
        if suffix and key.endswith(suffix) and key[: -len(suffix)] in exact:
            key = key[: -len(suffix)]
        if key in exact:
            return exact[key]
        starts = {code for name, code in exact.items() if len(key) >= 2 and name.startswith(key)}
        return starts.pop() if len(starts) == 1 else None
    return find


# -- the register and the file as a whole ----------------------------------------------------------


def _duplicates(households: Sequence[RosterHousehold], places: Places) -> list[tuple[RosterHousehold, RowMessage]]:
    """ID numbers that appear in two households of the file: both are held back (which is right?)."""
    where: dict[str, list[tuple[RosterHousehold, int]]] = {}
    for h in households:
        for member, row in zip(h.members, h.member_rows, strict=True):
            number = idcard.normalize(member.id_number)
            if number:
                where.setdefault(number, []).append((h, row))
    found = []
    for number, hits in where.items():
        if len({id(h) for h, _ in hits}) < 2:
            continue  # twice in one household: the core's rule reports it
        for h, row in hits:
            others = "、".join(f"第{r}行" for other, r in hits if r != row)
            found.append((h, places.message(row, "id_number", f"身份证号 {number} 与{others}重复，同一人不能登记两次",
                                            h.number)))
    return found
