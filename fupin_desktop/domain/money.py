"""Money as people read and type it. Amounts are integer fen; the text is exact (integer
arithmetic, never a float), so a printout, a form and a message show the same figure.

Three ways to show an amount, each for its place:
- `yuan`: two decimals always (12,345.60): tables of money, forms (what `parse_yuan` reads back);
- `yuan_brief`: decimals only where there are fen (1,500 / 1,234.56): printouts and rule messages;
- `yuan_whole`: rounded to whole yuan (1,235): incomes against a poverty line, loans in a list.
`None` (not recorded) shows as "". The callers add "元" where their sentence wants it.
"""

from decimal import Decimal, InvalidOperation

from fupin_desktop.errors import InputError


def yuan(fen: int | None, *, grouping: bool = True) -> str:
    """1234560 → '12,345.60' ('12345.60' without grouping, as an edit field shows it)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}" if grouping else f"{sign}{whole}.{cents:02d}"


def yuan_brief(fen: int | None) -> str:
    """150000 → '1,500'; 123456 → '1,234.56'."""
    return yuan(fen).removesuffix(".00")


def yuan_whole(fen: int | None) -> str:
    """123456 → '1,235' (half to even, as the figures always were)."""
    if fen is None:
        return ""
    whole, cents = divmod(abs(fen), 100)
    if cents > 50 or (cents == 50 and whole % 2):
        whole += 1
    return f"{'-' if fen < 0 and whole else ''}{whole:,}"


def rate(basis_points: int) -> str:
    """435 → '4.35%' (loan and subsidy rates are stored in basis points)."""
    whole, rest = divmod(abs(basis_points), 100)
    return f"{'-' if basis_points < 0 else ''}{whole}.{rest:02d}%"


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def parse_yuan(text: str) -> int:
    """Yuan as people type them → fen. '52000' / '52,000.5' / '5.2万' / '５２０００元'.

    Raises InputError with a Chinese message.
    """
    s = text.strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "").removesuffix("元")
    factor = Decimal(1)
    if s.endswith("万"):
        s, factor = s[:-1], Decimal(10000)
    try:
        value = Decimal(s) * factor
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InputError(f"金额“{text.strip()}”不是数字，请填写元数，如 52000 或 5.2万")
    if value < 0:
        raise InputError("金额不能为负数")
    fen = value * 100
    if fen != fen.to_integral_value():
        raise InputError("金额最多精确到分（两位小数）")
    if fen >= 10**14:
        raise InputError("金额过大，请检查单位（元）")
    return int(fen)
