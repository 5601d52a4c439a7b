from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin_desktop.domain import idcard

TODAY = date(2026, 11, 22)


def test_known_valid_number_with_x_check_digit():
    # 11010519491231002X is the GB 11643 standard's own example.
    info = idcard.parse("11010519491231002x", today=TODAY)
    assert info.number == "11010519491231002X"
    assert info.birth_date == date(1949, 12, 31)
    assert info.sex == "女"
    assert info.age_on(TODAY) == 76


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "不能为空"),
        ("41018219680304015", "应为18位，现为17位"),
        ("41018219680304015A", "最后一位为数字或X"),
        ("990182196803040158", "省级行政区划代码"),
        ("410182196802300158", "出生日期“19680230”不存在"),
        ("410182203001010158", "不合理"),
        ("410182196803040157", "最后一位应为“8”"),
    ],
)
def test_invalid_numbers_name_the_problem(text, message):
    with pytest.raises(idcard.IdNumberError, match=message):
        idcard.parse(text, today=TODAY)


def test_fullwidth_and_spaces_are_normalized():
    assert idcard.parse(" ４１０１８２１９６８０３０４０１５８ ", today=TODAY).number == "410182196803040158"


@given(birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY), seq=st.integers(0, 499),
       sex=st.sampled_from(["男", "女"]))
def test_made_numbers_parse_back(birth, seq, sex):
    number = idcard.make("410182", birth, seq, sex)
    info = idcard.parse(number, today=TODAY)
    assert (info.birth_date, info.sex, info.region) == (birth, sex, "410182")


@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_one_wrong_digit_is_always_caught(number):
    first17 = number[:17].replace("X", "0")
    good = first17 + idcard.check_digit(first17)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert idcard.check_digit(wrong[:17]) != wrong[17]


def test_mask_keeps_region_and_last_four():
    assert idcard.mask("410182196803040158") == "410182********0158"
