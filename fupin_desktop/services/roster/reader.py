"""Opening a roster workbook, choosing the sheet, finding the header row, reading the data rows.

Rosters come with titles above the header, two-row headers under merged cells, blank rows,
total and signature lines at the bottom, as .xlsx, .xls (WPS) or .csv under any name, and sometimes
as a web page renamed to .xlsx. The kind is judged by the file's first bytes (`kind`); .xls and
.csv are opened by sources.py. Everything that cannot be read becomes a RosterFileError with a
Chinese message; nothing here touches the database.
"""

import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from fupin_desktop.domain.progress import QUIET, Progress
from fupin_desktop.safe_files import reason
from fupin_desktop.services.roster import cells, limits
from fupin_desktop.services.roster.columns import BY_KEY, IGNORED, REQUIRED, header_key, match_header
from fupin_desktop.services.roster.results import RosterFileError, RowMessage, SheetColumn
from fupin_desktop.services.roster.sources import SheetSource, csv_sheet, xls_sheets
from fupin_desktop.services.roster.xmlrows import sheet_rows

HEADER_SCAN_ROWS = 30  # the header is somewhere in the first rows, under titles and notes
MIN_HEADER_MATCHES = 3
MAX_BLANK_RUN = 1000  # a sheet formatted down to row 1,048,576 is not read to the end
PROGRESS_EVERY = 500
FOOTER_WORDS = ("合计", "总计", "小计", "填表人", "填报人", "制表人", "审核人", "负责人", "联系人", "说明", "注：",
                "注:", "备注：")

# openpyxl fails in many ways on a damaged file; these are the ones seen on damaged xlsx files.
_DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, IndexError, EOFError,
            NotImplementedError, ParseError, InvalidFileException)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, and encrypted .xlsx
_ZIP = b"PK\x03\x04"
_LETTERS = re.compile(r"[A-Z]{1,3}")


@dataclass
class RosterSheet:
    """The data rows of one sheet, and where its columns are.

    Attributes:
        rows: (sheet row number, cell values) of each non-blank data row.
        blank_rows: blank rows between data rows.
        notes: rows skipped on purpose (totals, signatures) and columns read twice.
    """

    file: Path
    sheet: str
    sheets: tuple[str, ...]
    header_row: int
    columns: tuple[SheetColumn, ...]
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    notes: list[RowMessage] = field(default_factory=list)

    def column(self, key: str) -> SheetColumn | None:
        """The first column holding `key` (a later duplicate is ignored)."""
        return next((c for c in self.columns if c.key == key), None)

    def missing(self) -> list[str]:
        """Headers of the required columns the sheet lacks."""
        return [BY_KEY[k].header for k in REQUIRED if self.column(k) is None]


def read_roster(path: str | Path, *, sheet: str | None = None, mapping: Mapping[str, str | None] | None = None,
                progress: Progress = QUIET) -> RosterSheet:
    """Read the roster sheet of a spreadsheet file.

    Args:
        path: the .xlsx, .xls or .csv file (judged by its content, not its name).
        sheet: the sheet's name; by default the first visible sheet with a recognisable header.
        mapping: header text or column letter → column key (None or "" to ignore the column);
            it overrides the synonym table.
        progress: steps are rows read of the rows in the sheet (0 when unknown); a cancel raises
            Cancelled.

    Raises:
        RosterFileError: the file is missing, locked, not a spreadsheet, damaged or has no header.
    """
    path = Path(path)
    checked = _check_mapping(mapping or {})
    handle = _open(path)
    try:
        head = handle.read(512)
        handle.seek(0)
        limits.check_file_size(path)  # before anything is read: no roster is this large
        match kind(head):
            case "xlsx":
                limits.check_xlsx(path)  # before openpyxl inflates anything
                with warnings.catch_warnings():
                    # openpyxl warns about parts it drops (extensions, default styles); values are unaffected
                    warnings.simplefilter("ignore", UserWarning)
                    book = _load(path, handle)
                    try:
                        return _read_book(path, _xlsx_sheets(path, book), sheet, checked, progress)
                    finally:
                        book.close()
            case "xls":
                return _read_book(path, xls_sheets(path, handle), sheet, checked, progress)
            case "csv":
                return _read_book(path, [csv_sheet(path, handle)], sheet, checked, progress)
            case _:
                raise RosterFileError(_not_a_roster(path, head))
    finally:
        handle.close()


def kind(head: bytes) -> str | None:
    """"xlsx", "xls", "csv" by the file's first bytes; None for what is none of them (empty, a web page)."""
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE):
        return "xls"
    start = head.lstrip().lower()
    if not head or start.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta", b"%pdf")):
        return None
    return "csv"


def _open(path: Path) -> IO[bytes]:
    if not path.exists():
        raise RosterFileError(f"找不到文件 {path}，请检查文件名和位置。")
    if path.is_dir():
        raise RosterFileError(f"{path} 是文件夹，不是 Excel 文件。")
    try:
        handle = path.open("rb")
        handle.read(1)  # a file locked by another program fails here, not later
        handle.seek(0)
    except PermissionError as e:
        raise RosterFileError(f"无法读取文件 {path}：文件正被其他程序（如 Excel、WPS）独占打开，或没有读取权限。"
                              "请关闭该文件后重试。") from e
    except OSError as e:
        raise RosterFileError(f"无法读取文件 {path}：{reason(e)}。") from e
    return handle


def _not_a_roster(path: Path, head: bytes) -> str:
    if not head:
        return f"文件 {path.name} 是空文件（0字节），不是 Excel 花名册。"
    if head.lstrip().lower().startswith(b"%pdf"):
        return f"文件 {path.name} 是 PDF 文件，不是 Excel 工作簿，无法导入。请选择花名册的 .xlsx、.xls 或 .csv 文件。"
    return (f"文件 {path.name} 实际上是网页（HTML/XML）格式，只是扩展名像 Excel。请在 Excel 或 WPS 中打开，"
            "“另存为” Excel 工作簿（.xlsx）后再导入。")


def _damaged(path: Path, e: BaseException) -> RosterFileError:
    error = RosterFileError(f"文件 {path.name} 是 Excel 工作簿（.xlsx），但已损坏，无法读取（{type(e).__name__}）。"
                            "请在 Excel 或 WPS 中打开并“另存为” .xlsx 后重试，或使用原始文件。")
    error.__cause__ = e
    return error


def _load(path: Path, handle: IO[bytes]) -> Any:
    try:  # a file object, so openpyxl does not judge the file by its extension
        return openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except _DAMAGED as e:
        raise _damaged(path, e) from e


def _check_mapping(mapping: Mapping[str, str | None]) -> dict[str, str | None]:
    unknown = [v for v in mapping.values() if v and v not in BY_KEY]
    if unknown:
        raise ValueError(f"unknown roster columns in mapping: {unknown}")
    return {_mapping_key(k): (v or None) for k, v in mapping.items()}


def _mapping_key(text: str) -> str:
    """A column letter as it is ("F"), a header as header_key gives it."""
    text = cells.half_width(text).strip()
    return text if _LETTERS.fullmatch(text) else header_key(text)


@dataclass(frozen=True)
class _Header:
    row: int  # 1-based sheet row of the (lower) header row
    texts: tuple[str, ...]
    score: int


def _xlsx_sheets(path: Path, book: Any) -> list[SheetSource]:
    def rows(ws: Any) -> Callable[[], Iterator[tuple[Any, ...]]]:
        if not hasattr(ws, "iter_rows"):
            def chart() -> Iterator[tuple[Any, ...]]:
                raise RosterFileError(f"“{ws.title}”是图表，不是工作表。")
            return chart
        return lambda: _rows(path, book, ws)

    return [SheetSource(ws.title, getattr(ws, "sheet_state", "visible") == "visible",
                        getattr(ws, "max_row", 0) or 0, rows(ws)) for ws in book.worksheets]


def _read_book(path: Path, sources: list[SheetSource], sheet: str | None, mapping: dict[str, str | None],
               progress: Progress) -> RosterSheet:
    names = tuple(s.title for s in sources)
    if sheet is not None:
        if sheet not in names:
            raise RosterFileError(f"工作簿中没有名为“{sheet}”的工作表。现有工作表：{'、'.join(names)}。")
        candidates = [s for s in sources if s.title == sheet]
    else:
        candidates = [s for s in sources if s.visible]
    for source in candidates:
        rows = source.rows()
        top = list(islice(rows, HEADER_SCAN_ROWS))
        header = _find_header(top, mapping)
        if header is None:
            continue
        result = RosterSheet(file=path, sheet=source.title, sheets=names, header_row=header.row,
                             columns=_columns(header.texts, mapping))
        _read_rows(result, chain(top[header.row:], rows), source.total, progress)
        return result
    wanted = "、".join(BY_KEY[k].header for k in REQUIRED if k != "status")  # 户状态 can be given for the file
    if sheet is not None:
        raise RosterFileError(f"工作表“{sheet}”的前{HEADER_SCAN_ROWS}行中没有找到花名册表头（应包含{wanted}等列）。")
    if [s.title for s in sources] == [path.stem]:  # a text file: no sheets to speak of
        raise RosterFileError(f"文件 {path.name} 中没有找到花名册表头（应包含{wanted}等列）。")
    raise RosterFileError(f"文件 {path.name} 中没有找到花名册表头（应包含{wanted}等列）。"
                          f"工作簿中的工作表：{'、'.join(names) or '无'}。如表头在其他工作表，请指定工作表。")


def _rows(path: Path, book: Any, ws: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as value tuples; a damaged sheet raises RosterFileError, not a parser error."""
    try:
        source = sheet_rows(book, ws)
        if source is None:
            ws.reset_dimensions()  # some programs write a wrong size; read what is really there
            source = ws.iter_rows(values_only=True)
        while True:
            try:
                row = next(source)
            except StopIteration:
                return
            yield tuple(row)
    except _DAMAGED as e:
        raise _damaged(path, e) from e


def _texts(row: Sequence[Any]) -> list[str]:
    return [cells.text(v) for v in row]


def _keys(texts: Sequence[str], mapping: dict[str, str | None]) -> set[str]:
    found = set()
    for i, t in enumerate(texts):
        key = _mapped(t, get_column_letter(i + 1), mapping)
        if key and BY_KEY[key].level != IGNORED:
            found.add(key)
    return found


def _mapped(text: str, letter: str, mapping: dict[str, str | None]) -> str | None:
    if letter in mapping:
        return mapping[letter]
    if header_key(text) in mapping:
        return mapping[header_key(text)]
    return match_header(text) if text else None


def _find_header(top: list[tuple[Any, ...]], mapping: dict[str, str | None]) -> _Header | None:
    """The row that names the most known columns. A row under merged cells takes the texts of the
    row above where its own cells are empty (户编号 merged over two header rows)."""
    best: _Header | None = None
    previous: list[str] = []
    for number, row in enumerate(top, 1):
        texts = _texts(row)
        options = [texts]
        if previous:
            width = max(len(texts), len(previous))
            padded = texts + [""] * (width - len(texts))
            options.append([t or (previous[i] if i < len(previous) else "") for i, t in enumerate(padded)])
        for option in options:
            keys = _keys(option, mapping)
            if len(keys) < MIN_HEADER_MATCHES or not keys & {"name", "id_number"}:
                continue
            if best is None or len(keys) > best.score:
                best = _Header(number, tuple(option), len(keys))
        previous = texts
    return best


def _columns(texts: Sequence[str], mapping: dict[str, str | None]) -> tuple[SheetColumn, ...]:
    columns = []
    for i, text in enumerate(texts):
        if not text:
            continue
        letter = get_column_letter(i + 1)
        assigned = letter in mapping or header_key(text) in mapping
        columns.append(SheetColumn(i, letter, text, _mapped(text, letter, mapping), assigned))
    return tuple(columns)


def _read_rows(sheet: RosterSheet, rows: Iterator[tuple[Any, ...]], total: int, progress: Progress) -> None:
    seen: dict[str, SheetColumn] = {}
    for c in sheet.columns:
        if c.key is None:
            continue
        if c.key in seen:
            first = seen[c.key]
            sheet.notes.append(RowMessage(sheet.header_row, c.header, f"与{first.letter}列（{first.header}）是同一项，"
                                          f"本列已忽略", c.letter))
        else:
            seen[c.key] = c
    id_column = sheet.column("id_number")
    blank_run: list[int] = []
    number = sheet.header_row
    bounded = limits.RowLimits(sheet.file)  # every format; an xlsx was scanned before reading too
    for number, row in enumerate(rows, sheet.header_row + 1):
        bounded.check(number, row)
        if number % PROGRESS_EVERY == 0:
            progress.step(number, total)
        texts = [cells.text(v) for v in row]
        if not any(texts):
            blank_run.append(number)
            if len(blank_run) >= MAX_BLANK_RUN:
                sheet.notes.append(RowMessage(blank_run[0], "", f"从本行起连续{MAX_BLANK_RUN}行为空，后面的行未读取"))
                blank_run = []
                break
            continue
        if _footer(texts, id_column):
            sheet.notes.append(RowMessage(number, "", "像是合计、签名或说明行，已跳过"))
            continue
        sheet.blank_rows += blank_run if sheet.rows else []
        blank_run = []
        sheet.rows.append((number, row))
    progress.step(number, number)


def _footer(texts: list[str], id_column: SheetColumn | None) -> bool:
    first = next(t for t in texts if t)
    has_id = id_column is not None and id_column.index < len(texts) and texts[id_column.index]
    return not has_id and first.replace(" ", "").startswith(FOOTER_WORDS)
