"""How big a roster may be, checked before anything is inflated into memory.

A 400 KB xlsx can hold a 409 MB cell, a 3 MB one a 741 MB sheet (XML compresses ~1000:1), and
openpyxl builds every cell, every shared string, in memory. So before the reader opens a workbook
`check_xlsx` reads the zip directory (the sizes it declares are upper bounds: Python's zipfile
stops at the declared size and then checks the CRC) and streams each sheet and the shared strings
through expat, counting rows, columns and cell lengths without keeping any text: a file past a
limit is refused in about a second with a few MB of memory. Readers of other formats (.xls,
.csv) call `check_file_size` and `RowLimits.check` row by row while they stream.

The limits are generous for a village (437 households ≈ 1,700 rows ≈ 100 KB) and stated in the
README; the problem list a preview prints is capped at PROBLEM_LINES lines plus counts.
"""

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.parsers import expat

from fupin_desktop.services.roster.results import RosterFileError

MAX_FILE_BYTES = 20 * 2**20  # the file itself
MAX_PART_BYTES = 64 * 2**20  # one sheet's (or the shared strings') XML, inflated
MAX_INFLATED_BYTES = 128 * 2**20  # all parts of the workbook, inflated
MAX_PARTS = 1000
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 2000
PROBLEM_LINES = 200  # a preview lists the first 200 problems, then counts
_CHUNK = 256 * 1024
_MB = 2**20


def check_file_size(path: Path) -> None:
    """Refuse a file larger than any roster (before reading it)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports a missing or unreadable file in its own words
    if size > MAX_FILE_BYTES:
        raise RosterFileError(f"文件 {path.name} 有 {size / _MB:.0f} MB，超过花名册的上限 {MAX_FILE_BYTES // _MB} MB，"
                              "未导入。请确认选对了文件；如确是花名册，请删去无关的工作表、图片后另存再导入。")


def check_xlsx(path: Path) -> None:
    """Refuse an xlsx past the limits (RosterFileError), streaming; nothing is kept in memory."""
    check_file_size(path)
    try:
        with zipfile.ZipFile(path) as book:
            parts = book.infolist()
            if len(parts) > MAX_PARTS:
                raise _refused(path, f"包含 {len(parts)} 个部件（上限 {MAX_PARTS}）")
            total = sum(p.file_size for p in parts)
            if total > MAX_INFLATED_BYTES:
                raise _refused(path, f"解压后有 {total / _MB:.0f} MB（上限 {MAX_INFLATED_BYTES // _MB} MB）")
            for part in parts:
                if part.file_size > MAX_PART_BYTES:
                    raise _refused(path, f"其中 {part.filename} 解压后有 {part.file_size / _MB:.0f} MB"
                                         f"（上限 {MAX_PART_BYTES // _MB} MB）")
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    _scan(path, book, part, _SheetScan(path, part.filename))
                elif part.filename == "xl/sharedStrings.xml":
                    _scan(path, book, part, _StringsScan(path))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError):
        return  # a damaged file: the reader says so in its own words


class RowLimits:
    """For readers that stream rows themselves (.xls, .csv): call `check` with each row."""

    def __init__(self, path: Path) -> None:
        self.path, self.rows = path, 0

    def check(self, number: int, values: Sequence[Any]) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise _refused(self.path, f"超过 {MAX_ROWS} 行")
        if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
            raise _refused(self.path, f"第{number}行超过 {MAX_COLUMNS} 列")
        for v in values:
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                raise _refused(self.path, f"第{number}行有一格超过 {MAX_CELL_CHARS} 个字")


def capped(messages: Sequence[Any], limit: int = PROBLEM_LINES) -> tuple[Sequence[Any], int]:
    """The first `limit` messages and how many more were left out."""
    return messages[:limit], max(0, len(messages) - limit)


def _refused(path: Path, what: str) -> RosterFileError:
    return RosterFileError(f"文件 {path.name} 太大，不像花名册：{what}，未导入。"
                           f"花名册最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列，每格最多 {MAX_CELL_CHARS} 个字。"
                           "请确认选对了文件，或删去多余的行、列和工作表后另存再导入。")


def _scan(path: Path, book: zipfile.ZipFile, part: zipfile.ZipInfo, scan: "_Scan") -> None:
    parser = expat.ParserCreate()
    parser.buffer_text = False  # character data arrives in pieces that are counted, never joined
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    try:
        with book.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        return  # malformed XML: the reader reports the damage


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


class _Scan:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.chars = 0  # length of the text of the current cell / string
        self.counting = False

    def start(self, name: str, attrs: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def text(self, data: str) -> None:
        if self.counting:
            self.chars += len(data)
            if self.chars > MAX_CELL_CHARS:
                raise self.too_long()

    def too_long(self) -> RosterFileError:
        return _refused(self.path, f"有一格超过 {MAX_CELL_CHARS} 个字")


class _SheetScan(_Scan):
    def __init__(self, path: Path, part: str) -> None:
        super().__init__(path)
        self.part, self.rows = part, 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "row":
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise _refused(self.path, f"一张工作表超过 {MAX_ROWS} 行")
        elif tag == "c":
            self.chars = 0
            ref = attrs.get("r", "")
            if _column(ref) > MAX_COLUMNS:
                raise _refused(self.path, f"单元格 {ref} 超过 {MAX_COLUMNS} 列")
        elif tag in ("v", "t"):
            self.counting = True

    def end(self, name: str) -> None:
        if _local(name) in ("v", "t", "is"):
            self.counting = False

    def too_long(self) -> RosterFileError:
        return _refused(self.path, f"一张工作表第{self.rows}行有一格超过 {MAX_CELL_CHARS} 个字")


class _StringsScan(_Scan):
    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "si":
            self.chars = 0
        elif tag == "t":
            self.counting = True

    def end(self, name: str) -> None:
        if _local(name) == "t":
            self.counting = False


def _column(ref: str) -> int:
    """Column number of a cell reference ("AB12" → 28); 0 when there is none."""
    number = 0
    for ch in ref:
        if not ("A" <= ch <= "Z"):
            break
        number = number * 26 + ord(ch) - 64
    return number
