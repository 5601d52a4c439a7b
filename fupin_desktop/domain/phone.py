"""Chinese telephone numbers: 11-digit mobiles and landlines with area code."""

import re

from fupin_desktop.errors import InputError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$")


def normalize(text: str) -> str:
    table = str.maketrans("０１２３４５６７８９－", "0123456789-")
    s = text.strip().translate(table).replace(" ", "")
    return s[3:] if s.startswith("+86") else s


def validate(text: str) -> str:
    """Return the normalized number or raise InputError with a Chinese message."""
    number = normalize(text)
    if _MOBILE.match(number) or _LANDLINE.match(number):
        return number
    if number.isdigit() and number.startswith("1"):
        raise InputError(f"手机号应为以1开头的11位数字，现为{len(number)}位")
    raise InputError("电话号码格式不正确：手机号为11位，固定电话请带区号，如0371-64561234")


def mask(number: str) -> str:
    return number[:3] + "****" + number[-4:] if len(number) >= 11 else number
