"""明白卡 and plan sheet content: income against the line, measure status, loans apart from the total,
the unit and post said once, and a draft or failing plan marked across the sheet."""

from dataclasses import replace
from datetime import date

from fupin_desktop.db.models import AssistancePlan, HouseholdIncome
from fupin_desktop.domain.print_rows import CardMeasure, ContactRow, unit_and_post
from fupin_desktop.reports import card
from fupin_desktop.services import plans, print_data
from tests.reports.pdf import flat, pdf_fonts, pdf_text
from tests.services.test_plans import TODAY, add_household, measures_for


def _plan(db, *, status: str | None = None, measures: bool = True):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = add_household(s)
        pid = plans.create_plan(s, hid, 2026, today=TODAY)
        plans.set_poverty_line(s, 2026, 600_000, "河南省")
        header = plans.PlanHeader(team_confirmed_on=TODAY, team_confirmed_by="王志强", household_confirmed_on=TODAY,
                                  household_signer="张建国")  # 双认定: an approved plan needs both
        plans.save_plan(s, pid, header, measures_for(s, hid) if measures else [], today=TODAY)
        if status:
            s.get(AssistancePlan, pid).status = status
    return hid


def test_card_prints_last_and_this_years_income_against_the_line(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    hid = _plan(db)
    with db.transaction() as s:
        plans.set_poverty_line(s, 2025, 500_000, "河南省")
        s.add(HouseholdIncome(household_id=hid, year=2025, persons=2, wage_fen=900_000))  # 4,500 a head: below
        s.add(HouseholdIncome(household_id=hid, year=2026, persons=2, wage_fen=1_600_000, operating_fen=50_000))
        data = print_data.card_data(s, "0001", year=2026, today=TODAY)
    assert [(i.year, i.per_capita_fen, i.line_fen) for i in data.incomes] == [(2025, 450_000, 500_000),
                                                                              (2026, 825_000, 600_000)]
    path = card.write_cards(tmp_path / "card.pdf", [data])
    text = flat(pdf_text(path))
    assert "三、家庭收入（2025年、2026年）" in text and "家庭纯收入" in text and "人均纯收入" in text
    rows = [flat(line) for line in pdf_text(path, layout=True).splitlines()]
    assert "2025年2人9,0004,5005,000低于扶贫标准" in rows
    assert "2026年2人16,5008,2506,000高于扶贫标准" in rows


def test_a_year_without_a_survey_says_so(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _plan(db)
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=TODAY)
    text = flat(pdf_text(card.write_cards(tmp_path / "card.pdf", [data])))
    assert text.count("尚未核算") == 2


def test_measures_say_done_ongoing_or_overdue_and_loans_stay_out_of_the_total(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _plan(db, status="执行中")
    late = date(2026, 12, 10)  # after every deadline (30 Nov)
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=late)
    assert {m.status for m in data.measures} == {"逾期"}
    loan = next(m for m in data.measures if m.loan)
    assert loan.type == "扶贫小额信贷" and loan.amount_fen == 5_000_000
    done = replace(data.measures[0], status="已完成", amount_fen=120_000)
    data = replace(data, measures=(done, *data.measures[1:]))
    text = flat(pdf_text(card.write_cards(tmp_path / "card.pdf", [data])))
    assert "进度" in text and "已完成" in text and "逾期" in text
    rows = [flat(line) for line in pdf_text(tmp_path / "card.pdf", layout=True).splitlines()]
    assert "合计（不含小额信贷本金）1,200" in rows and "51,200" not in text
    assert "扶贫小额信贷50,000元是贷款本金，须按期归还，不计入帮扶资金" in text


def test_measures_of_a_plan_not_yet_approved_are_pending_not_ongoing(db) -> None:  # type: ignore[no-untyped-def]
    _plan(db)  # 草稿
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=TODAY)
    assert data.plan_status == "草稿" and {m.status for m in data.measures} == {"待审核"}


def test_a_draft_plan_sheet_is_marked_on_every_page(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _plan(db)
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=TODAY, checks=True)
    assert data.plan_errors == ()
    path = card.write_cards(tmp_path / "plan.pdf", [data], plan=True)
    text = flat(pdf_text(path))
    assert "【草稿：不能签字】" in text and "本计划为草稿，尚未审核批准，不能作为签字确认的依据" in text
    assert "实施中" not in text and "落实中" not in text and "待审核" in text
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in pdf_fonts(path))


def test_a_plan_failing_the_rules_is_marked_with_its_errors(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _plan(db, status="执行中", measures=False)
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=TODAY, checks=True)
    assert data.plan_errors and card.plan_warnings(data) == ("未通过检查",)
    text = flat(pdf_text(card.write_cards(tmp_path / "plan.pdf", [data], plan=True)))
    assert "【未通过检查：不能签字】" in text and f"本计划未通过N+2规则检查（{len(data.plan_errors)}项错误）" in text
    assert flat(data.plan_errors[0]) in text


def test_an_approved_plan_sheet_has_no_mark(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _plan(db, status="执行中")
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=TODAY, checks=True)
    text = flat(pdf_text(card.write_cards(tmp_path / "plan.pdf", [data], plan=True)))
    assert "未通过检查" not in text and "草稿" not in text and "落实中" in text


def test_unit_and_post_are_said_once(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert unit_and_post("新沟村党支部", "党支部书记") == "新沟村党支部书记"
    assert unit_and_post("新沟村党支部", "书记") == "新沟村党支部书记"
    assert unit_and_post("荥阳市财政局", "副局长") == "荥阳市财政局副局长"
    assert unit_and_post(None, "村会计") == "村会计"
    _plan(db)
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=TODAY)
    data = replace(data, team=(ContactRow("第一书记", "杨新峰", "新沟村党支部", "党支部书记", "13791801202"),))
    text = flat(pdf_text(card.write_cards(tmp_path / "card.pdf", [data])))
    assert "新沟村党支部书记" in text and "党支部党支部" not in text


def test_a_card_uses_large_type_and_fills_its_side(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A small household: one side, in the largest type, its sections spread to the bottom of the page."""
    _plan(db, status="执行中")
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=TODAY)
    data = replace(data, measures=data.measures[:2], team=())
    pages = card._fitted(data, card.card_items)
    assert len(pages) == 1
    last, y = pages[0][-1]
    assert y + last.height > card.ROOM * 0.9  # not a quarter blank
    assert isinstance(data.measures[0], CardMeasure)


def test_the_demo_village_cards_come_in_a_few_queries(db) -> None:  # type: ignore[no-untyped-def]
    """A batch reads its data in a handful of statements whatever its size (issue 20: 3,467 for 500 once)."""
    from sqlalchemy import event

    with db.transaction() as s:
        for n in range(1, 21):
            add_household(s, f"{n:04d}")
    count = []
    with db.reading() as s:
        event.listen(s.get_bind(), "before_cursor_execute", lambda *a, **k: count.append(1))
        cards = print_data.cards_data(s, print_data.Selection(everyone=True), year=2026, today=TODAY)
    assert len(cards) == 20 and len(count) <= 25


def test_the_card_keeps_each_id_number_and_date_on_one_line(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.domain import idcard

    _plan(db, status="执行中")
    with db.reading() as s:
        data = print_data.card_data(s, "0001", year=2026, today=TODAY)
    for size in (*card.CARD_SIZES, *card.SIDES_SIZES):  # every size a card may be set in
        members = card._kit(size).tables["members"]
        ids = members.cell_lines(idcard.mask(data.household.members[0].id_number), 4, members.body)
        assert len(ids) == 1
        measures = card._kit(size).tables["measures"]
        assert len(measures.cell_lines("2026-11-30", 4, measures.body)) == 1
    lines = pdf_text(card.write_cards(tmp_path / "card.pdf", [data]), layout=True)
    assert all(idcard.mask(m.id_number) in lines for m in data.household.members)
    assert lines.count("2026-11-30") == len(data.measures)
