from datetime import date

from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm, check_household, check_members

HEAD = idcard.make("410182", date(1968, 3, 4), 7, "男")
WIFE = idcard.make("410182", date(1970, 5, 6), 8, "女")


def messages(errors):
    return [str(e) for e in errors]


def test_a_good_household_has_no_errors():
    assert check_members([MemberForm("张三明", HEAD, "户主"), MemberForm("李秀英", WIFE, "配偶")]) == []
    assert check_household(HouseholdForm(number="001", status="未脱贫", main_cause="01")) == []


def test_second_head_is_refused_by_name():
    errors = check_members([MemberForm("张三明", HEAD, "户主"), MemberForm("李秀英", WIFE, "户主")])
    assert any("只能有一名户主，现有2名：张三明、李秀英" in m for m in messages(errors))


def test_missing_head_and_empty_household():
    assert any("没有户主" in m for m in messages(check_members([MemberForm("李秀英", WIFE, "配偶")])))
    assert any("至少要有一名成员" in m for m in messages(check_members([])))


def test_duplicate_id_within_household():
    errors = check_members([MemberForm("张三明", HEAD, "户主"), MemberForm("张三", HEAD, "之兄弟姐妹")])
    assert any("在本户重复" in m for m in messages(errors))


def test_member_errors_name_the_member_and_field():
    errors = check_members([MemberForm("张三明", HEAD[:-1] + "0", "户主")])
    assert errors[0].field == "id_number" and errors[0].record == "成员1（张三明）"


def test_relation_sex_mismatch():
    son = idcard.make("410182", date(1995, 1, 1), 1, "男")
    errors = check_members([MemberForm("张三明", HEAD, "户主"), MemberForm("张丽", son, "之女")])
    assert any("性别为男" in m for m in messages(errors))


def test_household_rules():
    found = messages(check_household(HouseholdForm(number="", status="已脱贫(享受政策)", phone="abc")))
    assert any("户编号不能为空" in m for m in found)
    assert any("电话号码格式不正确" in m for m in found)
    assert any("主要致贫原因" in m for m in found)
    assert any("脱贫年度" in m for m in found)
    assert any("不在可选范围" in m for m in messages(check_household(HouseholdForm(number="1", status="贫困"))))


def test_a_household_is_named_by_its_head_when_its_number_is_long() -> None:
    from fupin_desktop.domain.household import household_name

    assert household_name("001", "张三明") == "第001户（张三明）"
    assert household_name("001", "张三明", brackets=False) == "第001户 张三明"
    assert household_name("4101821042010044", "王帅帅") == "王帅帅户（户编号 4101821042010044）"
    assert household_name("4101821042010044") == "户编号 4101821042010044"
    assert "第4101821042010044户" not in household_name("4101821042010044", "王帅帅", brackets=False)
