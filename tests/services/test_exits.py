"""退出程序: the exit check says what is missing; the five steps go in order; 贫困发生率."""

from datetime import date

import pytest

from fupin_desktop.db.models import HouseholdIncome
from fupin_desktop.domain import idcard
from fupin_desktop.domain.exit_rules import EXIT_STEPS
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import ValidationError
from fupin_desktop.services import exits
from fupin_desktop.services.households import get_household, save_household
from fupin_desktop.services.lines import set_poverty_line

YEAR = 2025


def poor_household(s, *, insured: bool = True, water: bool | None = True, income_yuan: int = 9000):  # type: ignore[no-untyped-def]
    members = [MemberForm(name="张建国", id_number=idcard.make("410182", date(1974, 3, 15), 1, "男"), relation="户主",
                          labour_ability="有劳动能力", medical_insurance=insured),
               MemberForm(name="张小红", id_number=idcard.make("410182", date(2014, 5, 1), 2, "女"), relation="之女",
                          schooling_stage="小学")]
    form = HouseholdForm(number="0001", status="未脱贫", group="一组", main_cause="07", identified_year=2023,
                         housing_safety="鉴定安全", water_quality_ok=water, water_quantity_ok=water,
                         water_convenience_ok=water, water_reliability_ok=water)
    hid = save_household(s, None, form, members, today=date(2025, 12, 1))
    s.add(HouseholdIncome(household_id=hid, year=YEAR, persons=2, wage_fen=income_yuan * 200))
    set_poverty_line(s, YEAR, 600_000, "河南省")
    return hid


def states(items) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {i.name: i.state for i in items}


def test_exit_check_says_what_is_missing(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = poor_household(s, insured=False, water=None, income_yuan=6000)
        items = states(exits.exit_check(s, hid, YEAR))
    assert items == {"收入超过扶贫标准": "未达标", "不愁吃、不愁穿": "待核实", "义务教育有保障": "达标",
                     "基本医疗有保障": "未达标", "住房安全有保障": "达标", "饮水安全": "待核实"}
    with pytest.raises(ValidationError) as e, db.transaction() as s:
        exits.propose_exit(s, hid, YEAR, food_clothing_ok=True)
    text = str(e.value)
    assert "收入超过扶贫标准" in text and "基本医疗有保障" in text and "饮水安全" in text and "不愁吃" not in text


def test_five_steps_in_order_then_the_household_has_exited(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = poor_household(s)
        with pytest.raises(ValidationError, match="不愁吃"):
            exits.propose_exit(s, hid, YEAR, today=date(2025, 11, 1))
        pid = exits.propose_exit(s, hid, YEAR, food_clothing_ok=True, today=date(2025, 11, 1))
    with pytest.raises(ValidationError, match="须先完成：统计摸底"), db.transaction() as s:
        exits.record_step(s, pid, "民主评议", date(2025, 11, 5), participants="村民代表32人")
    days = [date(2025, 11, d) for d in (3, 6, 10, 12, 20)]
    with db.transaction() as s:
        exits.record_step(s, pid, "统计摸底", days[0], participants="驻村工作队、村两委")
    with pytest.raises(ValidationError, match="日期不能早于“统计摸底”"), db.transaction() as s:
        exits.record_step(s, pid, "民主评议", date(2025, 11, 2), participants="村民代表32人")
    with db.transaction() as s:
        for step, day in zip(EXIT_STEPS[1:-1], days[1:-1], strict=True):
            exits.record_step(s, pid, step, day, participants="村两委、驻村工作队、村民代表", minutes=f"{step}纪要",
                              attachments=["会议记录.jpg"])
    # 双认定: no 销号 until both the government and the household have confirmed
    with pytest.raises(ValidationError, match="缺少农户本人确认") as e, db.transaction() as s:
        exits.record_step(s, pid, "脱贫销号", days[-1], participants="汜水镇人民政府")
    assert "缺少政府（乡镇）认定" in str(e.value)
    with db.transaction() as s:
        exits.confirm_by_government(s, pid, date(2025, 11, 18), "汜水镇人民政府")
    with pytest.raises(ValidationError, match="“李四”不是本户成员.*张建国、张小红"), db.transaction() as s:
        exits.confirm_by_household(s, pid, date(2025, 11, 18), "李四", "签字")
    with pytest.raises(ValidationError, match="确认方式应为：签字、按手印"), db.transaction() as s:
        exits.confirm_by_household(s, pid, date(2025, 11, 18), "张建国", "口头")
    with pytest.raises(ValidationError, match="不能早于拟退出日期"), db.transaction() as s:
        exits.confirm_by_household(s, pid, date(2025, 10, 18), "张建国", "按手印")
    with db.transaction() as s:
        exits.confirm_by_household(s, pid, date(2025, 11, 19), "张建国", "按手印")
    with db.reading() as s:
        assert exits.list_procedures(s)[0].next_step == "脱贫销号"  # the refused attempts saved nothing
    with db.transaction() as s:
        exits.record_step(s, pid, "脱贫销号", days[-1], participants="汜水镇人民政府")
    with db.reading() as s:
        (row,) = exits.list_procedures(s)
        h = get_household(s, hid)
    assert [st.step for st in row.steps] == list(EXIT_STEPS) and row.next_step is None
    assert row.finished_on == days[-1] and row.steps[1].attachments == ("会议记录.jpg",)
    assert h.status == "已脱贫(享受政策)" and h.exit_year == YEAR
    assert row.confirmed and row.confirmation.household_signer == "张建国"
    assert row.confirmation.sign_method == "按手印" and row.confirmation.government_by == "汜水镇人民政府"


def test_village_incidence(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        poor_household(s)
        v = exits.village_exit(s, YEAR)
    assert (v.poor_households, v.poor_persons, v.population) == (1, 2, 2)
    assert v.incidence_percent == 100.0 and v.meets_incidence is False
    assert [i.state for i in v.items] == ["待核实"] * len(v.items) and not v.ready and v.watch == ()


def test_village_exit_checklist_judged_with_the_rate(db) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.domain.registers import VILLAGE_ITEMS
    from fupin_desktop.services.check import check_database
    from fupin_desktop.services.due import due_items
    from fupin_desktop.services.village import current_village

    day = date(2025, 12, 1)
    with pytest.raises(ValidationError, match="须写明依据"), db.transaction() as s:
        exits.set_village_item(s, YEAR, "通客车", "达标", today=day)
    with pytest.raises(ValidationError, match="不是贫困村退出核查项目"), db.transaction() as s:
        exits.set_village_item(s, YEAR, "通高铁", "达标", evidence="x", checked_on=day, today=day)
    with db.transaction() as s:
        current_village(s).population_total = 200
        for item in VILLAGE_ITEMS:
            exits.set_village_item(s, YEAR, item, "达标", evidence="验收文件", checked_on=date(2025, 6, 1), today=day)
        v = exits.village_exit(s, YEAR, today=day)
    assert v.ready and v.incidence_percent == 0 and v.gaps == ()
    with db.transaction() as s:
        exits.set_village_item(s, YEAR, "通宽带网络", "未达标", note="三组未通光纤", today=day)
        poor_household(s)  # 2 poor persons of 200: 1 %
        v = exits.village_exit(s, YEAR, today=day)
    assert not v.ready and v.gaps == ("未达标：通宽带网络",) and v.incidence_percent == 1.0
    assert v.items[VILLAGE_ITEMS.index("通宽带网络")].note == "三组未通光纤"
    assert v.watch == ()  # not exited: nothing to watch
    with db.transaction() as s:
        current_village(s).exit_year = 2019
        current_village(s).population_total = 50  # 2 of 50: 4 %
        v = exits.village_exit(s, YEAR, today=day)
        due = [i.title for i in due_items(s, date(YEAR, 12, 1)) if i.kind == "贫困村退出"]
    assert v.watch == ("已于2019年退出，但贫困发生率4.00%高于2%",
                       "已于2019年退出，但基础设施、公共服务有缺项：通宽带网络")
    assert len(due) == 2 and "须列入清单逐一完善" in due[0]
    findings = [f.message for f in check_database(db, today=day).findings if f.where == "贫困村退出"]
    assert findings and "4.00%高于2%" in findings[0]
