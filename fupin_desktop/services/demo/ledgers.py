"""The demo village's 公示, projects, assets, collective income and posted 明白栏, made through the services
(so every rule holds) on top of the bulk-written register.

- Two projects: the 2025 water tower of the first secretary's special fund (accepted, asset with a
  管护 person) and the 2026 cold store for the 海棠园 (completed, waiting for acceptance; one payment
  above budget with its reason).
- Four notices: 监测对象识别 (taken down), 雨露计划 list with an objection and its answer, project
  立项, and a funds notice corrected once (two versions; its posting period is over).
- Collective income of 2025 and 2026 by source; boards posted in mid-November, three changed since.
"""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Benefit, Cadre, Household
from fupin_desktop.db.query import live
from fupin_desktop.domain.vocab import REGISTERED_STATUSES
from fupin_desktop.services import benefits, board, notices, projects
from fupin_desktop.services.benefits import BenefitForm
from fupin_desktop.services.notices import NoticeForm, NoticeItemForm, ObjectionForm
from fupin_desktop.services.projects import (
    AssetForm,
    CollectiveIncomeForm,
    FundForm,
    ProjectForm,
    SpendingForm,
    StepForm,
)

WAN = 1_000_000  # 1万元 in fen


def _steps(year: int, month: int) -> list[StepForm]:
    days = (3, 8, 15, 20, 22)
    names = ("党支部提议", "两委商议", "党员大会审议", "村民代表会议决议", "决议公开")
    notes = ("党支部会议，5名支委参加", "两委联席会议", "党员大会应到41人实到36人，同意35人",
             "村民代表应到45人实到39人，同意37人", "在村务公开栏张贴决议7天")
    return [StepForm(n, date(year, month, d), note) for n, d, note in zip(names, days, notes, strict=True)]


def add_ledgers(s: Session, today: date) -> None:
    cadres = {c.role: c for c in s.scalars(select(Cadre).where(live(Cadre)))}
    secretary = cadres.get("第一书记")
    director = cadres.get("村委会主任")
    households = s.execute(select(Household.id, Household.number, Household.status).where(
        live(Household)).order_by(Household.number)).all()
    if not households:
        return
    registered = [h for h in households if h.status in REGISTERED_STATUSES]
    water, cold = _projects(s, today, registered, director.name if director else None)
    _collective_income(s, today, water, cold)
    _notices(s, today, households, water, cold, secretary.name if secretary else "第一书记")
    _boards(s, today, [h.id for h in households])


def _projects(s: Session, today: date, registered: list, director: str | None) -> tuple:
    water = projects.save_project(s, None, ProjectForm(
        year=2025, type="安全饮水", name="新沟村100吨蓄水塔及配套管网工程", approval_mode="四议两公开",
        funds=[FundForm("第一书记专项", 10 * WAN, "郑组〔2025〕第一书记专项扶贫资金"),
               FundForm("县级财政", 26 * WAN // 10, "荥财农〔2025〕18号")],
        steps=_steps(2025, 3), implementer="新沟村村民委员会", contract_no="XG-2025-03",
        contractor="荥阳市恒安水利工程有限公司", contract_fen=11_850_000, contract_signed_on=date(2025, 4, 2),
        started_on=date(2025, 4, 10), completed_on=date(2025, 7, 30),
        poverty_link="解决三组、四组季节性缺水，受益建档立卡户优先安排管护公益岗",
        note="第一书记专项扶贫资金项目（参照赵丹“利用第一书记专项扶贫资金10万元建设安全用水项目”）"), today=today)
    for paid, amount, source, purpose in ((date(2025, 5, 20), 60 * WAN // 10, "第一书记专项", "工程进度款60%"),
                                          (date(2025, 8, 25), 40 * WAN // 10, "第一书记专项", "工程完工款"),
                                          (date(2025, 8, 25), 1_850_000, "县级财政", "管网延伸及质保金")):
        projects.add_spending(s, water, SpendingForm(source, paid, amount, "荥阳市恒安水利工程有限公司", purpose,
                                                     f"汜财报〔2025〕{paid.month:02d}{paid.day:02d}号"), today=today)
    projects.accept_project(s, water, date(2025, 8, 18), "汜水镇人民政府、荥阳市水利局联合验收",
                            "水质检测合格，供水保证率达标", today=today)
    projects.set_beneficiaries(s, water, {h.id: "安全饮水" for h in registered[:34]})
    tower = projects.save_asset(s, None, AssetForm(
        "100吨蓄水塔及管网2.3公里", "公益性资产", 11_850_000, "新沟村股份经济合作社", project_id=water,
        confirmed_on=date(2025, 10, 15), custodian=director, custodian_phone=None, operator="新沟村村民委员会",
        location="新沟村三组西岭", note="后续管护：村级水管员每周巡查，维修费从村集体收入列支"))

    cold = projects.save_project(s, None, ProjectForm(
        year=2026, type="产业发展", name="海棠园采摘园配套冷库建设项目", approval_mode="四议两公开",
        funds=[FundForm("整合涉农资金", 30 * WAN, "荥整合〔2026〕7号"),
               FundForm("社会/企业", 5 * WAN, "郑州鸵鸟谷生态农业有限公司捐赠")],
        steps=_steps(2026, 3), implementer="新沟村股份经济合作社", contract_no="XG-2026-05",
        contractor="河南冷链设备安装有限公司", contract_fen=33 * WAN, contract_signed_on=date(2026, 4, 8),
        started_on=date(2026, 4, 15), completed_on=date(2026, 10, 28),
        poverty_link="资产收益：冷库租金收入的60%按户分红给入股的建档立卡户，其余用于公益岗和防返贫救助",
        note="500立方米冷库及分拣车间"), today=today)
    for paid, amount, source, purpose, reason in (
            (date(2026, 5, 12), 15 * WAN, "整合涉农资金", "设备预付款", None),
            (date(2026, 8, 20), 15 * WAN, "整合涉农资金", "安装进度款", None),
            (date(2026, 10, 30), 1_200_000, "整合涉农资金", "增加分拣线电力增容",
             "电力增容未列入原预算，经两委会议和村民代表会议同意，县乡村振兴局同意从整合资金结余中追加（荥振〔2026〕31号）"),
            (date(2026, 10, 30), 3 * WAN, "社会/企业", "冷库保温门及货架", None)):
        projects.add_spending(s, cold, SpendingForm(source, paid, amount, "河南冷链设备安装有限公司", purpose,
                                                    f"汜财报〔2026〕{paid.month:02d}{paid.day:02d}号", reason),
                              today=today)
    projects.set_beneficiaries(s, cold, {h.id: "资产收益分红" for h in registered[34:52]})
    store = projects.save_asset(s, None, AssetForm(
        "海棠园冷库（500立方米）及分拣车间", "经营性资产", 36_200_000, "新沟村股份经济合作社", project_id=cold,
        confirmed_on=date(2026, 11, 10), custodian="新沟村海棠种植专业合作社", operator="新沟村海棠种植专业合作社",
        location="新沟村海棠园东门", note="租赁经营，年租金3万元"))
    return (water, tower), (cold, store)


def _collective_income(s: Session, today: date, water: tuple, cold: tuple) -> None:
    _project, store = cold
    rows = (
        (2025, "光伏收益", 6_200_000, None, date(2025, 12, 20), "村集体留存，用于村级公益事业"),
        (2025, "土地流转服务费", 4_800_000, None, date(2025, 11, 30), "村集体留存"),
        (2025, "入股分红", 8_000_000, None, date(2025, 12, 28), "60%分红到户（87户），40%设公益岗和防返贫救助金"),
        (2025, "经营服务", 4_800_000, None, date(2025, 10, 15), "海棠园采摘季服务收入，村集体留存"),
        (2026, "光伏收益", 5_800_000, None, date(2026, 6, 30), "村集体留存"),
        (2026, "土地流转服务费", 5_000_000, None, date(2026, 11, 5), "村集体留存"),
        (2026, "入股分红", 8_500_000, None, date(2026, 11, 12), "60%分红到户，40%设公益岗和防返贫救助金"),
        (2026, "资产收益", 1_200_000, store, date(2026, 11, 15), "冷库首期租金：60%分红到18户入股户，40%村集体留存"),
    )
    for year, source, amount, asset, received, distribution in rows:
        projects.save_collective_income(s, None, CollectiveIncomeForm(year, source, amount, asset, received,
                                                                      distribution), today=today)


def _notices(s: Session, today: date, households: Sequence[Any], water: tuple, cold: tuple,
             secretary: str) -> None:
    monitored = [h.id for h in households if h.status == "监测户"]
    if monitored:
        nid = notices.save_notice(s, None, NoticeForm(
            "贫困户识别名单", "2026年防止返贫监测对象识别名单公示",
            "经农户申请、村“两委”民主评议、入户核实，拟将下列农户纳入防止返贫监测对象。公示期7天，"
            "如有异议，请在公示期内向村委会或汜水镇人民政府反映。", "村务公开栏", 7,
            [NoticeItemForm(household_id=h) for h in monitored]))
        notices.post_notice(s, nid, date(2026, 3, 10), today=today)
        notices.take_down_notice(s, nid, date(2026, 3, 17), today=today)

    students = s.execute(select(Benefit.household_id, Benefit.amount_fen).where(
        Benefit.policy_code == "P01", Benefit.year == today.year, live(Benefit))).all()
    per_household: dict = {}
    for hid, amount in students:  # two students in a household: one line with the sum
        per_household[hid] = per_household.get(hid, 0) + amount
    if students:
        nid = notices.save_notice(s, None, NoticeForm(
            "雨露计划补助名单", f"{today.year}年秋季雨露计划职业教育补助名单公示",
            "经学生申请、村审核、乡复核、县复审，下列脱贫家庭在读中高职学生拟享受雨露计划补助每生每年2000元，"
            "资金通过“一卡通”直接发放。公示期7天。", "村务公开栏", 7,
            [NoticeItemForm(household_id=hid, amount_fen=amount) for hid, amount in per_household.items()]))
        notices.post_notice(s, nid, date(today.year, 10, 15), today=today)
        notices.record_objection(s, nid, ObjectionForm(
            date(today.year, 10, 17), "名单中有一户孩子已经在外地打工，不该享受补助",
            raised_by="村民（匿名，电话反映）",
            answer="经工作队入户并向学校核实，该生在荥阳市职业教育中心在读，学籍证明已存档，符合补助条件",
            answered_on=date(today.year, 10, 19), answered_by=secretary, outcome="维持原公示"), today=today)
        notices.take_down_notice(s, nid, date(today.year, 10, 22), today=today)

    cold_id, _store = cold
    water_id, _tower = water
    nid = notices.save_notice(s, None, NoticeForm(
        "项目立项", "海棠园采摘园配套冷库建设项目立项公示",
        "经四议两公开程序，拟实施海棠园采摘园配套冷库建设项目，总投资35万元（整合涉农资金30万元、社会帮扶5万元），"
        "建成后资产归村股份经济合作社所有，收益按户分红。", "村务公开栏", 7, [NoticeItemForm(project_id=cold_id)]))
    notices.post_notice(s, nid, date(2026, 3, 23), today=today)
    notices.take_down_notice(s, nid, date(2026, 3, 30), today=today)

    funds = NoticeForm(
        "资金使用", "新沟村扶贫项目资金使用情况公示（2025年—2026年10月）",
        "蓄水塔项目：第一书记专项10万元已支付10万元，县级财政2.6万元已支付1.85万元；"
        "冷库项目：整合涉农资金30万元已支付30万元，社会帮扶5万元已支付3万元。", "村务公开栏", 7,
        [NoticeItemForm(project_id=water_id, amount_fen=11_850_000), NoticeItemForm(project_id=cold_id,
                                                                                    amount_fen=33 * WAN)])
    nid = notices.save_notice(s, None, funds)
    notices.post_notice(s, nid, date(2026, 11, 16), today=today)
    funds.body = funds.body.replace("已支付30万元", "已支付31.2万元（含追加电力增容1.2万元）")
    funds.items[1].amount_fen = 34_200_000
    funds.change_reason = "冷库项目漏列追加的电力增容支出1.2万元，更正后重新公示"
    notices.save_notice(s, nid, funds)
    notices.post_notice(s, nid, date(2026, 11, 18), today=today)


def _boards(s: Session, today: date, households: list[uuid.UUID]) -> None:
    """Boards posted on 15 November; three households got a new benefit after that. A part of the
    register at a time (`households` in number order, as the boards are): the boards of 10,000
    households at once took 190 MB more memory at 50,000 households; 5 parts take ~40 MB."""
    year = today.year
    needy: list[board.HouseholdBoard] = []
    for i in range(0, len(households), 10_000):
        boards = board.board_content(s, year, household_ids=households[i:i + 10_000], today=today)
        board.post_boards(s, year, [b.household_id for b in boards], date(year, 11, 15), today=today)
        needy += [b for b in boards if b.status == "未脱贫" or b.status == "监测户"][:3 - len(needy)]
    for i, b in enumerate(needy):
        benefits.save_benefit(s, None, BenefitForm(
            b.household_id, year, "P18", (2000 + 1000 * i) * 100, period_from=date(year, 11, 1),
            period_to=date(year, 11, 30), payer="荥阳市民政局", paid_on=date(year, 11, 20),
            proof="临时救助审批表", note="冬季取暖和就医困难临时救助"), today=today)
