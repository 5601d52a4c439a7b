"""Amounts shown and typed: exact in fen, one family of formats for the whole program."""

import pytest

from fupin_desktop.domain.money import parse_yuan, rate, yuan, yuan_brief, yuan_whole
from fupin_desktop.errors import FupinError, InputError


def test_yuan_shows_fen_exactly():
    assert yuan(0) == "0.00"
    assert yuan(1234567) == "12,345.67"
    assert yuan(-5) == "-0.05"
    assert yuan(123456789012) == "1,234,567,890.12"  # no float on the way
    assert yuan(5_200_050, grouping=False) == "52000.50"
    assert yuan(None) == ""


def test_brief_drops_only_zero_fen():
    assert [yuan_brief(f) for f in (150_000, 123_456, 10, None)] == ["1,500", "1,234.56", "0.10", ""]


def test_whole_rounds_half_to_even_as_the_figures_always_did():
    assert [yuan_whole(f) for f in (123_456, 250, 350, 249, 1_000_000, None)] == ["1,235", "2", "4", "2", "10,000", ""]
    for fen in range(-1000, 100_000, 7):  # the same text as the float formatting it replaces ("-0" aside)
        assert yuan_whole(fen) == f"{fen / 100:,.0f}".removeprefix("-0").rjust(1, "0")


def test_rate_in_basis_points():
    assert (rate(435), rate(0), rate(1200)) == ("4.35%", "0.00%", "12.00%")


@pytest.mark.parametrize(("text", "fen"), [("52000", 5_200_000), ("52,000.5", 5_200_050), ("5.2万", 5_200_000),
                                           ("５２０００元", 5_200_000), ("0", 0)])
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen
    assert parse_yuan(yuan(fen)) == fen
    assert parse_yuan(yuan(fen, grouping=False)) == fen


@pytest.mark.parametrize(("text", "message"), [("", "不是数字"), ("1.234", "精确到分"), ("-1", "负数"),
                                               ("NaN", "不是数字"), ("1e20", "过大")])
def test_parse_yuan_refuses_with_a_user_message_not_a_bug(text, message):
    with pytest.raises(InputError, match=message) as e:
        parse_yuan(text)
    assert isinstance(e.value, FupinError) and not isinstance(e.value, ValueError)
