"""Saving, validating, deleting and restoring households through the service layer."""

from datetime import date

import pytest
from sqlalchemy import func, select

from fupin_desktop.db.models import Cadre, ChangeLog, Member
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import ValidationError
from fupin_desktop.services import households
from fupin_desktop.services.village import current_village

HEAD = idcard.make("410182", date(1968, 3, 4), 7, "男")
WIFE = idcard.make("410182", date(1970, 5, 6), 8, "女")
SON = idcard.make("410182", date(1995, 8, 1), 3, "男")


def form(number="001", **kw):
    return HouseholdForm(number=number, status="未脱贫", group="一组", main_cause="01", **kw)


def family():
    return [MemberForm("张三明", HEAD, "户主", labour_ability="有劳动能力"), MemberForm("李秀英", WIFE, "配偶"),
            MemberForm("张伟", SON, "之子", employment_status="外出务工", employment_place="广东省深圳市")]


def save(db, number="001", members=None, household_id=None, **kw):
    with db.transaction() as s:
        return households.save_household(s, household_id, form(number, **kw), family() if members is None else members)


def detail(db, hid):
    with db.reading() as s:
        return households.get_household(s, hid, today=date(2026, 11, 22))


def change_count(db):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog))


def test_create_derives_sex_birth_and_age(db):
    d = detail(db, save(db))
    head = d.members[0]
    assert (head.name, head.relation, head.sex, head.age) == ("张三明", "户主", "男", 58)
    assert head.birth_date == date(1968, 3, 4)
    assert [m.name for m in d.members] == ["张三明", "李秀英", "张伟"]
    assert d.group == "一组" and d.main_cause == "01"


def test_invalid_id_number_saves_nothing(db):
    before = change_count(db)
    bad = family()
    bad[1].id_number = WIFE[:-1] + ("0" if WIFE[-1] != "0" else "1")
    with pytest.raises(ValidationError) as e:
        save(db, members=bad)
    assert "成员2（李秀英）" in str(e.value) and "校验码错误" in str(e.value)
    assert change_count(db) == before


def test_duplicate_id_number_across_households_is_refused(db):
    save(db, "001")
    with pytest.raises(ValidationError, match=r"已登记在第001户（张三明）"):
        save(db, "002", members=[MemberForm("张三明", HEAD, "户主")])


def test_second_head_and_duplicate_household_number(db):
    with pytest.raises(ValidationError, match="只能有一名户主"):
        save(db, members=[MemberForm("张三明", HEAD, "户主"), MemberForm("李秀英", WIFE, "户主")])
    save(db, "001")
    with pytest.raises(ValidationError, match="户编号 001 已被本村其他户使用"):
        save(db, "001", members=[MemberForm("王五", idcard.make("410182", date(1980, 1, 1), 1, "男"), "户主")])


def test_unknown_group_helper_and_cause(db):
    with pytest.raises(ValidationError) as e:
        with db.transaction() as s:
            households.save_household(s, None, HouseholdForm(number="9", status="未脱贫", group="九组", main_cause="42",
                                                             helper_name="查无此人"), family())
    text = str(e.value)
    assert "村民组“九组”不存在" in text and "帮扶责任人“查无此人”" in text and "致贫原因代码“42”" in text


def test_edit_members_logs_only_what_changed(db):
    hid = save(db)
    with db.transaction() as s:
        s.add(Cadre(village_id=current_village(s).id, name="赵帮扶", role="帮扶责任人", phone="13900001111"))
    members = [households.member_form(m) for m in detail(db, hid).members]
    members[2].employment_status = "就近就业"
    del members[1]  # 李秀英 moved away
    before = change_count(db)
    with db.transaction() as s:
        households.save_household(s, hid, form(helper_name="赵帮扶"), members)
    d = detail(db, hid)
    assert [m.name for m in d.members] == ["张三明", "张伟"] and d.helper == "赵帮扶"
    with db.reading() as s:
        new = s.scalars(select(ChangeLog).where(ChangeLog.seq > before).order_by(ChangeLog.seq)).all()
    assert sorted((e.table_name, e.op, tuple(sorted(e.fields))) for e in new) == [
        ("household", "update", ("helper_id",)),
        ("member", "delete", ("deleted_at",)),
        ("member", "update", ("employment_status",)),
    ]


def test_delete_is_a_tombstone_and_restore_undoes_it(db):
    hid = save(db)
    with db.transaction() as s:
        households.delete_household(s, hid)
    assert detail(db, hid).deleted
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Member).where(Member.household_id == hid)) == 3
    # the ID numbers are free while deleted
    other = save(db, "002", members=[MemberForm("张三明", HEAD, "户主")])
    with pytest.raises(ValidationError, match="已被其他户使用|已登记"):
        with db.transaction() as s:
            households.delete_household(s, other)
            wang = MemberForm("王五", idcard.make("410182", date(1980, 1, 1), 1, "男"), "户主")
            households.save_household(s, None, form("001"), [wang])
            households.restore_household(s, hid)
    with db.transaction() as s:
        households.delete_household(s, other)
    with db.transaction() as s:
        households.restore_household(s, hid)
    d = detail(db, hid)
    assert not d.deleted and len(d.members) == 3


def test_the_next_number_follows_the_villages_numbering(db):
    """The editor's example number: 村代码 + 0001 in an empty village, else the highest plus one."""
    from fupin_desktop.services.households import next_number

    with db.reading() as s:
        assert next_number(s) == "4101821042010001"
    save(db, "4101821042010009")
    save(db, "4101821042010010", [MemberForm("王小红", idcard.make("410182", date(1985, 6, 15), 1, "女"), "户主")])
    with db.reading() as s:
        assert next_number(s) == "4101821042010011"
