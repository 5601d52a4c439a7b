"""驻村考勤: days per cadre, filed leave, monthly days in the village."""

from datetime import date

import pytest

from fupin_desktop.errors import ValidationError
from fupin_desktop.services.presence import (
    LeaveForm,
    cancel_leave,
    leave_records,
    month_presence,
    record_leave,
    set_presence,
)

TODAY = date(2026, 11, 30)


def days(*numbers):
    return [date(2026, 11, n) for n in numbers]


def test_monthly_days_in_village_per_cadre(db, village):
    with db.transaction() as s:
        set_presence(s, village.secretary, days(*range(1, 21)), "在村", today=TODAY)
        set_presence(s, village.secretary, days(21, 22), "公务外出", note="县里培训", today=TODAY)
        set_presence(s, village.secretary, days(23), "休息", today=TODAY)
        record_leave(s, village.secretary, LeaveForm("事假", date(2026, 11, 24), date(2026, 11, 26), "家中有事",
                                                    filed_with="汜水镇党委组织办"), today=TODAY)
        set_presence(s, village.member, days(1, 2), "在村", today=TODAY)
    with db.reading() as s:
        month = month_presence(s, 2026, 11, today=TODAY)
    assert len(month.days) == 30
    by_name = {c.name: c for c in month.cadres}
    assert list(by_name) == ["李明", "赵敏"]  # the resident team, 第一书记 first; 帮扶责任人 are not in it
    li = by_name["李明"]
    assert (li.in_village, li.on_business, li.rest, li.on_leave, li.unrecorded) == (20, 2, 1, 3, 4)
    assert li.states[date(2026, 11, 25)] == "请假(备案)"
    assert by_name["赵敏"].unrecorded == 28


def test_leave_must_be_filed_and_its_days_are_protected(db, village):
    with pytest.raises(ValidationError, match="请假须备案"), db.transaction() as s:
        set_presence(s, village.secretary, days(3), "请假(备案)", today=TODAY)
    with pytest.raises(ValidationError, match="备案单位"), db.transaction() as s:
        record_leave(s, village.secretary, LeaveForm("病假", date(2026, 12, 1), date(2026, 12, 2)), today=TODAY)
    with db.transaction() as s:  # filed ahead: allowed
        leave = record_leave(s, village.secretary, LeaveForm("病假", date(2026, 12, 1), date(2026, 12, 2),
                                                             filed_with="镇党委"), today=TODAY)
    with pytest.raises(ValidationError, match="已在另一次请假中"), db.transaction() as s:
        record_leave(s, village.secretary, LeaveForm("事假", date(2026, 12, 2), date(2026, 12, 3),
                                                     filed_with="镇党委"), today=TODAY)
    with pytest.raises(ValidationError, match="还没到"), db.transaction() as s:
        set_presence(s, village.secretary, [date(2026, 12, 1)], "在村", today=TODAY)
    with db.reading() as s:
        assert [(r.cadre, r.days) for r in leave_records(s, year=2026)] == [("李明", 2)]
    with db.transaction() as s:
        cancel_leave(s, leave)
    with db.reading() as s:
        assert leave_records(s) == [] and month_presence(s, 2026, 12, today=date(2026, 12, 2)).cadres[0].on_leave == 0


def test_clearing_a_day(db, village):
    with db.transaction() as s:
        set_presence(s, village.member, days(5), "在村", today=TODAY)
        assert set_presence(s, village.member, days(5), None, today=TODAY) == 1
    with db.reading() as s:
        assert month_presence(s, 2026, 11, today=TODAY).cadres[1].in_village == 0
