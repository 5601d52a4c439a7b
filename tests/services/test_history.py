"""A household's history from the change log: old values replayed, names for codes, who and when."""

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select

from fupin_desktop.db.models import Cadre, ChangeLog
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.domain.rows import FieldChange, HistoryRow
from fupin_desktop.errors import NotFoundError
from fupin_desktop.services import households
from fupin_desktop.services.history import household_history
from fupin_desktop.services.village import current_village

HEAD = idcard.make("410182", date(1968, 3, 4), 7, "男")
WIFE = idcard.make("410182", date(1970, 5, 6), 8, "女")


def form(**kw) -> HouseholdForm:
    values = dict(number="001", status="未脱贫", group="一组", main_cause="01", attributes=["dibao"])
    return HouseholdForm(**{**values, **kw})


def family() -> list[MemberForm]:
    return [MemberForm("张三明", HEAD, "户主"), MemberForm("李秀英", WIFE, "配偶", health="健康")]


def save(db, household_id=None, *, actor="测试", members=None, **kw) -> uuid.UUID:
    """Create (household_id None) or update; an update keeps the members unless told otherwise."""
    if members is None:
        members = family() if household_id is None else members_of(db, household_id)
    with db.transaction(actor=actor) as s:
        return households.save_household(s, household_id, form(**kw), members)


def history(db, household_id) -> list[HistoryRow]:
    with db.reading() as s:
        return household_history(s, household_id)


def change(row: HistoryRow, field: str) -> FieldChange:
    return next(c for c in row.changes if c.field == field)


def members_of(db, household_id) -> list[MemberForm]:
    with db.reading() as s:
        return [households.member_form(m) for m in households.get_household(s, household_id).members]


def test_insert_lists_the_new_values_by_label_with_names_for_codes(db):
    hid = save(db)
    rows = history(db, hid)
    assert [(r.record, r.op) for r in rows] == [("户", "insert"), ("成员 张三明", "insert"),
                                               ("成员 李秀英", "insert")]
    household = rows[0]
    assert (household.actor, household.table) == ("测试", "household")
    assert change(household, "main_cause") == FieldChange("main_cause", "主要致贫原因", None, "因病")
    assert change(household, "group_id").new == "一组"
    assert change(household, "attributes").new == "低保户"
    assert "village_id" not in {c.field for c in household.changes}  # bookkeeping stays out
    head = rows[1]
    assert [c.label for c in head.changes][:3] == ["姓名", "身份证号", "与户主关系"]
    assert change(head, "sex").new == "男" and change(head, "medical_insurance").new == "是"


def test_updates_show_old_and_new_values_replayed_from_earlier_entries(db):
    hid = save(db)
    with db.transaction() as s:
        s.add(Cadre(village_id=current_village(s).id, name="赵帮扶", role="帮扶责任人"))
    save(db, hid, actor="王书记", group="二组", helper_name="赵帮扶", phone="13800138000",
         attributes=["dibao", "canji"], secondary_causes=["02", "03"])
    save(db, hid, actor="李队员", group="二组", helper_name="赵帮扶", phone="13900139000",
         attributes=["dibao", "canji"], secondary_causes=["02", "03"], main_cause="05")
    first, second = [r for r in history(db, hid) if r.op == "update"]
    assert first.actor == "王书记" and second.actor == "李队员"
    assert change(first, "group_id") == FieldChange("group_id", "村民组", "一组", "二组")
    assert change(first, "helper_id") == FieldChange("helper_id", "帮扶责任人", None, "赵帮扶")
    assert change(first, "phone") == FieldChange("phone", "联系电话", None, "13800138000")
    assert (change(first, "attributes").old, change(first, "attributes").new) == ("低保户", "低保户、残疾人家庭")
    assert change(first, "secondary_causes").new == "因残、因学"
    # the second edit's "before" is the first edit's "after"
    assert {c.field for c in second.changes} == {"phone", "main_cause"}
    assert (change(second, "phone").old, change(second, "phone").new) == ("13800138000", "13900139000")
    assert (change(second, "main_cause").old, change(second, "main_cause").new) == ("因病", "缺土地")


def test_member_changes_name_the_member(db):
    hid = save(db)
    members = members_of(db, hid)
    wife = next(m for m in members if m.name == "李秀英")
    wife.health, wife.name = "大病", "李秀云"
    save(db, hid, members=members)
    edit = history(db, hid)[-1]
    assert (edit.record, edit.op, edit.table) == ("成员 李秀云", "update", "member")
    assert change(edit, "name") == FieldChange("name", "姓名", "李秀英", "李秀云")
    assert change(edit, "health") == FieldChange("health", "健康状况", "健康", "大病")


def test_removed_members_delete_and_restore_are_operations_without_fields(db):
    hid = save(db)
    save(db, hid, members=[m for m in members_of(db, hid) if m.name == "张三明"])
    with db.transaction() as s:
        households.delete_household(s, hid)
    with db.transaction() as s:
        households.restore_household(s, hid)
    rows = history(db, hid)
    assert [(r.record, r.op) for r in rows[3:]] == [("成员 李秀英", "delete"), ("户", "delete"),
                                                   ("成员 张三明", "delete"), ("户", "restore"),
                                                   ("成员 张三明", "restore")]
    assert all(r.changes == () for r in rows[3:])


def test_an_unknown_earlier_value_is_said_to_be_unknown(db):
    hid = save(db)
    with db.transaction() as s:  # as if the household had arrived without its insert entry
        s.execute(delete(ChangeLog).where(ChangeLog.row_id == hid, ChangeLog.op == "insert"))
    save(db, hid, phone="13800138000")
    edit = history(db, hid)[-1]
    assert change(edit, "phone") == FieldChange("phone", "联系电话", None, "13800138000", old_known=False)


def test_times_are_utc_and_shown_in_china_time(db):
    hid = save(db)
    row = history(db, hid)[0]
    assert row.at.utcoffset() == timedelta(0)
    assert row.local_at.utcoffset() == timedelta(hours=8) and row.local_at == row.at


def test_history_is_in_clock_order_and_only_of_this_household(db):
    hid = save(db)
    other = save(db, number="002", members=[MemberForm("王五", idcard.make("410182", date(1980, 1, 1), 1, "男"),
                                                       "户主")])
    save(db, hid, phone="13800138000")
    rows = history(db, hid)
    with db.reading() as s:
        clocks = s.scalars(select(ChangeLog.hlc).where(ChangeLog.row_id.in_([r.row_id for r in rows]))
                           .order_by(ChangeLog.hlc)).all()
        assert len(rows) == len(clocks) == 4
        assert s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.row_id == other)) == 1
    assert "成员 王五" not in {r.record for r in rows}


def test_unknown_household(db):
    with pytest.raises(NotFoundError):
        history(db, uuid.uuid4())
