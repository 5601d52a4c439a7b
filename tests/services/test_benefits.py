"""享受政策: catalogue defaults per year, validation, and the feed into transfer income."""

from datetime import date

import pytest
from sqlalchemy import select

from fupin_desktop.db.models import HouseholdIncome
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import MemberForm
from fupin_desktop.errors import ValidationError
from fupin_desktop.services import benefits, households
from fupin_desktop.services.benefits import BenefitForm
from tests.services.test_households import family, save

TODAY = date(2026, 12, 2)


def members(db, hid):
    with db.reading() as s:
        return {m.name: m.id for m in households.get_household(s, hid, today=TODAY).members}


def add(db, form, benefit_id=None):
    with db.transaction() as s:
        return benefits.save_benefit(s, benefit_id, form, today=TODAY)


def transfer(db, hid, year):
    with db.reading() as s:
        row = s.scalar(select(HouseholdIncome).where(HouseholdIncome.household_id == hid, HouseholdIncome.year == year,
                                                     HouseholdIncome.deleted_at.is_(None)))
        return None if row is None else row.transfer_fen


def test_the_catalogue_names_the_policies_of_the_issue(db):
    with db.reading() as s:
        names = {p.name for p in benefits.list_policies(s)}
    for name in ("雨露计划助学(中高职)", "基本医疗保险代缴", "七免一减", "医疗救助", "农村低保", "特困人员救助供养",
                 "困难残疾人生活补贴", "重度残疾人护理补贴", "到户增收补贴", "小额信贷贴息", "公益岗位工资",
                 "危房改造补助", "易地搬迁后续扶持", "临时救助"):
        assert name in names


def test_defaults_follow_the_standard_of_the_year(db):
    with db.reading() as s:
        d2016 = benefits.policy_default(s, "P09", 2016)
        d2025 = benefits.policy_default(s, "P09", 2025, months=6, persons=2)
        yulu = benefits.policy_default(s, "P01", 2025)
        post = benefits.policy_default(s, "P15", 2025, months=10)
        relief = benefits.policy_default(s, "P18", 2025)
    assert d2016.standard_fen == 32000 and d2016.amount_fen == 32000 * 12  # 郑州市 2016: 320 元/人/月
    assert d2025.standard_fen == 73000 and d2025.amount_fen == 73000 * 6 * 2  # the 2020 standard still applies
    assert "郑州市2020年标准" in d2025.basis and "2人" in d2025.basis
    assert yulu.amount_fen == 200000 and post.amount_fen == 520000
    assert relief.amount_fen is None and "按实际" in relief.basis


def test_a_benefit_changes_the_households_transfer_income(db):
    hid = save(db)
    people = members(db, hid)
    assert transfer(db, hid, 2025) is None
    bid = add(db, BenefitForm(hid, 2025, "P09", 876000, paid_on=date(2025, 12, 20)))  # 低保 for the household
    assert transfer(db, hid, 2025) == 876000  # a row was created for the year
    add(db, BenefitForm(hid, 2025, "P11", 144000, member_id=people["李秀英"]))
    assert transfer(db, hid, 2025) == 876000 + 144000
    add(db, BenefitForm(hid, 2025, "P15", 520000, member_id=people["张伟"]))  # wages: not transfer income
    assert transfer(db, hid, 2025) == 876000 + 144000
    add(db, BenefitForm(hid, 2025, "P09", 900000), benefit_id=bid)  # corrected amount: the difference moves
    assert transfer(db, hid, 2025) == 900000 + 144000
    add(db, BenefitForm(hid, 2024, "P09", 900000), benefit_id=bid)  # moved to another year
    assert transfer(db, hid, 2025) == 144000 and transfer(db, hid, 2024) == 900000
    with db.transaction() as s:
        benefits.delete_benefit(s, bid)
    assert transfer(db, hid, 2024) == 0
    with db.reading() as s:
        totals = benefits.benefit_totals(s, hid, 2025)
        rows = benefits.household_policies(s, hid, 2025)
    assert totals.transfer_fen == 144000 and totals.total_fen == 144000 + 520000
    assert [(r.policy_name, r.member_name) for r in rows] == [("困难残疾人生活补贴", "李秀英"),
                                                              ("公益岗位工资", "张伟")]


def test_an_existing_income_row_keeps_what_was_entered_by_hand(db):
    hid = save(db)
    with db.transaction() as s:
        s.add(HouseholdIncome(household_id=hid, year=2025, persons=3, wage_fen=3_000_000, transfer_fen=120_000))
    add(db, BenefitForm(hid, 2025, "P13", 100_000))
    assert transfer(db, hid, 2025) == 220_000


@pytest.mark.parametrize("change, message", [
    (dict(amount_fen=-100), "金额不能为负数"),
    (dict(policy_code="X01"), "不在政策目录中"),
    (dict(year=2030), "年度应在"),
    (dict(policy_code="P11"), "请选择享受的家庭成员"),
    (dict(paid_on=date(2027, 1, 1)), "发放日期不能晚于今天"),
    (dict(period_from=date(2025, 6, 1), period_to=date(2025, 1, 1)), "结束不能早于开始"),
])
def test_bad_benefits_are_refused_and_nothing_is_saved(db, change, message):
    hid = save(db)
    values = dict(household_id=hid, year=2025, policy_code="P09", amount_fen=10000) | change
    with pytest.raises(ValidationError, match=message):
        add(db, BenefitForm(**values))
    with db.reading() as s:
        assert benefits.list_benefits(s) == []
    assert transfer(db, hid, 2025) is None


def test_no_benefit_for_a_member_who_left_the_household(db):
    hid = save(db)
    son = members(db, hid)["张伟"]
    old = add(db, BenefitForm(hid, 2025, "P01", 200000, member_id=son))  # while he still lived here
    with db.reading() as s:
        detail = households.get_household(s, hid, today=TODAY)
    remaining = [households.member_form(m) for m in detail.members if m.name != "张伟"]
    save(db, household_id=hid, members=remaining)  # 张伟 moved out
    with pytest.raises(ValidationError, match="张伟已不在本户"):
        add(db, BenefitForm(hid, 2026, "P01", 200000, member_id=son))
    add(db, BenefitForm(hid, 2025, "P01", 150000, member_id=son), benefit_id=old)  # last year's record: corrected
    assert transfer(db, hid, 2025) == 150000
    other = save(db, "002", members=[MemberForm("赵刚", idcard.make("410182", date(1960, 1, 2), 5, "男"), "户主")])
    with pytest.raises(ValidationError, match="不属于本户"):
        add(db, BenefitForm(other, 2025, "P01", 200000, member_id=members(db, hid)["李秀英"]))
    assert family()  # the fixture family is untouched
