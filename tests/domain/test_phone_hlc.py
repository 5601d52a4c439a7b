import pytest

from fupin_desktop.domain import hlc, phone
from fupin_desktop.errors import InputError


@pytest.mark.parametrize("text", ["13812345678", "+86 138 1234 5678", "0371-64561234", "037164561234",
                                  "０３７１－６４５６１２３４"])
def test_valid_phone_numbers(text):
    assert phone.validate(text)


@pytest.mark.parametrize(("text", "message"), [("1381234567", "11位数字，现为10位"), ("12345", "11位数字，现为5位"),
                                               ("abc", "格式不正确"), ("0371-1234", "格式不正确")])
def test_invalid_phone_numbers(text, message):
    with pytest.raises(InputError, match=message):
        phone.validate(text)


def test_hlc_never_runs_backwards_when_the_wall_clock_does():
    a = hlc.tick(None, 1000, "n1")
    b = hlc.tick(a, 900, "n1")  # clock set back
    assert b > a and b.encode() > a.encode()


def test_hlc_moves_past_a_remote_clock_from_the_future():
    remote = hlc.Hlc(5000, 3, "n2")
    local = hlc.receive(hlc.tick(None, 1000, "n1"), remote, 1001, "n1")
    assert local > remote
    assert hlc.tick(local, 1002, "n1") > remote


def test_hlc_text_round_trips():
    c = hlc.Hlc(1795323972933, 7, "abc")
    assert hlc.Hlc.decode(c.encode()) == c


def test_hlc_bulk_ticks_match_single_ticks_and_survive_counter_overflow():
    last = hlc.Hlc(1000, hlc.MAX_COUNTER - 2, "n")
    bulk = hlc.ticks(last, 900, "n", 5)
    one, singles = last, []
    for _ in range(5):
        one = hlc.tick(one, 900, "n")
        singles.append(one.encode())
    assert bulk == singles == sorted(singles)
    assert hlc.Hlc.decode(bulk[-1]) == hlc.Hlc(1001, 2, "n")


def test_a_stretch_of_clock_values_set_aside_is_the_same_in_pieces_in_any_order():
    first = hlc.Hlc(1000, hlc.MAX_COUNTER - 3, "n")
    whole = hlc.ticks_at(first, range(9))
    assert hlc.ticks_at(first, [5, 6, 7, 8, 0, 2]) == whole[5:] + [whole[0], whole[2]]
    assert whole == sorted(whole) and hlc.Hlc.decode(whole[-1]) == hlc.later(first, 8) == hlc.Hlc(1001, 4, "n")
