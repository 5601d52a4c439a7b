"""项目资金台账: approval before spending, budget per source, acceptance, assets and collective income."""

from datetime import date

import pytest

from fupin_desktop.errors import ValidationError
from fupin_desktop.services import projects
from fupin_desktop.services.due import due_items
from fupin_desktop.services.projects import (
    AssetForm,
    CollectiveIncomeForm,
    FundForm,
    ProjectForm,
    SpendingForm,
    StepForm,
)
from tests.services.test_households import save

TODAY = date(2026, 12, 2)
STEPS = [StepForm("党支部提议", date(2026, 3, 2)), StepForm("两委商议", date(2026, 3, 5)),
         StepForm("党员大会审议", date(2026, 3, 10)), StepForm("村民代表会议决议", date(2026, 3, 15)),
         StepForm("决议公开", date(2026, 3, 16))]


def water_tower(steps=STEPS, **kw):
    values = dict(year=2026, type="安全饮水", name="新沟村100吨蓄水塔及管网改造",
                  funds=[FundForm("第一书记专项", 10_000_000), FundForm("县级财政", 2_000_000)], steps=list(steps)) | kw
    return ProjectForm(**values)


def create(db, form):
    with db.transaction() as s:
        return projects.save_project(s, None, form, today=TODAY)


def spend(db, pid, **kw):
    values = dict(source="第一书记专项", paid_on=date(2026, 5, 10), amount_fen=6_000_000,
                  payee="荥阳市水利工程公司") | kw
    with db.transaction() as s:
        return projects.add_spending(s, pid, SpendingForm(**values), today=TODAY)


def detail(db, pid):
    with db.reading() as s:
        return projects.get_project(s, pid)


def test_spending_before_approval_is_refused(db):
    pid = create(db, water_tower(steps=STEPS[:2]))
    with pytest.raises(ValidationError, match="尚未完成四议两公开（缺：党员大会审议、村民代表会议决议、决议公开）"):
        spend(db, pid)
    with db.transaction() as s:
        projects.save_project(s, pid, water_tower(), today=TODAY)
    with pytest.raises(ValidationError, match="不能早于项目审批通过日期（2026-03-16）"):
        spend(db, pid, paid_on=date(2026, 3, 1))
    spend(db, pid)
    assert detail(db, pid).row.spent_fen == 6_000_000


def test_spending_over_budget_needs_a_reason(db):
    pid = create(db, water_tower())
    spend(db, pid, amount_fen=9_000_000)
    with pytest.raises(ValidationError, match="超出第一书记专项预算20,000.00元，须填写超预算原因"):
        spend(db, pid, amount_fen=3_000_000)
    with pytest.raises(ValidationError, match="社会/企业没有预算"):
        spend(db, pid, source="社会/企业", amount_fen=100)
    assert detail(db, pid).row.spent_fen == 9_000_000  # nothing saved
    spend(db, pid, amount_fen=3_000_000, over_budget_reason="管网延长300米，两委会议决定追加，县财政局追加文件已存档")
    lines = {line.source: line for line in detail(db, pid).budget}
    assert lines["第一书记专项"].left_fen == -2_000_000 and lines["县级财政"].spent_fen == 0
    spend(db, pid, source="县级财政", amount_fen=1_000_000)
    with pytest.raises(ValidationError, match="县级财政已支出"):  # dropping a source that was spent from
        with db.transaction() as s:
            projects.save_project(s, pid, water_tower(funds=[FundForm("第一书记专项", 10_000_000)]), today=TODAY)


def test_budget_cannot_drop_below_spending(db):
    pid = create(db, water_tower())
    spend(db, pid, source="县级财政", amount_fen=1_500_000)
    with pytest.raises(ValidationError, match="县级财政已支出15,000.00元"):
        with db.transaction() as s:
            projects.save_project(s, pid, water_tower(funds=[FundForm("第一书记专项", 10_000_000),
                                                             FundForm("县级财政", 1_000_000)]), today=TODAY)


@pytest.mark.parametrize("change, message", [
    (dict(funds=[FundForm("县级财政", -100)]), "金额不能为负数"),
    (dict(funds=[]), "至少填写一项资金来源"),
    (dict(name=""), "项目名称不能为空"),
    (dict(steps=STEPS[:2], started_on=date(2026, 4, 1)), "须先完成四议两公开再开工"),
    (dict(steps=[StepForm("两委商议", date(2026, 3, 1)), StepForm("党支部提议", date(2026, 3, 5))]), "不能早于前一步"),
    (dict(approval_mode="一事一议"), "不是一事一议的步骤"),
])
def test_bad_projects_are_refused(db, change, message):
    with pytest.raises(ValidationError, match=message):
        create(db, water_tower(**change))
    with db.reading() as s:
        assert projects.list_projects(s) == []


def test_acceptance_beneficiaries_assets_and_income(db):
    hid = save(db)
    pid = create(db, water_tower(started_on=date(2026, 4, 1)))
    with pytest.raises(ValidationError, match="尚未完工"):
        with db.transaction() as s:
            projects.accept_project(s, pid, date(2026, 9, 1), "汜水镇人民政府", today=TODAY)
    with db.transaction() as s:
        projects.save_project(s, pid, water_tower(started_on=date(2026, 4, 1), completed_on=date(2026, 9, 20)),
                              today=TODAY)
    with db.reading() as s:
        due = [i for i in due_items(s, TODAY) if i.kind == "项目"]
    assert [(i.title, i.due) for i in due] == [("项目已完工待验收：新沟村100吨蓄水塔及管网改造", date(2026, 10, 20))]
    with db.transaction() as s:
        projects.accept_project(s, pid, date(2026, 10, 12), "汜水镇人民政府、荥阳市水利局", today=TODAY)
        projects.set_beneficiaries(s, pid, {hid: "安全饮水"})
        aid = projects.save_asset(s, None, AssetForm("100吨蓄水塔", "公益性资产", 10_000_000, "新沟村股份经济合作社",
                                                     project_id=pid, custodian="王水生", custodian_phone="13803710012"))
        projects.save_collective_income(s, None, CollectiveIncomeForm(2026, "资产收益", 1_200_000, asset_id=aid,
                                                                     distribution="公益岗工资"), today=TODAY)
    d = detail(db, pid)
    assert d.row.status == "已验收" and d.row.beneficiaries == 1 and d.assets[0].income_fen == 1_200_000
    assert d.beneficiaries[0][1] == "第001户 张三明"
    with db.reading() as s:
        assert [i for i in due_items(s, TODAY) if i.kind == "项目"] == []
        assert projects.collective_income_by_source(s, 2026) == {"资产收益": 1_200_000}
    with pytest.raises(ValidationError, match="手机号应为"):
        with db.transaction() as s:
            projects.save_asset(s, None, AssetForm("光伏电站", "经营性资产", 1, "新沟村", custodian_phone="1380"))
