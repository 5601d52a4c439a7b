"""Reading one cell: what people and Excel do to values, undone where it can be, reported where not.

Every reader takes the raw value openpyxl returns (str, int, float, bool, datetime, None) and
either returns a clean value or raises CellError with a Chinese message. Fixes worth telling the
user about (full-width digits, a lowercase x) come back as notes.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from fupin_desktop.domain import idcard


class Formula(str):
    """A cell that holds a formula (its text, "=A1+1"), as the sheet reader gives it: the importer
    refuses it rather than silently take the value some program last computed (or none)."""


def no_formula(value: object) -> None:
    if isinstance(value, Formula):
        shown = value if len(value) <= 30 else value[:30] + "…"
        raise CellError(f"单元格是公式（{shown}），不导入公式。请在 Excel/WPS 中把它改成文字或数值"
                        "（复制后“选择性粘贴→数值”）")


class CellError(ValueError):
    """The cell cannot be read; the message says why, in Chinese."""


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060"), None)
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_FULL_WIDTH_DIGITS = re.compile("[０-９]")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_YEAR_TEXT = re.compile(r"^(\d{4})\s*年?(度)?$")
MAX_EXACT_FLOAT = 2**53  # integers up to here survive a double, so Excel kept every digit

_TRUE = frozenset({"是", "有", "√", "✓", "✔", "y", "yes", "true", "1", "参加", "已参加", "享受", "已享受"})
_FALSE = frozenset({"否", "无", "×", "✗", "✘", "n", "no", "false", "0", "未参加", "不享受", "未享受"})


def text(value: object) -> str:
    """Any cell as trimmed text; numbers without a spurious '.0'; '' for an empty cell."""
    if value is None:
        return ""
    if type(value) is str:
        trimmed = value.strip()
        # the common case; isprintable() is False for tabs, line breaks, U+3000, NBSP, zero-width marks
        if trimmed.isprintable() and "  " not in trimmed:
            return trimmed
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < MAX_EXACT_FLOAT:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _SPACES.sub(" ", str(value).translate(_INVISIBLE)).strip()


def name(value: object) -> str:
    """A person's name: rosters pad two-character names to line up ("张  三"), so the gaps go."""
    return _CJK_GAP.sub("", text(value))


def half_width(value: str) -> str:
    """Full-width digits, letters and brackets as people type them with a Chinese input method."""
    return unicodedata.normalize("NFKC", value)


def number(value: object) -> str:
    """户编号: text, full-width digits made half-width, spaces removed."""
    no_formula(value)
    return half_width(text(value)).replace(" ", "")


@dataclass(frozen=True)
class IdCell:
    """An ID-number cell: the text to validate and the fixes made to get it."""

    text: str
    notes: tuple[str, ...] = ()


def id_number(value: object) -> IdCell:
    """The ID number as text, or CellError when Excel has already lost digits of it.

    Excel keeps 15 significant digits of a number, so an 18-digit ID number typed into a cell
    that is not formatted as text loses its last digits for good (shown as 4.10182E+17). An
    integer in the file is exact (some programs write all the digits), so it is accepted.
    """
    no_formula(value)
    if value is None:
        return IdCell("")
    if isinstance(value, bool):
        raise CellError("身份证号不能是“是/否”值")
    if isinstance(value, int):
        return IdCell(str(value), ("身份证号保存为数字格式，已按文本读取；建议把该列设为文本格式",))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < MAX_EXACT_FLOAT:
            return IdCell(str(int(value)), ("身份证号保存为数字格式，已按文本读取；建议把该列设为文本格式",))
        raise CellError(_lost_digits(f"{value:.5E}"))  # as Excel shows it: 4.10182E+17
    raw = str(value).translate(_INVISIBLE)
    stripped = _SPACES.sub("", raw)
    if _SCIENTIFIC.match(stripped):
        raise CellError(_lost_digits(stripped))
    notes = []
    if _FULL_WIDTH_DIGITS.search(raw) or "ｘ" in raw or "Ｘ" in raw:
        notes.append("全角数字或字母已转为半角")
    if stripped.endswith(("x", "ｘ")):
        notes.append("末位小写x已改为大写X")
    if stripped != raw:
        notes.append("已去掉身份证号中的空格")
    return IdCell(idcard.normalize(stripped), tuple(notes))


def _lost_digits(shown: str) -> str:
    return (f"身份证号被 Excel 存成了数字（{shown}），后几位数字已经丢失，无法恢复。"
            "请在原表中把该列设为“文本”格式，重新录入完整的18位号码")


def optional(value: object) -> str | None:
    return text(value) or None


def integer(value: object, label: str) -> int | None:
    raw = half_width(text(value))
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise CellError(f"{label}“{raw}”不是整数") from None


def year(value: object, label: str) -> int | None:
    raw = half_width(text(value))
    if not raw:
        return None
    found = _YEAR_TEXT.match(raw)
    if found is None or not 1949 <= int(found.group(1)) <= 2100:
        raise CellError(f"{label}“{raw}”不是年份，请填写4位年份，如2016")
    return int(found.group(1))


def day(value: object, label: str) -> date | None:
    """Dates as Excel dates or as text: 1980-01-01, 1980/1/1, 1980.01.01, 19800101, 1980年1月1日."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = half_width(text(value))
    if isinstance(value, float | int) and not _DATE_DIGITS.match(raw):
        raise CellError(f"{label}“{raw}”不是日期，请填写如 1980-01-01 的日期")
    found = _DATE_TEXT.match(raw) or _DATE_DIGITS.match(raw)
    if found is None:
        raise CellError(f"{label}“{raw}”无法识别，请填写如 1980-01-01 的日期")
    try:
        return date(*map(int, found.groups()))
    except ValueError:
        raise CellError(f"{label}“{raw}”不是存在的日期") from None


def month(value: object, label: str) -> tuple[int, int] | None:
    """A year and month only ("1980年1月", "1980.01"), as some rosters give dates of birth."""
    raw = half_width(text(value))
    found = _MONTH_TEXT.match(raw) if isinstance(value, str) else None
    if found is None:
        return None
    y, m = map(int, found.groups())
    if not 1 <= m <= 12:
        raise CellError(f"{label}“{raw}”不是存在的月份")
    return y, m


def flag(value: object, label: str) -> bool | None:
    raw = half_width(text(value)).lower()
    if not raw:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(f"{label}“{text(value)}”无法识别，请填写“是”或“否”")


def words(value: object) -> list[str]:
    """Several values in one cell: 低保户、残疾人家庭 / 因病,因残."""
    return [w for w in _SEPARATORS.split(half_width(text(value))) if w]


def choice_key(value: str) -> str:
    """What two spellings of a vocabulary word share: no spaces, brackets of either width."""
    return re.sub(r"[\s()（）]", "", half_width(value))

