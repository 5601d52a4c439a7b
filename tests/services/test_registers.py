"""易地扶贫搬迁 and 扶贫小额信贷 registers: the rules refuse bad input whole, deadlines become due items."""

from datetime import date

import pytest

from fupin_desktop.domain.registers import LoanForm, RelocationForm, add_months
from fupin_desktop.errors import ValidationError
from fupin_desktop.services import loans, relocation
from fupin_desktop.services.due import due_items
from tests.services.test_exits import poor_household

TODAY = date(2025, 12, 1)


def test_add_months_keeps_the_day_or_the_month_end() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 3, 15), 3) == date(2025, 6, 15)


def test_relocation_area_cap_and_deadlines(db) -> None:  # type: ignore[no-untyped-def]
    form = RelocationForm(site="雨露社区", house_area_m2=60, members_moved=2, batch_year=2025,
                          moved_on=date(2025, 7, 1))
    with db.transaction() as s:
        hid = poor_household(s)
        with pytest.raises(ValidationError, match="超过上限50平方米.*人均不超过25平方米 × 2人"):
            relocation.save_relocation(s, hid, form, today=TODAY)
        with pytest.raises(ValidationError, match="搬迁人数应在1到2人"):
            relocation.save_relocation(s, hid, form.__class__(**{**form.__dict__, "members_moved": 3}), today=TODAY)
        with pytest.raises(ValidationError, match="入住后3—6个月内"):
            relocation.save_relocation(s, hid, form.__class__(**{**form.__dict__, "house_area_m2": 50,
                                                                 "demolish_due": date(2026, 3, 1)}), today=TODAY)
        assert relocation.list_relocations(s) == []  # nothing saved by the refusals
        relocation.save_relocation(s, hid, form.__class__(**{**form.__dict__, "house_area_m2": 50}), today=TODAY)
        (row,) = relocation.list_relocations(s)
    assert row.form.demolish_due == date(2026, 1, 1) and row.form.deed_due == date(2026, 1, 1)
    assert row.open_tasks == ("拆旧复垦", "交回宅基证") and row.head_name == "张建国"
    with db.reading() as s:
        assert [i for i in due_items(s, TODAY) if i.kind == "易地搬迁"] == []  # 31 days ahead: not yet shown
        due = [i for i in due_items(s, date(2025, 12, 5)) if i.kind == "易地搬迁"]
    assert [i.due for i in due] == [date(2026, 1, 1)] * 2 and "旧房须拆除复垦" in due[0].title
    with db.transaction() as s:
        relocation.save_relocation(s, hid, RelocationForm(
            site="雨露社区", house_area_m2=50, members_moved=2, moved_on=date(2025, 7, 1),
            demolished_on=date(2025, 11, 20), deed_surrendered_on=date(2025, 11, 25)), today=TODAY)
        assert [i for i in due_items(s, date(2025, 12, 5)) if i.kind == "易地搬迁"] == []
        assert len(relocation.list_relocations(s)) == 1  # replaced, not added


def _loan(**kw) -> LoanForm:  # type: ignore[no-untyped-def]
    values = dict(borrower="张建国", bank="荥阳农商银行", amount_fen=5_000_000, term_months=36, rate_bp=435,
                  subsidy_bp=435, lent_on=date(2023, 2, 10), use="养牛")
    return LoanForm(**{**values, **kw})


def test_loan_rules_refuse_with_the_rule(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = poor_household(s)
        with pytest.raises(ValidationError, match="超过扶贫小额信贷上限5万元"):
            loans.save_loan(s, hid, _loan(amount_fen=5_000_100), today=TODAY)
        with pytest.raises(ValidationError, match="贷款期限48个月不符合"):
            loans.save_loan(s, hid, _loan(term_months=48), today=TODAY)
        with pytest.raises(ValidationError, match="借款人“王五”不是本户成员"):
            loans.save_loan(s, hid, _loan(borrower="王五"), today=TODAY)
        with pytest.raises(ValidationError, match="贴息利率不能高于"):
            loans.save_loan(s, hid, _loan(subsidy_bp=500), today=TODAY)
        assert loans.list_loans(s, today=TODAY) == []


def test_loans_due_within_90_days_and_follow_up(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = poor_household(s)
        soon = loans.save_loan(s, hid, _loan(), today=TODAY)  # due 2026-02-10: within 90 days
        loans.save_loan(s, hid, _loan(lent_on=date(2025, 6, 1), amount_fen=2_000_000, term_months=24,
                                      followed_up_on=date(2025, 11, 1)), today=TODAY)
        due = loans.list_loans(s, due_within=90, today=TODAY)
        assert [r.form.due_on for r in due] == [date(2026, 2, 10)] and due[0].days_left(TODAY) == 71
        titles = [i.title for i in due_items(s, TODAY) if i.kind == "小额信贷"]
        assert titles == ["0001 张建国：荥阳农商银行贷款50,000元到期", "1笔贷款超过一个季度未做贷后跟踪调查"]
        loans.record_follow_up(s, soon, date(2025, 11, 30), "牛已出栏3头，按期付息", today=TODAY)
        loans.record_repaid(s, soon, date(2025, 11, 30), today=TODAY)
        assert [i for i in due_items(s, TODAY) if i.kind == "小额信贷"] == []
        with pytest.raises(ValidationError, match="还款日期应在放贷日期"):
            loans.record_repaid(s, soon, date(2026, 1, 1), today=TODAY)
        (row,) = [r for r in loans.list_loans(s, today=TODAY) if r.id == soon]
    assert row.form.repaid_on == date(2025, 11, 30) and "牛已出栏3头" in row.form.note


def test_a_loan_links_to_the_plans_microcredit_measure(db) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.services import plans
    from tests.services.test_plans import add_household, measures_for

    with db.transaction() as s:
        hid = add_household(s)
        pid = plans.create_plan(s, hid, 2025, today=TODAY)
        plans.save_plan(s, pid, plans.PlanHeader(), [m.__class__(**{**m.__dict__, "deadline": date(2025, 11, 30),
                                                                     "planned_start": date(2025, 3, 1)})
                                                     for m in measures_for(s, hid)], today=TODAY)
        loans.save_loan(s, hid, _loan(lent_on=date(2025, 4, 1)), today=TODAY)
        (row,) = loans.list_loans(s, today=TODAY)
    assert row.measure == "2025年 扶贫小额信贷" and row.form.measure_id is not None
