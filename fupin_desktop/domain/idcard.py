"""居民身份证号码 (GB 11643-1999): 18 characters, the last a MOD 11-2 check digit (0-9 or X)."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from fupin_desktop.domain import clock

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")
# Province-level codes in use (the first two digits).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
EARLIEST_BIRTH = date(1890, 1, 1)


class IdNumberError(ValueError):
    """The ID number is wrong; the message says how, in Chinese."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    region: str
    birth_date: date
    sex: str  # "男" / "女"

    def age_on(self, day: date) -> int:
        """Full years of age on `day`."""
        return age_on(self.birth_date, day)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


_HALF_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


def normalize(text: str) -> str:
    """Strip spaces and full-width characters people type or paste from Excel."""
    return text.strip().replace(" ", "").translate(_HALF_WIDTH).upper()


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def parse(text: str, *, today: date | None = None) -> IdNumber:
    """Validate an 18-digit ID number and derive region, birth date and sex.

    Raises IdNumberError with a Chinese message naming the problem.
    """
    return _parse(normalize(text), today or clock.today())


@lru_cache(maxsize=65536)  # a roster import reads each number three times (cell, rules, row)
def _parse(number: str, today: date) -> IdNumber:
    if not number:
        raise IdNumberError("身份证号不能为空")
    if len(number) != 18:
        raise IdNumberError(f"身份证号应为18位，现为{len(number)}位")
    if not _SHAPE.match(number):
        raise IdNumberError("身份证号前17位应为数字，最后一位为数字或X")
    if number[:2] not in _PROVINCES:
        raise IdNumberError(f"身份证号前两位“{number[:2]}”不是有效的省级行政区划代码")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期“{number[6:14]}”不存在") from None
    if not EARLIEST_BIRTH <= birth <= today:
        raise IdNumberError(f"身份证号中的出生日期{birth.isoformat()}不合理")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise IdNumberError(f"身份证号校验码错误：最后一位应为“{expected}”，请核对是否输错")
    sex = "男" if int(number[16]) % 2 else "女"
    return IdNumber(number=number, region=number[:6], birth_date=birth, sex=sex)


def make(region: str, birth: date, sequence: int, sex: str) -> str:
    """Build a valid number (used by the demo village): sequence 0-99 plus a sex digit."""
    sex_digit = (sequence % 5) * 2 + (1 if sex == "男" else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence // 5 % 100:02d}{sex_digit}"
    return first17 + check_digit(first17)


def mask(number: str) -> str:
    """Public printouts show only the region and the last four characters."""
    return number[:6] + "*" * 8 + number[-4:] if len(number) == 18 else number
