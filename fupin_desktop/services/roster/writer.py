"""Writing rosters: the register (or the current list view) one row per member, and a blank template.

Both use the layout the importer reads best: header in row 1 (frozen, filterable), ID numbers as
text, drop-down lists for the vocabularies. Files are written to a temporary name next to the
target and renamed over it only when complete, so a failure never leaves half a file.
"""

import contextlib
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Cadre, Household, Member, VillagerGroup
from fupin_desktop.db.query import live
from fupin_desktop.domain import accounts, idcard
from fupin_desktop.domain.progress import QUIET, Progress
from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.safe_files import write_atomically
from fupin_desktop.services.reference import FILES, attribute_names, cause_names, read_rows
from fupin_desktop.services.roster.columns import BY_KEY, EXPORTED, HOUSEHOLD, NO, YES, RosterColumn
from fupin_desktop.services.roster.results import RosterExport, RosterFileError
from fupin_desktop.services.search import HouseholdQuery, search_households
from fupin_desktop.services.village import current_village

SHEET = "花名册"
OPTIONS_SHEET = "下拉选项"
GUIDE_SHEET = "填写说明"
QUERY_CHUNK = 5000
PROGRESS_EVERY = 200  # households
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_GUIDE = (
    "一人一行：同一户的成员连续排列，每行都填写户编号（或只在第一行填写、其余行留空）。",
    "户编号、姓名、身份证号、与户主关系、户状态为必填；每户须有且只有一名“户主”。",
    "身份证号列已设为文本格式。请不要把身份证号存成数字，否则 Excel 会丢掉后几位。",
    "户属性、次要致贫原因可填多个，用顿号“、”分隔，如：低保户、残疾人家庭。",
    "是/否类的列填写“是”或“否”；日期填写如 1980-01-01。",
    "性别、出生日期由身份证号得出，填写时仅用于核对。",
    "导入只新增农户，不修改已有农户：户编号已在本村登记簿中的户不会导入，会在预览中列出。",
)


def export_roster(session: Session, path: str | Path, query: HouseholdQuery | None = None, *,
                  progress: Progress = QUIET) -> RosterExport:
    """Write the village's households (all, or those `query` finds, in its order) to an xlsx file.

    Args:
        path: the .xlsx file to write; replaced only once the new file is complete.
        query: the current list view (its paging is ignored: every household it finds is written).
        progress: steps are households written of those to write; a cancel writes no file.

    Raises:
        RosterFileError: the name does not end in .xlsx.
        StorageError: the file cannot be written (open in Excel, read-only folder, disk full).
    """
    path = _target(path)
    village = current_village(session)
    households = _households(session, village.id, query)
    members = _members(session, [h.id for h in households])
    names = _Names(session)
    masked = not accounts.sees_full_id_numbers(session.info.get("user"))  # as that user sees them on screen
    book = Workbook(write_only=True)
    ws = book.create_sheet(SHEET)
    _layout(ws)
    _declare_size(ws, 1 + sum(map(len, members.values())))
    ws.append(_header_cells(ws))
    written = 0
    try:
        for i, h in enumerate(households, 1):
            people = sorted(members.get(h.id, []), key=lambda m: (m.relation != RELATION_HEAD, m.birth_date))
            head = next((m.name for m in people if m.relation == RELATION_HEAD), None)
            for m in people:
                values = _values(h, m, head, names)
                if masked and values.get("id_number"):
                    values["id_number"] = idcard.mask(values["id_number"])
                ws.append(_cells(values, ws))
            written += len(people)
            if i % PROGRESS_EVERY == 0:
                progress.step(i, len(households))
        _options(book, ws, names.groups_sorted, list(names.causes.values()))
        progress.step(len(households), len(households))
    except BaseException:
        _abandon(book)
        raise
    save_workbook(book, path)
    return RosterExport(path=path, households=len(households), members=written)


def write_template(path: str | Path, session: Session | None = None) -> Path:
    """A blank roster with headers, widths, a frozen header row, drop-down lists and a guide sheet.

    With a session, the lists use the database's 致贫原因 and 村民组; without one (a machine with no
    database yet), the reference files shipped with the program.
    """
    path = _target(path)
    names = _Names(session) if session is not None else None
    book = Workbook(write_only=True)
    ws = book.create_sheet(SHEET)
    _layout(ws)
    ws.append(_header_cells(ws))
    causes = list(names.causes.values()) if names else [r["name"] for r in read_rows(FILES[0])]
    _options(book, ws, names.groups_sorted if names else [], causes)
    guide = book.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 100
    guide.append([WriteOnlyCell(guide, value="花名册填写说明")])
    for i, line in enumerate(_GUIDE, 1):
        guide.append([f"{i}. {line}"])
    save_workbook(book, path)
    return path


def _target(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise RosterFileError(f"文件名“{path.name}”应以 .xlsx 结尾（Excel 工作簿）。")
    return path


# -- reading the register ----------------------------------------------------------------------------


def _households(session: Session, village_id: uuid.UUID, query: HouseholdQuery | None) -> list[Any]:
    columns = Household.__table__.columns
    rows = select(*columns).where(Household.village_id == village_id, live(Household))
    if query is None:
        return list(session.execute(rows.order_by(Household.number)))
    page = search_households(session, replace(query, limit=2**31 - 1, offset=0))
    order = [r.id for r in page.rows]
    found: dict[uuid.UUID, Row[Any]] = {}
    for chunk in _chunks(order):
        found.update((h.id, h) for h in session.execute(rows.where(Household.id.in_(chunk))))
    return [found[i] for i in order if i in found]


def _members(session: Session, household_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    by_household: dict[uuid.UUID, list[Any]] = {}
    for chunk in _chunks(household_ids):
        for m in session.execute(select(*Member.__table__.columns).where(
                Member.household_id.in_(chunk), live(Member))):
            by_household.setdefault(m.household_id, []).append(m)
    return by_household


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start:start + QUERY_CHUNK]


class _Names:
    """Names for the codes and keys a household row holds."""

    def __init__(self, session: Session) -> None:
        village = current_village(session)
        groups = session.execute(select(VillagerGroup.id, VillagerGroup.name).where(
            VillagerGroup.village_id == village.id, live(VillagerGroup))
            .order_by(VillagerGroup.sort_order, VillagerGroup.name)).all()
        self.groups = dict(groups)
        self.groups_sorted = [name for _, name in groups]
        self.helpers = dict(session.execute(select(Cadre.id, Cadre.name).where(Cadre.village_id == village.id)).all())
        self.causes = cause_names(session)
        self.attributes = attribute_names(session)


def _flag(value: bool | None) -> str | None:
    return None if value is None else YES if value else NO


def _values(h: Any, m: Any, head: str | None, names: _Names) -> dict[str, Any]:
    """One member's row: household fields repeated on every row, so sorting in Excel keeps them."""
    household = {
        "number": h.number, "group": names.groups.get(h.group_id), "head_name": head, "status": h.status,
        "attributes": "、".join(names.attributes.get(a, a) for a in h.attributes),
        "main_cause": names.causes.get(h.main_cause, h.main_cause) if h.main_cause else None,
        "secondary_causes": "、".join(names.causes.get(c, c) for c in h.secondary_causes),
        "identified_year": h.identified_year, "exit_year": h.exit_year, "phone": h.phone, "address": h.address,
        "helper_name": names.helpers.get(h.helper_id), "housing_safety": h.housing_safety,
        "housing_checked_on": h.housing_checked_on, "water_checked_on": h.water_checked_on,
        "household_note": h.note,
        **{k: _flag(getattr(h, k)) for k in ("water_quality_ok", "water_quantity_ok", "water_convenience_ok",
                                             "water_reliability_ok")},
    }
    member = {c.key: getattr(m, c.key) for c in EXPORTED if c.level != HOUSEHOLD and hasattr(m, c.key)}
    member.update({c.key: _flag(member[c.key]) for c in EXPORTED if c.kind == "bool" and c.key in member})
    return {**household, **member}


# -- the sheet -----------------------------------------------------------------------------------------


def _header_cells(ws: Any) -> list[WriteOnlyCell]:
    header = []
    for c in EXPORTED:
        cell = WriteOnlyCell(ws, value=c.header)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        header.append(cell)
    return header


def _cells(values: dict[str, Any], ws: Any) -> list[Any]:
    return [_literal(ws, v) if isinstance(v, str) and v.startswith(FORMULA_STARTS) else None if v == "" else v
            for v in (values.get(c.key) for c in EXPORTED)]


FORMULA_STARTS = ("=", "+", "-", "@")  # what Excel and WPS take for the start of a formula


def _literal(ws: Any, text: str) -> WriteOnlyCell:
    """Text that looks like a formula, written as text: openpyxl would store "=…" as a live formula
    (HYPERLINK, DDE "cmd|…"), and the quote prefix keeps Excel from evaluating it once edited."""
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _layout(ws: Any) -> None:
    for i, c in enumerate(EXPORTED, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = c.width
        if c.kind in ("id", "phone", "number"):
            dim.number_format = "@"  # typed later, a long number stays text instead of 4.10182E+17
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(EXPORTED))}1"


def _declare_size(ws: Any, rows: int) -> None:
    """Tell the file how big the sheet is. openpyxl's streaming writer cannot know it, and a sheet
    without its size makes openpyxl (so our own import) read the whole sheet once more just to
    find it; the writer asks `calculate_dimension` when the worksheet has one."""
    ws.calculate_dimension = lambda: f"A1:{get_column_letter(len(EXPORTED))}{rows}"


def _options(book: Workbook, ws: Any, groups: Sequence[str], causes: Sequence[str]) -> None:
    """Drop-down lists: the values live on a hidden sheet (a list written into the rule itself is
    limited to 255 characters)."""
    lists: list[tuple[RosterColumn, Sequence[str]]] = [(c, c.choices) for c in EXPORTED if c.choices]
    if groups:
        lists.append((BY_KEY["group"], groups))
    lists.append((BY_KEY["main_cause"], causes))
    options = book.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    columns = [c.header for c, _ in lists]
    longest = max(len(v) for _, v in lists)
    options.append(columns)
    for row in range(longest):
        options.append([values[row] if row < len(values) else None for _, values in lists])
    position = {c.key: i for i, c in enumerate(EXPORTED, 1)}
    for i, (column, values) in enumerate(lists, 1):
        letter = get_column_letter(i)
        rule = DataValidation(type="list", formula1=f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                              allow_blank=True, showErrorMessage=True, errorStyle="warning",
                              errorTitle="不在可选范围内", error=f"“{column.header}”请从下拉列表中选择。")
        target = get_column_letter(position[column.key])
        rule.add(f"{target}2:{target}1048576")
        ws.data_validations.append(rule)


# -- saving ------------------------------------------------------------------------------------------


def save_workbook(book: Workbook, path: Path) -> None:
    """Save to a temporary file beside `path`, flush it to disk, then rename it over `path`.

    Raises StorageError with a message a clerk understands; no temporary file is left behind.
    """
    try:
        _save(book, path)
    except BaseException:
        _abandon(book)
        raise


def _save(book: Workbook, path: Path) -> None:
    write_atomically(path, book.save, opened_in=" Excel 或 WPS ")


def _abandon(book: Workbook) -> None:
    """Finish the streaming sheets of a workbook that will not be saved, so their writers close
    their temporary files now instead of failing later when they are garbage-collected."""
    for ws in book.worksheets:
        if not getattr(ws, "closed", True):
            with contextlib.suppress(Exception):  # the failure that brought us here is what matters
                ws.close()


