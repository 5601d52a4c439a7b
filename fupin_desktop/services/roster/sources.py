"""The other two forms a roster comes in: Excel 97–2003 (.xls, as WPS saves it) and text (.csv).

Both are judged by their first bytes, never by the file's name (reader.kind). An .xls is read with
python-calamine; a .csv is decoded as UTF-8 (with or without a BOM), UTF-16 (WPS's "Unicode 文本")
or GB18030 (a superset of GBK, what Chinese Windows writes), separated by commas, tabs or
semicolons, whichever the first lines use. The .xlsx path stays on openpyxl (reader.py), which
streams the sheet's XML, so the size limits can stop a zip bomb while it inflates; calamine
would inflate the whole sheet first.

Each sheet is a `SheetSource`: rows as value tuples from row 1 (an empty row as ()), read lazily.
"""

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import python_calamine

from fupin_desktop.services.roster.results import RosterFileError

SNIFF_LINES = 10
_SEPARATORS = (",", "\t", ";", "，")


@dataclass(frozen=True)
class SheetSource:
    """One sheet: its name, whether it is shown, its size as the file says, and its rows."""

    title: str
    visible: bool
    total: int  # rows as the file claims (progress only)
    rows: Callable[[], Iterator[tuple[Any, ...]]]


# -- .xls ----------------------------------------------------------------------------------------------


def xls_sheets(path: Path, handle: IO[bytes]) -> list[SheetSource]:
    """The worksheets of an Excel 97–2003 file (a password-protected or damaged one is refused)."""
    head = handle.read(1 << 16)
    handle.seek(0)
    if "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head:
        raise RosterFileError(_locked(path))
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(handle)
        sheets = [m for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    except python_calamine.PasswordError as e:
        raise RosterFileError(_locked(path)) from e
    except (python_calamine.CalamineError, ValueError, OSError) as e:
        raise _damaged_xls(path, e) from e
    return [SheetSource(m.name, m.visible == python_calamine.SheetVisibleEnum.Visible, 0,
                        _xls_rows(path, book, m.name)) for m in sheets]


def _xls_rows(path: Path, book: Any, name: str) -> Callable[[], Iterator[tuple[Any, ...]]]:
    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            sheet = book.get_sheet_by_name(name)
            top, left = sheet.start or (0, 0)
            source = sheet.iter_rows()
        except (python_calamine.CalamineError, ValueError) as e:
            raise _damaged_xls(path, e) from e
        yield from (() for _ in range(top))  # calamine starts at the first used row and column
        pad = (None,) * left
        for row in source:
            yield pad + tuple(None if v == "" else v for v in row)
    return rows


def _locked(path: Path) -> str:
    return (f"文件 {path.name} 设有打开密码，无法读取。请在 Excel 或 WPS 中打开，取消密码（“文件 → 信息 → 保护工作簿”"
            "或“文件 → 文档加密”）后保存，再导入。")


def _damaged_xls(path: Path, e: BaseException) -> RosterFileError:
    return RosterFileError(f"文件 {path.name} 看起来是旧版 Excel（.xls）或 WPS 表格，"
                           f"但无法读取（已损坏、不完整或设有密码：{e}）。"
                           "请在 Excel 或 WPS 中打开并“另存为” .xlsx 后重试。")


# -- .csv ----------------------------------------------------------------------------------------------


def csv_sheet(path: Path, handle: IO[bytes]) -> SheetSource:
    """A text file as one sheet named after the file."""
    head = handle.read(1 << 16)
    handle.seek(0)
    encoding = text_encoding(head)
    if encoding is None:
        raise RosterFileError(f"文件 {path.name} 不是 Excel 工作簿，也不是 CSV 文本文件，无法导入。"
                              "请选择花名册的 .xlsx、.xls 或 .csv 文件。")
    separator = _separator(head, encoding)

    def rows() -> Iterator[tuple[Any, ...]]:
        text = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text, delimiter=separator)
        try:
            for row in reader:
                yield tuple(v if v.strip() else None for v in row)
        except UnicodeDecodeError as e:
            raise RosterFileError(f"文件 {path.name} 第{reader.line_num + 1}行附近有无法识别的字符"
                                  f"（按{_shown(encoding)}读取）。"
                                  "请在 Excel 或 WPS 中打开，“另存为” .xlsx 后再导入。") from e
        except csv.Error as e:
            raise RosterFileError(f"文件 {path.name} 第{reader.line_num}行的格式有误（{e}），例如引号没有成对。"
                                  "请在 Excel 或 WPS 中打开，“另存为” .xlsx 后再导入。") from e
        finally:
            text.detach()
    return SheetSource(path.stem, True, 0, rows)


def text_encoding(head: bytes) -> str | None:
    """The encoding of a text file from its first bytes, or None when it is not text."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:  # the sample may end inside a character: decode it as an unfinished stream
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _separator(head: bytes, encoding: str) -> str:
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    lines = [line for line in text.splitlines()[:SNIFF_LINES] if line.strip()]
    return max(_SEPARATORS, key=lambda s: max((line.count(s) for line in lines), default=0))


def _shown(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GBK/GB18030"}[encoding]
