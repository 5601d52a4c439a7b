"""Plans in a real SQLite file: create, save, clone, lifecycle, compliance report, due items, card rows."""

import uuid
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.domain.plan_rules import MeasureForm
from fupin_desktop.errors import FupinError, NotFoundError, ValidationError
from fupin_desktop.services import plans
from fupin_desktop.services.due import due_items
from fupin_desktop.services.households import get_household, save_household

TODAY = date(2026, 6, 15)


def add_household(s, number: str = "0001", *, kid: bool = False, status: str = "已脱贫(享受政策)") -> uuid.UUID:  # type: ignore[no-untyped-def]
    seq = int(number) * 10
    members = [MemberForm(name="张建国", id_number=idcard.make("410182", date(1974, 3, 15), seq, "男"),
                          relation="户主", labour_ability="有劳动能力",
                          employment_status="务农"),
               MemberForm(name="李秀英", id_number=idcard.make("410182", date(1976, 8, 12), seq + 1, "女"),
                          relation="配偶", labour_ability="有劳动能力",
                          employment_status="务农")]
    if kid:
        members.append(MemberForm(name="张小明", id_number=idcard.make("410182", date(2013, 9, 1), seq + 2, "男"),
                                  relation="之子", schooling_stage="初中"))
    from fupin_desktop.db.models import Cadre
    from fupin_desktop.services.village import current_village

    if s.scalar(select(Cadre.id).where(Cadre.name == "王志强")) is None:  # the 帮扶责任人 every plan needs
        s.add(Cadre(village_id=current_village(s).id, name="王志强", role="帮扶责任人", unit="汜水镇人民政府"))
        s.flush()
    form = HouseholdForm(number=number, status=status, group="一组", main_cause="07", housing_safety="鉴定安全",
                         exit_year=2017, identified_year=2014, helper_name="王志强")
    return save_household(s, None, form, members, today=TODAY)


def measures_for(s, hid: uuid.UUID) -> list[MeasureForm]:  # type: ignore[no-untyped-def]
    ids = [m.id for m in get_household(s, hid, today=TODAY).members]

    def m(code: str, family: str, name: str, member: uuid.UUID | None, level: str, **kw) -> MeasureForm:  # type: ignore[no-untyped-def]
        return MeasureForm(type_code=code, family=family, type_name=name, member_id=member, level=level,
                           target="1人稳定就业", responsible_person="王志强", responsible_unit="汜水镇人民政府",
                           planned_start=date(2026, 3, 1), deadline=date(2026, 11, 30), **kw)

    out = [m("Z08", "转", "农村实用技术培训", ids[0], "人"), m("Z02", "转", "产业发展就地就近吸纳", ids[1], "户或人"),
           m("F02", "扶", "畜牧养殖", None, "户"),
           m("F10", "扶", "扶贫小额信贷", None, "户", funded=True, amount_fen=5_000_000, fund_source="金融机构")]
    if len(ids) > 2:
        out.append(m("BZ04", "保", "教育保障·义务教育", ids[2], "人"))
    return out


@pytest.fixture
def plan(db):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = add_household(s)
        pid = plans.create_plan(s, hid, 2026, today=TODAY)
        plans.set_poverty_line(s, 2026, 600_000, "河南省")
        plans.save_plan(s, pid, plans.PlanHeader(), measures_for(s, hid), today=TODAY)
    return hid, pid


def test_save_and_read_back_a_compliant_plan(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, pid = plan
    with db.reading() as s:
        d = plans.get_plan(s, pid, today=TODAY)
    assert d.status == "草稿" and d.year == 2026 and d.head_name == "张建国" and d.group == "一组"
    assert [m.type_code for m in d.measures] == ["Z08", "Z02", "F02", "F10"]
    assert d.measures[2].level == "户" and d.measures[3].amount_fen == 5_000_000
    assert d.findings == ()


def test_second_plan_for_the_same_year_is_refused(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, _ = plan
    with db.transaction() as s, pytest.raises(ValidationError, match="已有2026年的帮扶计划"):
        plans.create_plan(s, hid, 2026, today=TODAY)


def test_impossible_measures_are_refused_and_nothing_changes(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, pid = plan
    with db.reading() as s:
        before = plans.get_plan(s, pid, today=TODAY)
    bad = list(before.measures)
    bad[0] = replace(bad[0], planned_start=date(2026, 9, 1), deadline=date(2026, 3, 1))
    bad[3] = replace(bad[3], amount_fen=-5)
    with pytest.raises(ValidationError) as e, db.transaction() as s:
        plans.save_plan(s, pid, before.header, bad, today=TODAY)
    text = str(e.value)
    assert "早于计划开始" in text and "负数" in text
    with pytest.raises(ValidationError, match="不在措施目录中"), db.transaction() as s:
        plans.save_plan(s, pid, before.header, [replace(bad[0], type_code="XX1")], today=TODAY)
    with db.reading() as s:
        assert plans.get_plan(s, pid, today=TODAY).measures == before.measures


def test_measure_of_a_member_who_left_is_reported(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, pid = plan
    with db.transaction() as s:  # the wife leaves the household
        h = get_household(s, hid, today=TODAY)
        head = h.members[0]
        from fupin_desktop.services.households import member_form
        save_household(s, hid, HouseholdForm(number="0001", status=h.status, group="一组", main_cause="07",
                                             housing_safety="鉴定安全", exit_year=2017, identified_year=2014,
                                             helper_name="王志强"),
                       [member_form(head)], today=TODAY)
    with db.reading() as s:
        d = plans.get_plan(s, pid, today=TODAY)
    assert any("已不在本户" in f.message for f in d.errors)
    with pytest.raises(ValidationError, match="已不在本户"), db.transaction() as s:
        plans.save_plan(s, pid, d.header, list(d.measures), today=TODAY)
    with db.transaction() as s:  # dropping the measure makes the plan whole again (N = 1 now)
        d = plans.save_plan(s, pid, d.header, [m for i, m in enumerate(d.measures) if i != 1], today=TODAY)
    assert d.findings == ()


def test_lifecycle_submit_approve_needs_dual_confirmation(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, pid = plan
    with db.transaction() as s:
        plans.submit_plan(s, pid, today=TODAY)
    with pytest.raises(ValidationError, match="双认定"), db.transaction() as s:
        plans.approve_plan(s, pid, "赵书记", today=TODAY)
    with db.transaction() as s:
        d = plans.get_plan(s, pid, today=TODAY)
        header = plans.PlanHeader(team_confirmed_on=date(2026, 3, 5), team_confirmed_by="王志强",
                                  household_confirmed_on=date(2026, 3, 6), household_signer="张建国")
        plans.save_plan(s, pid, header, list(d.measures), today=TODAY)
        plans.approve_plan(s, pid, "赵书记", today=TODAY)
        plans.start_plan(s, pid)
    with db.reading() as s:
        d = plans.get_plan(s, pid, today=TODAY)
    # version 2: the 双认定 was saved after the plan had been submitted
    assert (d.status, d.approved_by, d.approved_on, d.version) == ("执行中", "赵书记", TODAY, 2)
    # closing needs the money trail of the funded measure (rule 5 at close)
    with pytest.raises(ValidationError, match="拨付日期"), db.transaction() as s:
        plans.close_plan(s, pid, today=TODAY)
    done = [replace(m, completed_on=date(2026, 6, 1)) for m in d.measures]
    done[3] = replace(done[3], disbursed_on=date(2026, 5, 20), payee="张建国")
    with db.transaction() as s:
        assert plans.save_plan(s, pid, d.header, done, today=TODAY).version == 3
        assert plans.save_plan(s, pid, d.header, done, today=TODAY).version == 3  # nothing changed
        plans.close_plan(s, pid, today=TODAY)
    with pytest.raises(FupinError, match="已完结"), db.transaction() as s:
        plans.save_plan(s, pid, d.header, done, today=TODAY)


def test_submit_refused_while_rules_fail(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = add_household(s)
        pid = plans.create_plan(s, hid, 2026, today=TODAY)
    with pytest.raises(ValidationError, match="一人至少一策"), db.transaction() as s:
        plans.submit_plan(s, pid, today=TODAY)
    with db.reading() as s:
        assert plans.get_plan(s, pid, today=TODAY).status == "草稿"


def test_clone_keeps_measures_and_resets_progress(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, pid = plan
    with db.transaction() as s:
        d = plans.get_plan(s, pid, today=TODAY)
        done = list(d.measures)
        done[3] = replace(done[3], completed_on=date(2026, 5, 1), disbursed_on=date(2026, 5, 2), payee="张建国")
        d = plans.save_plan(s, pid, d.header, done, today=TODAY)
        plans.add_progress(s, d.measures[0].id, "已参加3天技术培训", noted_on=date(2026, 4, 2), author="王志强")
        result = plans.clone_year(s, 2026, 2027, today=TODAY)
    assert (result.created, result.skipped_existing) == (1, 0)
    with db.reading() as s:
        new_id = plans.find_plan(s, hid, 2027)
        new = plans.get_plan(s, new_id, today=TODAY)  # type: ignore[arg-type]
        old = plans.get_plan(s, pid, today=TODAY)
    assert new.status == "草稿" and new.year == 2027
    assert [m.type_code for m in new.measures] == [m.type_code for m in old.measures]
    assert [m.deadline for m in new.measures] == [date(2027, 11, 30)] * 4
    assert all(m.completed_on is None and m.disbursed_on is None for m in new.measures)
    assert new.measures[3].amount_fen == 5_000_000 and new.progress == {}
    assert old.progress[old.measures[0].id][0].note == "已参加3天技术培训"  # the source is untouched
    assert {m.id for m in new.measures}.isdisjoint({m.id for m in old.measures})
    with db.transaction() as s:  # a second run skips the household
        assert plans.clone_year(s, 2026, 2027, today=TODAY).skipped_existing == 1
    with pytest.raises(NotFoundError), db.transaction() as s:
        plans.clone_year(s, 2020, 2027, today=TODAY)


def test_compliance_report_lists_every_violation_with_household(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, pid = plan
    with db.transaction() as s:
        kid_hid = add_household(s, "0002", kid=True)
        kpid = plans.create_plan(s, kid_hid, 2026, today=TODAY)
        ms = measures_for(s, kid_hid)[:-1]  # no education aid for the pupil
        plans.save_plan(s, kpid, plans.PlanHeader(), ms, today=TODAY)
        add_household(s, "0003")  # no plan at all
        add_household(s, "0004", status="一般农户")  # needs none
    with db.reading() as s:
        r = plans.compliance_report(s, 2026, today=TODAY)
    assert (r.households, r.plans, r.compliant, r.without_plan) == (3, 2, 1, 1)
    assert r.by_rule == {1: 1, 3: 1, 8: 1} and not r.ok
    numbers = {(v.household_number, v.rule) for v in r.violations}
    assert ("0002", 8) in numbers and ("0003", 0) in numbers and not any(n == "0001" for n, _ in numbers)
    assert r.poverty_line_fen == 600_000


def test_overview_and_due_items_show_overdue_measures(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, pid = plan
    late_day = date(2026, 12, 10)
    with db.reading() as s:
        rows = plans.plan_overview(s, 2026, today=late_day)
        items = [i for i in due_items(s, late_day) if i.kind == "帮扶计划"]
    assert rows[0].overdue == 4 and rows[0].status == "草稿"
    assert len(items) == 1 and items[0].overdue(late_day) and items[0].count == 4
    nov = date(2026, 11, 3)
    with db.reading() as s:
        items = [i for i in due_items(s, nov) if i.kind == "帮扶计划"]
    assert len(items) == 1 and not items[0].overdue(nov) and "本月到期" in items[0].title
    with db.reading() as s:
        assert [i for i in due_items(s, TODAY) if i.kind == "帮扶计划"] == []


def test_plan_for_card_rows(db, plan) -> None:  # type: ignore[no-untyped-def]
    hid, _ = plan
    with db.reading() as s:
        rows = plans.plan_for_card(s, hid, 2026)
        assert plans.plan_for_card(s, hid, 2025) == []
    assert rows[0].member_name == "张建国" and rows[2].member_name is None
    assert rows[3].amount_fen == 5_000_000 and rows[3].responsible_person == "王志强"


def test_year_without_poverty_line_is_said(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = add_household(s)
        pid = plans.create_plan(s, hid, 2025, today=TODAY)
        d = plans.save_plan(s, pid, plans.PlanHeader(), [replace(m, planned_start=date(2025, 3, 1),
                                                                 deadline=date(2025, 11, 30))
                                                         for m in measures_for(s, hid)], today=TODAY)
    assert [f.message for f in d.findings] == [
        "2025年未配置扶贫标准（收入线），无法核对收入；请在设置中添加该年度的标准"]
    with pytest.raises(ValidationError, match="计划年度"), db.transaction() as s:
        plans.create_plan(s, hid, 2031, today=TODAY)

