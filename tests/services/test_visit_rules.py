"""Due visits follow the rules at their boundaries: 2 a month by the household's own 帮扶责任人."""

from datetime import date

import pytest

from fupin_desktop.domain.visits import VisitRule, nth_visit_due, period_bounds, visit_due
from fupin_desktop.errors import ValidationError
from fupin_desktop.services.due import due_items
from fupin_desktop.services.ledger import LedgerForm, save_ledger_item
from fupin_desktop.services.visits import (
    VisitForm,
    due_visits,
    record_visit,
    saturday_list,
    save_visit_rules,
    visit_rules,
)

TWICE = VisitRule("每月2次", 2, "月")


def test_the_month_is_split_evenly():
    assert nth_visit_due(date(2026, 12, 1), date(2026, 12, 31), 2, 1) == date(2026, 12, 16)
    assert nth_visit_due(date(2026, 12, 1), date(2026, 12, 31), 2, 2) == date(2026, 12, 31)
    assert nth_visit_due(date(2026, 11, 1), date(2026, 11, 30), 2, 1) == date(2026, 11, 15)
    assert nth_visit_due(date(2026, 2, 1), date(2026, 2, 28), 1, 1) == date(2026, 2, 28)
    assert period_bounds(date(2026, 12, 2), "周") == (date(2026, 11, 30), date(2026, 12, 6))
    assert period_bounds(date(2026, 11, 2), "季度") == (date(2026, 10, 1), date(2026, 12, 31))


@pytest.mark.parametrize(("today", "done", "due", "overdue"), [
    (date(2026, 12, 1), 0, date(2026, 12, 16), False),
    (date(2026, 12, 16), 0, date(2026, 12, 16), False),  # due today is not yet overdue
    (date(2026, 12, 17), 0, date(2026, 12, 16), True),
    (date(2026, 12, 17), 1, date(2026, 12, 31), False),
    (date(2027, 1, 1), 0, date(2027, 1, 16), False),  # a new month starts afresh
])
def test_visit_due_at_the_boundaries(today, done, due, overdue):
    d = visit_due(TWICE, done, today)
    assert (d.due, d.overdue, d.done) == (due, overdue, done)


def test_enough_visits_means_nothing_is_due():
    assert visit_due(TWICE, 2, date(2026, 12, 20)) is None


def visit(db, village, day, visitors):
    with db.transaction() as s:
        record_visit(s, None, VisitForm(village.poor, day, "帮扶责任人入户", visitors), today=day)


def test_only_the_households_own_helper_counts(db, village):
    with db.reading() as s:
        rows = due_visits(s, date(2026, 12, 17))
    assert [(r.number, r.helper, r.overdue) for r in rows] == [("001", "王建军", True)]  # 一般农户 002 not covered
    visit(db, village, date(2026, 12, 3), [village.secretary])  # the first secretary alone: does not count
    with db.reading() as s:
        assert due_visits(s, date(2026, 12, 17))[0].done == 0
    visit(db, village, date(2026, 12, 10), [village.helper, village.secretary])
    with db.reading() as s:
        row = due_visits(s, date(2026, 12, 17))[0]
        assert (row.done, row.due, row.overdue) == (1, date(2026, 12, 31), False)
    visit(db, village, date(2026, 12, 20), [village.helper])
    with db.reading() as s:
        assert due_visits(s, date(2026, 12, 21)) == []
        assert due_visits(s, date(2027, 1, 2))[0].due == date(2027, 1, 16)


def test_the_home_page_groups_overdue_visits_by_helper(db, village):
    with db.reading() as s:
        items = [i for i in due_items(s, date(2026, 12, 17)) if i.kind == "走访"]
    assert [(i.title, i.overdue(date(2026, 12, 17))) for i in items] == [
        ("王建军：1户走访逾期（帮扶责任人每月入户2次）", True)]


def test_an_agreed_next_visit_is_due_on_its_day(db, village):
    save_rules = [VisitRule("一般农户每季度1次", 1, "季度", ("一般农户",), by_helper=False)]
    with db.transaction() as s:
        save_visit_rules(s, save_rules)
        record_visit(s, None, VisitForm(village.general, date(2026, 12, 1), "两委走访", [village.member],
                                        next_due=date(2026, 12, 8)), today=date(2026, 12, 1))
        assert visit_rules(s) == save_rules
    with db.reading() as s:
        assert due_visits(s, date(2026, 12, 7)) == []
        [row] = due_visits(s, date(2026, 12, 8))
        assert (row.number, row.reason, row.due, row.overdue) == ("002", "上次走访约定", date(2026, 12, 8), False)


def test_rules_are_checked(db, village):
    with pytest.raises(ValidationError, match="次数应为1到31"), db.transaction() as s:
        save_visit_rules(s, [VisitRule("x", 0, "月")])
    with pytest.raises(ValidationError, match="周期"), db.transaction() as s:
        save_visit_rules(s, [VisitRule("x", 1, "年")])


def test_the_saturday_list_puts_open_problems_first(db, village):
    with db.transaction() as s:
        save_visit_rules(s, [VisitRule("所有户每月1次", 1, "月", by_helper=False)])
        save_ledger_item(s, None, LedgerForm("自查", "门前排水沟堵塞", "两不愁三保障", household_id=village.general,
                                             received_on=date(2026, 12, 1)), today=date(2026, 12, 2))
    with db.reading() as s:
        saturday, rows = saturday_list(s, date(2026, 12, 2))
    assert saturday == date(2026, 12, 5)
    assert [r.number for r in rows] == ["002", "001"]  # open problem beats 未脱贫
    assert rows[0].open_problems == 1
