"""Each rule of domain.md §3.4: a plan that breaks it gets the finding, the same plan fixed does not."""

import uuid
from dataclasses import replace
from datetime import date

import pytest

from fupin_desktop.domain.plan_rules import (
    ERROR,
    WARNING,
    MeasureForm,
    PlanFacts,
    PlanMember,
    check_plan,
)

HEAD = PlanMember(id=uuid.uuid4(), name="张建国", age=52, labour_ability="有劳动能力", employment_status="务农")
WIFE = PlanMember(id=uuid.uuid4(), name="李秀英", age=50, labour_ability="有劳动能力", employment_status="务农")


def measure(code: str, family: str, name: str, member: PlanMember | None = None, **kw) -> MeasureForm:  # type: ignore[no-untyped-def]
    base = dict(type_code=code, family=family, type_name=name, member_id=member.id if member else None,
                level="人" if member else "户", target="见计划", responsible_person="王志强",
                responsible_unit="汜水镇人民政府", planned_start=date(2026, 3, 1), deadline=date(2026, 11, 30))
    base.update(kw)
    return MeasureForm(**base)  # type: ignore[arg-type]


def good_plan(**kw) -> PlanFacts:  # type: ignore[no-untyped-def]
    """A compliant plan: two members, one measure each, two household measures."""
    base = dict(
        year=2026, status="草稿", members=(HEAD, WIFE),
        measures=(measure("Z08", "转", "农村实用技术培训", HEAD),
                  measure("Z02", "转", "产业发展就地就近吸纳", WIFE, level="户或人"),
                  measure("F02", "扶", "畜牧养殖"),
                  measure("F10", "扶", "扶贫小额信贷")),
        household_status="已脱贫(享受政策)", attributes=(), main_cause="07", housing_safety="鉴定安全",
        poverty_line_fen=400_000, per_capita_income_fen=1_200_000)
    base.update(kw)
    return PlanFacts(**base)  # type: ignore[arg-type]


def rules_of(plan: PlanFacts, severity: str | None = None, **kw) -> set[int]:  # type: ignore[no-untyped-def]
    return {f.rule for f in check_plan(plan, **kw) if severity is None or f.severity == severity}


def test_the_good_plan_has_no_findings() -> None:
    assert check_plan(good_plan()) == []


def test_rule1_every_member_needs_a_person_measure() -> None:
    plan = good_plan(measures=good_plan().measures[1:])  # drop the head's measure
    findings = [f for f in check_plan(plan) if f.rule == 1]
    assert len(findings) == 1 and findings[0].severity == ERROR and "张建国" in findings[0].message
    assert findings[0].member_id == HEAD.id


def test_rule2_two_household_measures() -> None:
    plan = good_plan(measures=good_plan().measures[:3])
    assert 2 in rules_of(plan, ERROR)
    assert 2 not in rules_of(good_plan())


def test_rule3_at_least_n_plus_2() -> None:
    # Two person measures for the head only, two household ones: 4 < N+2 = 4? no: add a third member.
    child = PlanMember(id=uuid.uuid4(), name="张小明", age=19, labour_ability="有劳动能力",
                       employment_status="外出务工")
    plan = good_plan(members=(HEAD, WIFE, child))
    assert 3 in rules_of(plan, ERROR)  # 4 measures, N+2 = 5
    fixed = replace(plan, measures=(*plan.measures, measure("Z01", "转", "劳务协作对外输出", child)))
    assert 3 not in rules_of(fixed)


@pytest.mark.parametrize("change, text", [
    (dict(family="乙"), "大类"),
    (dict(type_code=""), "类型"),
    (dict(responsible_person=" "), "责任人"),
    (dict(deadline=None), "时限"),
    (dict(deadline=date(2025, 12, 31)), "不在2026年度"),
    (dict(deadline=date(2027, 6, 30)), "跨年度"),
])
def test_rule4_five_pairs_complete(change: dict, text: str) -> None:
    plan = good_plan()
    bad = replace(plan, measures=(replace(plan.measures[0], **change), *plan.measures[1:]))
    findings = [f for f in check_plan(bad) if f.rule == 4 and f.severity == ERROR]
    assert findings and text in findings[0].message and findings[0].measure_index == 0


def test_rule4_multi_year_measure_may_end_later_and_missing_target_is_a_warning() -> None:
    plan = good_plan()
    ok = replace(plan, measures=(replace(plan.measures[0], deadline=date(2027, 6, 30), multi_year=True),
                                 *plan.measures[1:]))
    assert check_plan(ok) == []
    no_target = replace(plan, measures=(replace(plan.measures[0], target=""), *plan.measures[1:]))
    assert rules_of(no_target) == {4} and rules_of(no_target, ERROR) == set()


def test_rule5_funded_measure_done_needs_the_money_trail() -> None:
    plan = good_plan()
    done = replace(plan.measures[3], funded=True, completed_on=date(2026, 5, 10), amount_fen=5_000_000)
    bad = replace(plan, measures=(*plan.measures[:3], done))
    msg = [f.message for f in check_plan(bad) if f.rule == 5 and f.severity == ERROR]
    assert msg and "资金来源" in msg[0] and "拨付日期" in msg[0] and "金额" not in msg[0].split("须填写")[1]
    fixed = replace(bad, measures=(*plan.measures[:3], replace(done, fund_source="金融机构",
                                                               disbursed_on=date(2026, 5, 12), payee="张建国")))
    assert check_plan(fixed) == []
    # not done yet: nothing to account for, except at close
    pending = replace(plan, measures=(*plan.measures[:3], replace(plan.measures[3], funded=True)))
    assert 5 not in rules_of(pending)
    assert 5 in rules_of(pending, ERROR, closing=True)


def test_rule6_dibao_household_needs_a_bao_measure() -> None:
    plan = good_plan(attributes=("dibao",))
    assert 6 in rules_of(plan, WARNING)
    fixed = replace(plan, measures=(*plan.measures, measure("BZ01", "保", "低保兜底")))
    assert 6 not in rules_of(fixed)


def test_rule6_member_without_labour_or_income_needs_a_bao_measure() -> None:
    grandma = PlanMember(id=uuid.uuid4(), name="王桂兰", age=78, labour_ability="丧失劳动能力")
    plan = good_plan(members=(HEAD, WIFE, grandma),
                     measures=(*good_plan().measures, measure("BZ10", "保", "家庭医生慢病签约服务", grandma)))
    assert 6 not in rules_of(plan)  # her own 保 measure covers her
    plan = replace(plan, measures=(*good_plan().measures, measure("J10", "救", "医疗救助", grandma)))
    assert 6 in rules_of(plan, WARNING)
    with_pension = replace(plan, members=(HEAD, WIFE, replace(grandma, pension_insurance=True)))
    assert 6 not in rules_of(with_pension)  # a pension is an income source


def test_rule6_does_not_ask_for_bao_for_a_child_or_a_pupil() -> None:
    """An 8-year-old without work or income is the family's to keep, not a 兜底 case."""
    girl = PlanMember(id=uuid.uuid4(), name="王婉清", age=8, labour_ability="无劳动能力", schooling_stage="小学")
    pupil = PlanMember(id=uuid.uuid4(), name="王天翊", age=17, labour_ability="无劳动能力", schooling_stage="高中")
    measures = (*good_plan().measures, measure("J10", "救", "教育资助", girl), measure("J10", "救", "教育资助", pupil))
    assert 6 not in rules_of(good_plan(members=(HEAD, WIFE, girl, pupil), measures=measures))


def test_rule7_labour_needs_a_job_or_industry_measure() -> None:
    plan = good_plan(measures=(measure("BZ09", "保", "基本医疗保险代缴", HEAD),
                               measure("BZ09", "保", "基本医疗保险代缴", WIFE),
                               measure("BZ19", "保", "住房保障(危房改造)"), measure("J01", "救", "临时救助")),
                     main_cause="99")
    assert rules_of(plan) == {7}
    fixed = replace(plan, measures=(*plan.measures, measure("F02", "扶", "畜牧养殖")))
    assert 7 not in rules_of(fixed)


def test_rule8_school_age_child_must_be_in_school_and_students_need_aid() -> None:
    kid = PlanMember(id=uuid.uuid4(), name="张小红", age=12, schooling_stage="辍学")
    plan = good_plan(members=(HEAD, WIFE, kid),
                     measures=(*good_plan().measures, measure("J08", "救", "孤儿和困境儿童救助", kid)))
    assert [f.message for f in check_plan(plan) if f.rule == 8] == [
        "张小红12岁，处于义务教育年龄但已辍学（家庭无因贫辍学学生）"]
    back_in_school = replace(plan, members=(HEAD, WIFE, replace(kid, schooling_stage="初中")))
    assert 8 in rules_of(back_in_school, ERROR)  # in school now, but no education aid
    aided = replace(back_in_school, measures=(*good_plan().measures, measure("BZ04", "保", "教育保障·义务教育", kid)))
    assert 8 not in rules_of(aided)
    five = replace(aided, members=(HEAD, WIFE, replace(kid, age=5, schooling_stage=None)))
    assert 8 not in rules_of(five)  # 5 is below the band


def test_rule9_medical_insurance() -> None:
    plan = good_plan(members=(HEAD, replace(WIFE, medical_insurance=False)))
    assert [f.member_id for f in check_plan(plan) if f.rule == 9] == [WIFE.id]
    assert 9 not in rules_of(good_plan())


@pytest.mark.parametrize("housing", ["C级危房", "D级危房", "未鉴定", None])
def test_rule10_unsafe_house_needs_renovation_or_relocation(housing: str | None) -> None:
    plan = good_plan(housing_safety=housing)
    assert 10 in rules_of(plan, ERROR)
    fixed = replace(plan, measures=(*plan.measures, measure("BZ19", "保", "住房保障(危房改造)")))
    assert 10 not in rules_of(fixed)


def test_rule11_main_cause_is_set_and_addressed() -> None:
    assert 11 in rules_of(good_plan(main_cause=None), WARNING)
    ill = good_plan(main_cause="01")
    assert 11 in rules_of(ill, WARNING)
    fixed = replace(ill, measures=(*ill.measures, measure("BZ10", "保", "家庭医生慢病签约服务", HEAD)))
    assert 11 not in rules_of(fixed)
    skills = good_plan(main_cause="07", measures=(measure("Z02", "转", "产业发展就地就近吸纳", HEAD, level="户或人"),
                                                  *good_plan().measures[1:]))
    assert 11 in rules_of(skills)  # 缺技术 needs training


def test_rule12_relocated_household_needs_industry_follow_up() -> None:
    plan = good_plan(attributes=("banqian",),
                     measures=(*good_plan().measures[:2], measure("B01", "搬", "易地扶贫搬迁"),
                               measure("J01", "救", "临时救助")), main_cause="99")
    assert 12 in rules_of(plan, WARNING)
    fixed = replace(plan, measures=(*plan.measures, measure("B02", "搬", "搬迁后续扶持")))
    assert 12 not in rules_of(fixed)


def test_rule13_approval_needs_dual_confirmation() -> None:
    plan = good_plan()
    assert 13 not in rules_of(plan)
    assert len([f for f in check_plan(plan, approving=True) if f.rule == 13]) == 2
    half = replace(plan, team_confirmed_on=date(2026, 3, 5), team_confirmed_by="王志强")
    assert [f.message[:6] for f in check_plan(half, approving=True) if f.rule == 13] == ["审核前须由农"]
    both = replace(half, household_confirmed_on=date(2026, 3, 6), household_signer="张建国")
    assert check_plan(both, approving=True) == []
    assert 13 in rules_of(replace(plan, status="已审核"), ERROR)  # an approved plan is held to it too


def test_bad_input_is_an_error() -> None:
    plan = good_plan()
    gone = uuid.uuid4()
    bad = replace(plan, measures=(
        replace(plan.measures[0], planned_start=date(2026, 9, 1), deadline=date(2026, 3, 1)),
        replace(plan.measures[1], member_id=gone),
        replace(plan.measures[2], amount_fen=-100),
        replace(plan.measures[3], amount_fen=900_000_000),
    ))
    messages = [f.message for f in check_plan(bad) if f.rule == 0 and f.is_error]
    assert any("早于计划开始" in m for m in messages)
    assert any("已不在本户" in m for m in messages)
    assert any("负数" in m for m in messages)
    assert any("超过单条措施上限" in m for m in messages)
    # the departed member's measure does not count for N+2, so rule 1 fires for the wife
    assert 1 in rules_of(bad)


def test_level_of_catalogue_entry_is_respected() -> None:
    plan = good_plan()
    bad = replace(plan, measures=(replace(plan.measures[0], member_id=None), *plan.measures[1:]))
    assert any("须指定受益成员" in f.message for f in check_plan(bad))
    bad = replace(plan, measures=(*plan.measures[:2], replace(plan.measures[2], member_id=HEAD.id),
                                  plan.measures[3]))
    assert any("不能指定到个人" in f.message for f in check_plan(bad))


def test_no_poverty_line_for_the_year_is_said_and_low_income_warned() -> None:
    msgs = [f.message for f in check_plan(good_plan(poverty_line_fen=None))]
    assert msgs == ["2026年未配置扶贫标准（收入线），无法核对收入；请在设置中添加该年度的标准"]
    low = good_plan(per_capita_income_fen=350_000)
    assert any("低于2026年标准4,000元" in f.message for f in check_plan(low))
    assert check_plan(good_plan(per_capita_income_fen=400_000)) == []  # exactly at the line is not below


def test_errors_come_before_warnings() -> None:
    plan = good_plan(main_cause=None, measures=good_plan().measures[1:])
    severities = [f.severity for f in check_plan(plan)]
    assert severities == sorted(severities, key=lambda s: s != ERROR)


def test_a_household_without_a_current_helper_is_an_error() -> None:
    (f,) = check_plan(good_plan(has_helper=False))
    assert (f.rule, f.severity) == (4, "错误") and "没有现任帮扶责任人" in f.message
    assert check_plan(good_plan(has_helper=True)) == []


def test_the_confirmer_must_be_a_registered_cadre() -> None:
    plan = good_plan(status="已审核", team_confirmed_on=date(2026, 3, 5), team_confirmed_by="路人甲",
                     household_confirmed_on=date(2026, 3, 6), household_signer="张建国",
                     cadre_names=frozenset({"王志强"}))
    (f,) = check_plan(plan)
    assert (f.rule, f.severity) == (13, "错误") and "“路人甲”不是本村登记在任的帮扶干部" in f.message
    assert check_plan(replace(plan, team_confirmed_by="王志强")) == []


def test_a_measure_without_a_responsible_unit_is_a_warning() -> None:
    plan = good_plan()
    plan = replace(plan, measures=(replace(plan.measures[0], responsible_unit=" "), *plan.measures[1:]))
    (f,) = check_plan(plan)
    assert (f.rule, f.severity, f.measure_index) == (4, "警告", 0) and "未填写责任单位" in f.message


def test_a_secondary_cause_without_its_measure_is_a_warning() -> None:
    (f,) = check_plan(good_plan(secondary_causes=("01",)))
    assert (f.rule, f.severity) == (11, "警告") and f.message.startswith("次要致贫原因因病对应的措施缺失")
    assert check_plan(good_plan(secondary_causes=("07",))) == []  # 缺技术: the training measure covers it
