"""防返贫监测: thresholds at the boundary, the case workflow, the five-lowest register."""

from datetime import date

import pytest

from fupin_desktop.db.models import HouseholdIncome
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.domain.monitoring import Signals, Thresholds, lowest, screen
from fupin_desktop.errors import ValidationError
from fupin_desktop.services import monitoring, plans
from fupin_desktop.services.households import get_household, save_household

TODAY = date(2026, 6, 15)
YEAR = 2025


def add(s, number: str, per_capita_yuan: int | None, *, status: str = "一般农户", group: str = "一组",  # type: ignore[no-untyped-def]
        job: str = "务农", grade: str | None = None, persons: int = 2):
    seq = int(number) * 5
    members = [MemberForm(name=f"户主{number}", id_number=idcard.make("410182", date(1970, 1, 1), seq, "男"),
                          relation="户主", labour_ability="有劳动能力", employment_status=job,
                          disability_category="肢体" if grade else None, disability_grade=grade)]
    if persons > 1:
        wife = idcard.make("410182", date(1972, 1, 1), seq + 1, "女")
        members.append(MemberForm(name=f"配偶{number}", id_number=wife,
                                  relation="配偶", labour_ability="弱劳动力或半劳动力", employment_status=job))
    form = HouseholdForm(number=number, status=status, group=group,
                         main_cause="07" if status != "一般农户" else None,
                         exit_year=2017 if status.startswith("已脱贫") else None,
                         identified_year=2014 if status.startswith("已脱贫") else None)
    hid = save_household(s, None, form, members, today=TODAY)
    if per_capita_yuan is not None:
        s.add(HouseholdIncome(household_id=hid, year=YEAR, persons=persons, wage_fen=per_capita_yuan * 100 * persons))
    return hid


def test_screen_income_boundary_is_strict() -> None:
    t = Thresholds(income_ratio_percent=150)
    at = Signals(per_capita_income_fen=600_000, line_fen=400_000)
    assert screen(at, t) == []  # exactly 1.5 × 4000 = 6000: not below
    assert screen(Signals(per_capita_income_fen=599_999, line_fen=400_000), t) == ["收入低于监测线"]
    assert screen(Signals(per_capita_income_fen=100, line_fen=None), t) == []  # no line: no income flag
    assert screen(Signals(None, 400_000, medical_spending_fen=2_000_000), t) == ["大额医疗支出"]
    assert screen(Signals(None, 400_000, medical_spending_fen=1_999_999), t) == []
    assert screen(Signals(None, None, severe_disability=True), Thresholds(flag_disability=False)) == []


def test_monitor_picks_the_right_households_at_the_boundary(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        plans.set_poverty_line(s, YEAR, 400_000, "河南省")
        below = add(s, "0001", 5999)
        at = add(s, "0002", 6000)
        add(s, "0003", 15000)
        poor = add(s, "0004", 2000, status="未脱贫")  # under assistance, not screened
        exited = add(s, "0005", 5000, status="已脱贫(享受政策)")
        jobless = add(s, "0006", 20000, job="未就业")
        disabled = add(s, "0007", 20000, grade="一级")
    with db.reading() as s:
        r = monitoring.monitor_report(s, YEAR, today=TODAY)
    assert r.line_fen == 400_000 and r.monitoring_line_fen == 600_000
    picked = {c.household_id: c for c in r.candidates}
    assert set(picked) == {below, exited, jobless, disabled}
    assert at not in picked and poor not in picked
    assert picked[exited].suggested_category == "脱贫不稳定户" and picked[below].suggested_category == "边缘易致贫户"
    assert picked[jobless].reasons == ("失业或务工中断",) and picked[disabled].reasons == ("重度残疾",)
    with db.transaction() as s:  # a stricter line (2×) picks the household at 6000 too
        monitoring.save_thresholds(s, Thresholds(income_ratio_percent=200))
    with db.reading() as s:
        assert at in {c.household_id for c in monitoring.monitor_report(s, YEAR, today=TODAY).candidates}
    with pytest.raises(ValidationError, match="倍"), db.transaction() as s:
        monitoring.save_thresholds(s, Thresholds(income_ratio_percent=50))


def test_case_workflow_and_confirmation_marks_the_household(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        plans.set_poverty_line(s, YEAR, 400_000, "河南省")
        hid = add(s, "0001", 5000)
        assert monitoring.register_candidates(s, YEAR, today=TODAY) == 1
    with db.reading() as s:
        r = monitoring.monitor_report(s, YEAR, today=TODAY)
    assert r.candidates == [] and [(c.household_id, c.status) for c in r.cases] == [(hid, "疑似")]
    case = r.cases[0].id
    with pytest.raises(ValidationError, match="不能改为“确认”"), db.transaction() as s:
        monitoring.advance_case(s, case, "确认", decided_by="村两委会议", category="边缘易致贫户", today=TODAY)
    with db.transaction() as s:
        monitoring.advance_case(s, case, "甄别中", today=TODAY)
    with pytest.raises(ValidationError, match="监测类别"), db.transaction() as s:
        monitoring.advance_case(s, case, "确认", decided_by="村两委会议", today=TODAY)
    with db.transaction() as s:
        monitoring.advance_case(s, case, "确认", decided_by="村两委会议", category="边缘易致贫户", today=TODAY)
    with db.reading() as s:
        c = monitoring.monitor_report(s, YEAR, today=TODAY).cases[0]
        h = get_household(s, hid, today=TODAY)
    assert (c.status, c.category, c.decided_by, c.decided_on, c.screened_on) == (
        "确认", "边缘易致贫户", "村两委会议", TODAY, TODAY)
    assert h.status == "边缘户" and "bianyuan" in h.attributes


def test_five_lowest_per_group(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        for i, income in enumerate([9000, 3000, 12000, 4000, 7000, 5000, 20000], start=1):
            add(s, f"{i:04d}", income)
        add(s, "0008", None)  # no income recorded
        add(s, "0009", 1000, group="二组")
    with db.reading() as s:
        groups = monitoring.five_lowest(s, YEAR, today=TODAY)
    one, two = groups
    assert one.group == "一组" and [r.per_capita_income_fen // 100 for r in one.households] == [
        3000, 4000, 5000, 7000, 9000]
    assert [r.rank for r in one.households] == [1, 2, 3, 4, 5] and one.without_income == 1
    assert two.group == "二组" and [r.household_number for r in two.households] == ["0009"]


# 五最低 of 一组 by the rule (domain.md §4.5, seed [002]): 2025 net income ÷ the persons of the 2025 income
# record; equal incomes share a rank and keep 户编号 order; a tie at the 5th place is kept whole (应纳尽纳).
# 0001 had 3 persons in 2025 (18000 yuan: 6000 each) and has 2 members now: by today's members it would be
# 9000 and fall off the register. (rank, number, persons, per capita yuan)
FIVE_LOWEST_ONE = [(1, "0002", 2, 3000), (2, "0003", 2, 4000), (2, "0004", 2, 4000), (4, "0005", 2, 5000),
                   (5, "0001", 3, 6000), (5, "0006", 2, 6000)]
FIVE_LOWEST_TWO = [(1, "0010", 2, 1000)]


def test_lowest_shares_ranks_and_keeps_the_tie_at_the_last_place() -> None:
    assert lowest([(5, "3", "c"), (1, "2", "b"), (1, "1", "a")], 2) == [(1, "a"), (1, "b")]
    assert lowest([(1, "1", "a"), (2, "3", "c"), (2, "2", "b"), (3, "4", "d")], 2) == [(1, "a"), (2, "b"), (2, "c")]
    assert lowest([(7, "1", "a")], 5) == [(1, "a")] and lowest([], 5) == []


def five_lowest_village(s) -> None:  # type: ignore[no-untyped-def]
    """一组: 0001…0008 (0007 at 7000 is 7th, 0008 has no 2025 income); 二组: 0010."""
    hid = add(s, "0001", None)
    s.add(HouseholdIncome(household_id=hid, year=YEAR, persons=3, wage_fen=1_800_000))  # a member left in 2026
    for number, income in [("0002", 3000), ("0003", 4000), ("0004", 4000), ("0005", 5000), ("0006", 6000),
                           ("0007", 7000), ("0008", None)]:
        add(s, number, income)
    add(s, "0010", 1000, group="二组")


def test_five_lowest_counts_the_income_years_persons_and_keeps_ties(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        five_lowest_village(s)
    with db.reading() as s:
        one, two = monitoring.five_lowest(s, YEAR, today=TODAY)
    assert [(r.rank, r.household_number, r.persons, r.per_capita_income_fen // 100) for r in one.households] \
        == FIVE_LOWEST_ONE and one.without_income == 1
    assert [(r.rank, r.household_number, r.persons, r.per_capita_income_fen // 100) for r in two.households] \
        == FIVE_LOWEST_TWO


def test_configured_line_has_the_reference_id_so_the_csv_loader_updates_it(db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from fupin_desktop.db.models import PovertyLine
    from fupin_desktop.domain.ids import reference_id

    with db.transaction() as s:
        plans.set_poverty_line(s, 2016, 310_000, "全国")  # the CSV has 2016 全国 2952: update it, no duplicate
        plans.set_poverty_line(s, 2024, 500_000, "河南省")
    with db.reading() as s:
        rows = s.execute(select(PovertyLine.year, PovertyLine.amount_fen, PovertyLine.id).where(
            PovertyLine.year.in_([2016, 2024]), PovertyLine.deleted_at.is_(None))).all()
    assert sorted((y, a) for y, a, _ in rows) == [(2016, 310_000), (2024, 500_000)]
    assert {i for y, _, i in rows if y == 2024} == {reference_id("ref_poverty_line", "2024|河南省")}


def test_open_case_by_hand_checks_its_input(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = add(s, "0001", 20000)
    with pytest.raises(ValidationError, match="请至少选择"), db.transaction() as s:
        monitoring.open_case(s, hid, [], today=TODAY)
    with pytest.raises(ValidationError, match="不在可选范围"), db.transaction() as s:
        monitoring.open_case(s, hid, ["中彩票"], today=TODAY)
    with db.transaction() as s:
        monitoring.open_case(s, hid, ["大额医疗支出"], year=YEAR, medical_spending_fen=3_500_000, note="住院手术",
                             today=TODAY)
    with db.reading() as s:
        r = monitoring.monitor_report(s, YEAR, today=TODAY)
    assert [(c.status, c.reasons, c.note) for c in r.cases] == [("疑似", ("大额医疗支出",), "住院手术")]
    assert r.candidates == []  # an open case is not screened again
