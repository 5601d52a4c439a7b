"""Settings services: the village profile and collective income, 村民组 and cadres."""

from datetime import date

import pytest
from sqlalchemy import func, select

from fupin_desktop.db.models import Cadre, ChangeLog, Household, VillageIncome, VillagerGroup
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import NotFoundError, ValidationError
from fupin_desktop.services import cadres as cadres
from fupin_desktop.services import village
from fupin_desktop.services.households import save_household
from fupin_desktop.services.village import IncomeEntry, VillageForm

TODAY = date(2026, 11, 22)


def read(db, op):
    with db.reading() as s:
        return op(s)


def write(db, op):
    with db.transaction(actor="测试") as s:
        return op(s)


def messages(excinfo) -> list[str]:
    return [str(e) for e in excinfo.value.errors]


def add_household(db, number: str, *, group: str = "一组", helper: str | None = None):
    head = MemberForm("张三明", idcard.make("410182", date(1970, 1, 1), int(number), "男"), "户主")
    form = HouseholdForm(number=number, status="一般农户", group=group, helper_name=helper)
    return write(db, lambda s: save_household(s, None, form, [head]))


def log_count(db) -> int:
    return read(db, lambda s: s.scalar(select(func.count()).select_from(ChangeLog)))


# -- village profile -------------------------------------------------------------------------------

def test_village_settings_read_the_profile(db):
    v = read(db, village.village_settings)
    assert (v.code, v.name, v.township, v.county) == ("410182104201", "新沟村", "汜水镇", "荥阳市")
    assert v.designation is None and v.tags == () and v.incomes == ()


def test_save_village_stores_the_profile_and_incomes(db):
    form = VillageForm(name=" 新沟村 ", designation="省级贫困村", tags=["美丽乡村", "软弱涣散村"], designated_year=2014,
                       exit_year=2017, households_total=437, population_total=1688, area_km2=3.02,
                       natural_villages=6, note="海棠园",
                       incomes=[IncomeEntry(2023, "52000"), IncomeEntry(2024, "5.6万", "光伏电站")])
    db.take_changes()
    write(db, lambda s: village.save_village(s, form, today=TODAY))
    assert db.take_changes().tables == {"village", "village_income"}
    v = read(db, village.village_settings)
    assert v.name == "新沟村" and v.designation == "省级贫困村"
    assert v.tags == ("软弱涣散村", "美丽乡村")  # catalogue order
    assert (v.households_total, v.population_total, v.area_km2, v.natural_villages) == (437, 1688, 3.02, 6)
    assert [(i.year, i.amount_fen, i.note) for i in v.incomes] == [(2023, 5_200_000, None),
                                                                   (2024, 5_600_000, "光伏电站")]


def test_incomes_are_replaced_as_a_table_with_tombstones(db):
    base = VillageForm(name="新沟村", incomes=[IncomeEntry(2022, "1"), IncomeEntry(2023, "2")])
    write(db, lambda s: village.save_village(s, base, today=TODAY))
    again = VillageForm(name="新沟村", incomes=[IncomeEntry(2023, "3.50")])
    write(db, lambda s: village.save_village(s, again, today=TODAY))
    assert [(i.year, i.amount_fen) for i in read(db, village.village_settings).incomes] == [(2023, 350)]
    tombstoned = read(db, lambda s: s.scalars(select(VillageIncome.year).where(VillageIncome.deleted_at.is_not(None)))
                      .all())
    assert tombstoned == [2022]
    before = log_count(db)
    write(db, lambda s: village.save_village(s, VillageForm(name="新沟村", incomes=None), today=TODAY))
    assert read(db, village.village_settings).incomes  # None leaves the table alone
    assert log_count(db) == before  # nothing really changed, nothing logged


def test_village_form_errors_are_chinese_and_nothing_is_saved(db):
    form = VillageForm(name=" ", designation="国家级贫困村", tags=["网红村"], designated_year=2018, exit_year=2016,
                       households_total=400, population_total=300, area_km2=0,
                       incomes=[IncomeEntry(2023, "五万"), IncomeEntry(2023, "1"), IncomeEntry(None, "-3")])
    with pytest.raises(ValidationError) as e:
        write(db, lambda s: village.save_village(s, form, today=TODAY))
    text = "\n".join(messages(e))
    for expected in ("村名不能为空", "贫困村类别“国家级贫困村”不在可选范围内", "村标签“网红村”", "退出年份不能早于",
                     "总人口不应少于总户数", "面积应大于0", "2023年：金额“五万”不是数字", "2023年：年份重复",
                     "第3行：请填写年份", "第3行：金额不能为负数"):
        assert expected in text
    assert read(db, village.village_settings).name == "新沟村"


# -- 村民组 -----------------------------------------------------------------------------------------

def test_groups_list_with_household_counts(db):
    add_household(db, "1")
    add_household(db, "2")
    rows = read(db, village.list_groups)
    assert [(g.name, g.households) for g in rows] == [("一组", 2), ("二组", 0)]


def test_add_rename_and_reorder_groups(db):
    new = write(db, lambda s: village.add_group(s, " 三组 "))
    assert [g.name for g in read(db, village.list_groups)] == ["一组", "二组", "三组"]
    write(db, lambda s: village.rename_group(s, new, "新沟"))
    ids = {g.name: g.id for g in read(db, village.list_groups)}
    write(db, lambda s: village.reorder_groups(s, [ids["新沟"], ids["二组"], ids["一组"]]))
    assert [g.name for g in read(db, village.list_groups)] == ["新沟", "二组", "一组"]
    assert read(db, village.group_names) == ["新沟", "二组", "一组"]


def test_group_names_must_be_unique_and_filled(db):
    with pytest.raises(ValidationError, match="已有名为“一组”的村民组"):
        write(db, lambda s: village.add_group(s, "一组"))
    with pytest.raises(ValidationError, match="不能为空"):
        write(db, lambda s: village.add_group(s, "  "))
    ids = {g.name: g.id for g in read(db, village.list_groups)}
    with pytest.raises(ValidationError, match="已有名为“二组”"):
        write(db, lambda s: village.rename_group(s, ids["一组"], "二组"))
    write(db, lambda s: village.rename_group(s, ids["一组"], "一组"))  # unchanged is fine


def test_reorder_with_a_stale_list_is_refused(db):
    ids = [g.id for g in read(db, village.list_groups)]
    write(db, lambda s: village.add_group(s, "三组"))
    with pytest.raises(NotFoundError, match="请刷新"):
        write(db, lambda s: village.reorder_groups(s, ids))


def test_deleting_a_group_with_households_is_refused_with_the_count(db):
    add_household(db, "1")
    add_household(db, "2")
    ids = {g.name: g.id for g in read(db, village.list_groups)}
    with pytest.raises(ValidationError) as e:
        write(db, lambda s: village.delete_group(s, ids["一组"]))
    assert messages(e) == ["“一组”还有2户，不能删除。请先把这些户调到其他村民组。"]
    write(db, lambda s: village.delete_group(s, ids["二组"]))
    assert [g.name for g in read(db, village.list_groups)] == ["一组"]
    assert read(db, lambda s: s.get(VillagerGroup, ids["二组"]).deleted_at) is not None  # a tombstone
    write(db, lambda s: village.add_group(s, "二组"))  # the name is free again


# -- cadres ----------------------------------------------------------------------------------------

def add_cadre(db, name="李明", role="帮扶责任人", **kw):
    return write(db, lambda s: cadres.save_cadre(s, None, cadres.CadreForm(name=name, role=role, **kw)))


def test_add_and_list_cadres_in_role_order_with_paired_households(db):
    add_cadre(db, "李明", unit="荥阳市农业农村局", phone="138 0013 8000")
    add_cadre(db, "王书记", "第一书记", unit="郑州市财政局", started_on=date(2024, 3, 1))
    add_household(db, "1", helper="李明")
    add_household(db, "2", helper="李明")
    rows = read(db, cadres.list_cadres)
    assert [(c.name, c.role, c.households) for c in rows] == [("王书记", "第一书记", 0), ("李明", "帮扶责任人", 2)]
    assert rows[1].phone == "13800138000"  # normalized


def test_invalid_cadre_is_refused_with_field_errors(db):
    form = cadres.CadreForm(name="", role="村长", phone="1380013800", started_on=date(2024, 5, 1),
                            ended_on=date(2024, 1, 1))
    with pytest.raises(ValidationError) as e:
        write(db, lambda s: cadres.save_cadre(s, None, form))
    assert {err.field for err in e.value.errors} == {"name", "role", "phone", "ended_on"}
    assert "手机号应为以1开头的11位数字，现为10位" in messages(e)
    assert read(db, cadres.list_cadres) == []


def test_cadre_names_are_unique_among_serving_cadres(db):
    first = add_cadre(db, "李明")
    with pytest.raises(ValidationError, match="已有同名人员“李明”"):
        add_cadre(db, "李明", "工作队员")
    edited = write(db, lambda s: cadres.save_cadre(s, first, cadres.CadreForm("李明", "工作队员", position="队员")))
    assert edited == first
    assert [(c.role, c.position) for c in read(db, cadres.list_cadres)] == [("工作队员", "队员")]


def test_retiring_a_helper_with_households_is_refused_unless_reassigned(db):
    li = add_cadre(db, "李明")
    wang = add_cadre(db, "王芳")
    hid = add_household(db, "1", helper="李明")
    add_household(db, "2", helper="李明")
    with pytest.raises(ValidationError) as e:
        write(db, lambda s: cadres.retire_cadre(s, li, today=TODAY))
    assert messages(e) == ["李明还是2户的帮扶责任人，不能直接移除。请先把这些户改派给其他帮扶人。"]
    db.take_changes()
    write(db, lambda s: cadres.retire_cadre(s, li, reassign_to=wang, today=TODAY))
    changes = db.take_changes()  # the transaction says what it changed
    assert changes.cadres and changes.households and changes.tables == {"cadre", "household"}
    assert [(c.name, c.households) for c in read(db, cadres.list_cadres)] == [("王芳", 2)]
    retired = read(db, lambda s: s.get(Cadre, li))
    assert retired.deleted_at is not None and retired.ended_on == TODAY  # tombstone, never deleted
    assert read(db, lambda s: s.get(Household, hid).helper_id) == wang


def test_retiring_to_oneself_or_a_retired_cadre_is_refused(db):
    li = add_cadre(db, "李明")
    gone = add_cadre(db, "赵离")
    add_household(db, "1", helper="李明")
    write(db, lambda s: cadres.retire_cadre(s, gone, today=TODAY))
    with pytest.raises(ValidationError, match="另一位"):
        write(db, lambda s: cadres.retire_cadre(s, li, reassign_to=li))
    with pytest.raises(NotFoundError):
        write(db, lambda s: cadres.retire_cadre(s, li, reassign_to=gone))
    assert read(db, lambda s: s.get(Cadre, li).deleted_at) is None


def test_cadre_changes_reach_the_change_log(db):
    before = log_count(db)
    li = add_cadre(db, "李明")
    write(db, lambda s: cadres.retire_cadre(s, li, today=TODAY))
    ops = read(db, lambda s: s.scalars(select(ChangeLog.op).where(ChangeLog.row_id == li).order_by(ChangeLog.seq))
               .all())
    assert log_count(db) == before + 2 and ops == ["insert", "delete"]
