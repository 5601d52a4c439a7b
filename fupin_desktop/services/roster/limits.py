"""How big a roster may be, checked before anything is inflated into memory.

A 400 KB xlsx can hold a 409 MB cell, a 3 MB one a 741 MB sheet (XML compresses ~1000:1), and
openpyxl builds every cell, every shared string, in memory. So before the reader opens a workbook
`check_xlsx` reads the zip directory (the sizes it declares are upper bounds: Python's zipfile
stops at the declared size and then checks the CRC) and streams each sheet and the shared strings
with bytes methods that run in C, counting rows, looking for far columns and long texts without
keeping any text: a file past a limit is refused in about a second with a few MB of memory. The
reader then checks every row it reads, of any format, with `RowLimits` (the exact cell length).

The limits are generous for a village (437 households ≈ 1,700 rows ≈ 100 KB) and stated in the
README; the problem list a preview prints is capped at PROBLEM_LINES lines plus counts.
"""

import re
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
                    _scan(path, book, part, sheet=True)
                elif part.filename == "xl/sharedStrings.xml":
                    _scan(path, book, part, sheet=False)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError, zlib.error):
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


def _scan(path: Path, book: zipfile.ZipFile, part: zipfile.ZipInfo, sheet: bool) -> None:
    """Count rows, look for far columns and long texts in the raw XML, chunk by chunk, with bytes
    methods that run in C: a 60 MB sheet takes about a second. A chunk is scanned up to its last
    "<", the rest is carried over, so a tag is never split; a text run is checked in windows of
    MAX_CELL_CHARS bytes, so one too long is found before the carry could grow. (The exact
    length of every cell is checked again as the rows are read: RowLimits.)"""
    rows = 0
    carry = b""
    with book.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buf = carry + chunk
            if (run := _long_text(buf)) is not None:
                where = f"一张工作表第{rows + _rows_in(buf[:run])}行" if sheet else "共享字符串中"
                raise _refused(path, f"{where}有一格超过 {MAX_CELL_CHARS} 个字")
            if not chunk:
                return
            cut = buf.rfind(b"<")
            scanned, carry = (buf[:cut], buf[cut:]) if cut > 0 else (buf, b"")
            if sheet:
                rows += _rows_in(scanned)
                if rows > MAX_ROWS:
                    raise _refused(path, f"一张工作表超过 {MAX_ROWS} 行")
                if far := _FAR_COLUMN.search(scanned):
                    raise _refused(path, f"单元格 {far.group(1).decode()} 超过 {MAX_COLUMNS} 列")


def _rows_in(data: bytes) -> int:
    return sum(data.count(b"%srow%s" % (start, end)) for start in (b"<", b":") for end in (b" ", b">"))


def _long_text(buf: bytes) -> int | None:
    """Where a text (between two tags) longer than MAX_CELL_CHARS characters starts, or None."""
    step = MAX_CELL_CHARS
    for i in range(0, len(buf), step):
        if b"<" in buf[i:i + step] or len(buf) - i < step:
            continue
        start = buf.rfind(b"<", 0, i) + 1
        end = buf.find(b"<", i)
        text = buf[start:end if end >= 0 else len(buf)]
        if len(text.decode("utf-8", "replace")) > MAX_CELL_CHARS:
            return start
    return None


def _beyond(limit: int) -> bytes:
    """A pattern for column letters past column `limit` (26 < limit < 702): any three letters, or
    two letters after the limit's (200 → GR: GS…GZ, HA…ZZ)."""
    first, second = divmod(limit - 1, 26)  # GR: G = 7th, R = 18th
    a, b = chr(64 + first), chr(65 + second)
    parts = [b"[A-Z]{3}"]
    if a < "Z":
        parts.append(b"[%s-Z][A-Z]" % chr(ord(a) + 1).encode())
    if b < "Z":
        parts.append(b"%s[%s-Z]" % (a.encode(), chr(ord(b) + 1).encode()))
    return b"|".join(parts)


_FAR_COLUMN = re.compile(rb'\sr="((?:%s)\d+)"' % _beyond(MAX_COLUMNS))


def _column(ref: str) -> int:
    """Column number of a cell reference ("AB12" → 28); 0 when there is none."""
    number = 0
    for ch in ref:
        if not ("A" <= ch <= "Z"):
            break
        number = number * 26 + ord(ch) - 64
    return number
