"""明白栏 composer: content per household, posting, out-of-date detection, village board."""

from datetime import date

import pytest

from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import NotFoundError
from fupin_desktop.services import benefits, board, households
from fupin_desktop.services.benefits import BenefitForm
from fupin_desktop.services.board import BoardMeasure
from fupin_desktop.services.cadres import CadreForm, save_cadre
from fupin_desktop.services.due import due_items
from tests.services.test_households import save

TODAY = date(2026, 12, 2)


def ordinary(db, number="002"):
    head = MemberForm("赵刚", idcard.make("410182", date(1960, 1, 2), 5, "男"), "户主")
    with db.transaction() as s:
        return households.save_household(s, None, HouseholdForm(number=number, status="一般农户"), [head])


def team(db):
    with db.transaction() as s:
        save_cadre(s, None, CadreForm("刘振华", "第一书记", unit="荥阳市农业农村局", phone="13903710101"))
        save_cadre(s, None, CadreForm("王建军", "帮扶责任人", unit="汜水镇人民政府", phone="13903710001"))


def status(db, year=2026):
    with db.reading() as s:
        return {r.number: r.state for r in board.board_status(s, year, today=TODAY)}


def post(db, hid, year=2026):
    with db.transaction() as s:
        return board.post_boards(s, year, [hid], date(2026, 11, 30), today=TODAY)


def test_the_board_shows_helper_team_policies_guarantees_and_hotlines(db):
    team(db)
    hid = save(db, helper_name="王建军")
    ordinary(db)  # an ordinary household: no board
    with db.transaction() as s:
        wife = next(m.id for m in households.get_household(s, hid, today=TODAY).members if m.name == "李秀英")
        benefits.save_benefit(s, None, BenefitForm(hid, 2026, "P11", 132000, member_id=wife, payer="荥阳市残联"),
                              today=TODAY)
    with db.reading() as s:
        boards = board.board_content(s, 2026, today=TODAY)
        village = board.village_board(s, 2026, today=TODAY)
    (b,) = boards
    assert (b.number, b.head_name, b.persons, b.main_cause) == ("001", "张三明", 3, "因病")
    assert b.helper.name == "王建军" and b.helper.phone == "13903710001"
    assert [c.name for c in b.team] == ["刘振华"] and [c.name for c in village.team] == ["刘振华"]
    assert [(p.name, p.member, p.amount_fen) for p in b.policies] == [("困难残疾人生活补贴", "李秀英", 132000)]
    assert b.policies_total_fen == 132000
    guarantees = {g.item: g for g in b.guarantees}
    assert guarantees["基本医疗"].ok and guarantees["住房安全"].text == "未鉴定"
    assert guarantees["不愁吃穿"].text == "尚无收入核算"  # the benefit made an income row, not a survey
    assert ("全国扶贫监督举报电话", "12317") in b.hotlines
    assert "身份证" not in str(b.content()) and "410182" not in str(b.content())  # a public sheet: no ID numbers


def test_changes_after_posting_mark_the_board_out_of_date(db):
    team(db)
    hid = save(db, helper_name="王建军")
    assert status(db) == {"001": "未张贴"}
    assert post(db, hid) == 1
    assert status(db) == {"001": "已是最新"}
    save(db, household_id=hid, helper_name="王建军", note="备注不上明白栏")  # not on the board: still current
    assert status(db) == {"001": "已是最新"}
    with db.transaction() as s:
        benefits.save_benefit(s, None, BenefitForm(hid, 2026, "P13", 100000), today=TODAY)
    assert status(db) == {"001": "内容已变，需重新张贴"}
    with db.reading() as s:
        assert [i.title for i in due_items(s, TODAY) if i.kind == "明白栏"] == ["1户明白栏内容已变化，需重新打印张贴"]
        posted_on, content = board.posted_board(s, hid, 2026)
    assert posted_on == date(2026, 11, 30) and content["policies"] == []  # the posted sheet stays readable
    post(db, hid)
    assert status(db) == {"001": "已是最新"}


def test_editing_a_measure_after_posting_marks_the_board_out_of_date(db, monkeypatch):
    """Measures come from the plan feature through @measure_provider; a changed measure is a changed board."""
    hid = save(db)
    plan = {hid: [BoardMeasure("扶", "到户增收补贴", None, "已落实", 100000, date(2026, 5, 1), "王建军")]}
    monkeypatch.setattr(board, "_MEASURE_PROVIDERS",  # a provider is given a select of the wanted households
                        [lambda s, _y, households: {h: m for h, m in plan.items() if h in s.scalars(households).all()}])
    post(db, hid)
    assert status(db) == {"001": "已是最新"}
    with db.reading() as s:
        assert board.household_board(s, hid, 2026, today=TODAY).measures[0].name == "到户增收补贴"
    plan[hid] = [BoardMeasure("扶", "到户增收补贴", None, "已落实", 150000, date(2026, 5, 1), "王建军")]
    assert status(db) == {"001": "内容已变，需重新张贴"}


def test_a_helper_phone_change_reaches_every_board_of_the_helper(db):
    team(db)
    hid = save(db, helper_name="王建军")
    post(db, hid)
    with db.transaction() as s:
        from fupin_desktop.services.cadres import list_cadres
        helper = next(c for c in list_cadres(s) if c.name == "王建军")
        save_cadre(s, helper.id, CadreForm("王建军", "帮扶责任人", unit="汜水镇人民政府", phone="13903719999"))
    assert status(db) == {"001": "内容已变，需重新张贴"}


def test_no_board_for_an_ordinary_household_without_policies(db):
    hid = ordinary(db)
    with db.reading() as s, pytest.raises(NotFoundError, match="一般农户"):
        board.household_board(s, hid, 2026, today=TODAY)


def test_measures_come_from_the_n2_plan_and_an_edit_after_posting_makes_the_board_stale(db):
    from fupin_desktop.db.models import AssistancePlan, PlanMeasure
    from fupin_desktop.domain.plan_rules import PLAN_STATUSES

    hid = save(db)
    with db.transaction() as s:
        plan = AssistancePlan(household_id=hid, year=2026, status=PLAN_STATUSES[0])
        s.add(plan)
        s.flush()
        s.add(PlanMeasure(plan_id=plan.id, sort_order=1, type_code="F09", family="扶", type_name="到户增收补贴",
                          target="种植花生3亩", amount_fen=100000, deadline=date(2026, 6, 30),
                          responsible_person="王建军"))
    with db.reading() as s:
        (m,) = board.household_board(s, hid, 2026, today=TODAY).measures
    assert (m.family, m.name, m.status, m.amount_fen, m.on) == ("扶", "到户增收补贴：种植花生3亩", "落实中", 100000,
                                                                 date(2026, 6, 30))
    post(db, hid)
    with db.transaction() as s:  # the measure is done after the board was posted
        s.query(PlanMeasure).one().completed_on = date(2026, 7, 2)
    assert status(db) == {"001": "内容已变，需重新张贴"}


def test_printouts_get_policies_notices_and_projects(db):
    """services/print_data.py (the printing feature) reads this feature's rows."""
    from fupin_desktop.services import notices, print_data, projects
    from fupin_desktop.services.notices import NoticeForm, NoticeItemForm
    from fupin_desktop.services.projects import FundForm, ProjectForm

    team(db)
    hid = save(db, helper_name="王建军")
    with db.transaction() as s:
        benefits.save_benefit(s, None, BenefitForm(hid, 2026, "P13", 100000, payer="荥阳市乡村振兴局"), today=TODAY)
        pid = projects.save_project(s, None, ProjectForm(2026, "安全饮水", "蓄水塔", funds=[
            FundForm("第一书记专项", 10_000_000)]), today=TODAY)
        nid = notices.save_notice(s, None, NoticeForm("项目立项", "蓄水塔项目立项公示", "拟实施蓄水塔项目。",
                                                      items=[NoticeItemForm(project_id=pid)]))
        notices.post_notice(s, nid, date(2026, 11, 30), today=TODAY)
    with db.reading() as s:
        card = print_data.card_data(s, "001", year=2026, today=TODAY)
        village = print_data.board_data(s, year=2026, today=TODAY)
    assert [(p.name, p.beneficiary, p.amount_fen) for p in card.policies] == [("到户增收补贴", "全户", 100000)]
    assert [(p.name, p.beneficiary, p.amount_fen) for p in village.policies] == [("到户增收补贴", "1户", 100000)]
    assert [n.title for n in village.notices] == ["项目立项：蓄水塔项目立项公示"]
    assert village.notices[0].content == "拟实施蓄水塔项目。"
    assert [(p.name, p.funds_source, p.amount_fen) for p in village.projects] == [
        ("2026 蓄水塔", "第一书记专项", 10_000_000)]


def test_the_content_hash_of_a_full_board_is_pinned(db):
    """Posted boards store this hash: any change to what it covers or how it is computed would mark every
    posted board in every village 内容已变. The board has a helper, the team, a policy to a member, a
    surveyed income under a later benefit-made one, and plan measures (one for a member, one paid)."""
    from fupin_desktop.db.models import AssistancePlan, HouseholdIncome, PlanMeasure
    from fupin_desktop.domain.plan_rules import PLAN_STATUSES

    team(db)
    hid = save(db, helper_name="王建军")
    ordinary(db)
    with db.transaction() as s:
        wife = next(m.id for m in households.get_household(s, hid, today=TODAY).members if m.name == "李秀英")
        s.add(HouseholdIncome(household_id=hid, year=2025, persons=3, wage_fen=2_400_000, operating_fen=500_000,
                              expense_fen=100_000))
        benefits.save_benefit(s, None, BenefitForm(hid, 2026, "P11", 132000, member_id=wife, payer="荥阳市残联"),
                              today=TODAY)  # also writes a 2026 income row (AUTO_INCOME_NOTE): not a survey
        plan = AssistancePlan(household_id=hid, year=2026, status=PLAN_STATUSES[0])
        s.add(plan)
        s.flush()
        s.add_all([PlanMeasure(plan_id=plan.id, sort_order=1, type_code="F09", family="扶", type_name="到户增收补贴",
                               target="种植花生3亩", amount_fen=100000, deadline=date(2026, 6, 30),
                               disbursed_on=date(2026, 5, 20), responsible_person="王建军"),
                   PlanMeasure(plan_id=plan.id, sort_order=2, type_code="F01", family="保", type_name="医疗救助",
                               member_id=wife, deadline=date(2026, 9, 30), completed_on=date(2026, 8, 1))])
    with db.reading() as s:
        (b,) = board.board_content(s, 2026, today=TODAY)
        (row,) = board.board_status(s, 2026, today=TODAY)
    assert [(m.name, m.member, m.status, m.on) for m in b.measures] == [
        ("到户增收补贴：种植花生3亩", None, "落实中", date(2026, 5, 20)),
        ("医疗救助", "李秀英", "已落实", date(2026, 8, 1))]
    assert b.guarantees[0].text == "2025年人均纯收入9,333.33元"
    # computed by the code before the speed-up (commit 3a2da9b)
    assert b.content_hash() == "0bfbe0e1c85e49664d916e568be3e077e21a72e1d8992020b8071d4666365568"
    assert (row.head_name, row.group, row.helper, row.state) == ("张三明", b.group, "王建军", "未张贴")
    post(db, hid)
    assert status(db) == {"001": "已是最新"}


def test_a_cadre_who_has_left_is_not_on_the_printed_team(db):
    """The previous first secretary (离任日期 passed) must not be printed as the one to call."""
    from fupin_desktop.services import print_data

    team(db)
    save(db, helper_name="王建军")
    with db.transaction() as s:
        save_cadre(s, None, CadreForm("孙前任", "第一书记", unit="荥阳市教育局", phone="13903710999",
                                      started_on=date(2021, 3, 1), ended_on=date(2024, 3, 1)))
    with db.reading() as s:
        printed = print_data.board_data(s, year=2026).team
        card_team = print_data.cards_data(s, print_data.Selection(everyone=True), year=2026)[0].team
    assert [c.name for c in printed] == ["刘振华"]
    assert [c.name for c in card_team] == ["刘振华"]


def test_board_status_comes_the_same_batch_by_batch(demo_copy, tmp_path, monkeypatch):
    """The states are built a batch of boards at a time (a small peak at 50,000 households): any batch
    size gives the same rows in the same order, stale ones included."""
    from fupin_desktop.db.session import open_database

    db = open_database(demo_copy(tmp_path / "demo.db"))
    try:
        with db.reading() as s:
            whole = board.board_status(s, 2026, today=TODAY)
            stale = board.board_status(s, 2026, today=TODAY, stale_only=True)
            monkeypatch.setattr(board, "STATUS_BATCH", 7)
            assert board.board_status(s, 2026, today=TODAY) == whole and len(whole) > 7
            assert board.board_status(s, 2026, today=TODAY, stale_only=True) == stale
    finally:
        db.close()
