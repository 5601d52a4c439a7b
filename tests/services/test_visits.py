"""Recording visits: problems become ledger items, bad input saves nothing, history rows for printing."""

from datetime import date, time

import pytest
from sqlalchemy import func, select

from fupin_desktop.db.models import Attachment, LedgerItem, Visit, VisitMeasure, VisitVisitor
from fupin_desktop.domain.ids import uuid7
from fupin_desktop.errors import FupinError, NotFoundError, ValidationError
from fupin_desktop.services.households import delete_household
from fupin_desktop.services.visits import (
    ProblemForm,
    VisitForm,
    VisitQuery,
    delete_visit,
    get_visit,
    household_visits,
    list_visits,
    record_visit,
)
from tests.services.visit_fixtures import jpeg

TODAY = date(2026, 11, 28)


def form(v, **kw) -> VisitForm:
    base = dict(household_id=v.poor, visited_on=date(2026, 11, 21), visit_type="帮扶责任人入户",
                visitor_ids=[v.helper], visited_at=time(19, 30))
    return VisitForm(**{**base, **kw})


def count(db, model) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None)))


def test_a_visit_with_a_problem_creates_the_ledger_item(db, village):
    measure = uuid7()  # an N+2 plan measure (plans are built elsewhere: a plain id here)
    f = form(village, visitor_ids=[village.helper, village.secretary], members_present=[village.poor_members[0]],
             checklist={"food": "正常", "housing": "有问题", "education": "不涉及"},
             checklist_notes={"housing": "东屋墙体开裂"}, policies=["医疗保障（七免一减、先诊疗后付费）"],
             notes="户主腰椎病复查", confirmation="户主签字确认", confirmed_by="张三明",
             next_due=date(2026, 12, 5), measure_ids=[measure],
             problems=[ProblemForm("东屋墙体开裂，需住房安全鉴定", checklist_item="housing",
                                   deadline=date(2026, 12, 31))])
    with db.transaction() as s:
        saved = record_visit(s, None, f, today=TODAY)
    assert len(saved.ledger_item_ids) == 1
    with db.reading() as s:
        item = s.get(LedgerItem, saved.ledger_item_ids[0])
        assert (item.source, item.category, item.level, item.status) == ("走访发现", "两不愁三保障", "户级", "未整改")
        assert item.description == "住房安全：东屋墙体开裂，需住房安全鉴定"
        assert item.household_id == village.poor and item.visit_id == saved.visit_id
        assert item.responsible_id == village.helper  # the household's 帮扶责任人 by default
        assert item.number == "2026-001" and item.received_on == date(2026, 11, 21)
        assert s.scalar(select(VisitMeasure.measure_id)) == measure
        history = household_visits(s, village.poor)
    assert len(history) == 1
    h = history[0]
    assert h.visitors == ("王建军", "李明") and h.members_present == ("张三明",)
    assert h.checklist == {"吃": "正常", "义务教育": "不涉及", "住房安全": "有问题"}
    assert h.findings == "住房安全有问题（东屋墙体开裂）；户主腰椎病复查"
    assert h.ledger_numbers == ("2026-001",) and h.measure_ids == (measure,)


def test_a_second_visit_problem_gets_the_next_number(db, village):
    with db.transaction() as s:
        record_visit(s, None, form(village, problems=[ProblemForm("缺劳动力"), ProblemForm("慢性病卡未办")]),
                     today=TODAY)
    with db.reading() as s:
        assert sorted(s.scalars(select(LedgerItem.number))) == ["2026-001", "2026-002"]


@pytest.mark.parametrize(("changes", "message"), [
    (dict(visited_on=date(2026, 11, 29)), "晚于今天"),
    (dict(visited_on=date(2015, 6, 1)), "早于该户识别年度（2016年）"),
    (dict(visited_on=date(2010, 6, 1)), "早于建档立卡工作开始"),
    (dict(visitor_ids=[]), "请至少选择一名走访人"),
    (dict(visit_type="串门"), "走访类型"),
    (dict(checklist={"housing": "还行"}), "住房安全的结果"),
    (dict(next_due=date(2026, 11, 20)), "下次走访日期应晚于"),
    (dict(problems=[ProblemForm(" ")]), "请填写问题描述"),
])
def test_bad_input_is_refused_and_nothing_is_saved(db, village, tmp_path, changes, message):
    photo = jpeg(tmp_path / "house.jpg")
    with pytest.raises(ValidationError, match=message), db.transaction() as s:
        record_visit(s, None, form(village, **{"photos": [photo], "problems": [ProblemForm("漏水")], **changes}),
                     today=TODAY)
    for model in (Visit, VisitVisitor, LedgerItem, Attachment):
        assert count(db, model) == 0
    assert not (db.file.parent / "attachments").exists()  # photos are stored only after every check


def test_a_corrupt_photo_saves_nothing(db, village, tmp_path):
    bad = tmp_path / "IMG_0001.jpg"
    bad.write_bytes(jpeg(tmp_path / "x.jpg").read_bytes()[:600])  # cut off: a stick pulled out mid-copy
    with pytest.raises(FupinError, match="IMG_0001.jpg"), db.transaction() as s:
        record_visit(s, None, form(village, problems=[ProblemForm("漏水")], photos=[bad]), today=TODAY)
    assert count(db, Visit) == count(db, LedgerItem) == 0


def test_a_deleted_household_cannot_be_visited(db, village):
    with db.transaction() as s:
        delete_household(s, village.general)
    with pytest.raises(NotFoundError, match="已被删除"), db.transaction() as s:
        record_visit(s, None, form(village, household_id=village.general), today=TODAY)
    assert count(db, Visit) == 0


def test_a_retired_visitor_and_a_stranger_present_are_refused(db, village):
    with pytest.raises(ValidationError) as e, db.transaction() as s:
        record_visit(s, None, form(village, visitor_ids=[uuid7()], members_present=[uuid7()]), today=TODAY)
    assert {err.field for err in e.value.errors} == {"visitor_ids", "members_present"}


def test_edit_replaces_visitors_and_delete_tombstones(db, village):
    with db.transaction() as s:
        saved = record_visit(s, None, form(village, visitor_ids=[village.helper, village.member]), today=TODAY)
    with db.transaction() as s:
        record_visit(s, saved.visit_id, form(village, visitor_ids=[village.secretary], notes="补记"), today=TODAY)
    with db.reading() as s:
        d = get_visit(s, saved.visit_id)
        assert d.form.visitor_ids == [village.secretary] and d.form.notes == "补记"
        assert d.household == "001 张三明"
    with db.transaction() as s:
        delete_visit(s, saved.visit_id)
    assert count(db, Visit) == count(db, VisitVisitor) == 0


def test_the_list_is_newest_first_filtered_and_paged(db, village):
    with db.transaction() as s:
        for day in (3, 10, 17, 24):
            record_visit(s, None, form(village, visited_on=date(2026, 11, day)), today=TODAY)
        record_visit(s, None, form(village, household_id=village.general, visit_type="两委走访",
                                   visitor_ids=[village.member], visited_on=date(2026, 11, 12)), today=TODAY)
    with db.reading() as s:
        page = list_visits(s, VisitQuery(limit=3))
        assert page.total == 5 and [r.visited_on.day for r in page.rows] == [24, 17, 12]
        assert page.rows[2].head_name == "王小红" and page.rows[2].visitors == "赵敏"
        assert list_visits(s, VisitQuery(text="wxh")).total == 1  # pinyin initials of 王小红
        assert list_visits(s, VisitQuery(visitor_id=village.helper)).total == 4
        assert list_visits(s, VisitQuery(date_from=date(2026, 11, 10), date_to=date(2026, 11, 17))).total == 3
        assert list_visits(s, VisitQuery(visit_type="两委走访", offset=0)).rows[0].household_number == "002"


def test_a_deleted_households_visits_leave_the_list(db, village):
    with db.transaction() as s:
        record_visit(s, None, form(village, household_id=village.general, visitor_ids=[village.member]), today=TODAY)
        record_visit(s, None, form(village), today=TODAY)
        delete_household(s, village.general)
    with db.reading() as s:
        page = list_visits(s, VisitQuery())
    assert page.total == 1 and page.rows[0].household_number == "001"


def test_the_visit_log_for_printing(db, village, tmp_path):
    from fupin_desktop.services.visits import visit_log_rows

    with db.transaction() as s:
        record_visit(s, None, form(village, visited_on=date(2026, 11, 3), photos=[jpeg(tmp_path / "a.jpg")],
                                   problems=[ProblemForm("漏雨")]), today=TODAY)
        record_visit(s, None, form(village, visited_on=date(2026, 10, 30)), today=TODAY)
    with db.reading() as s:
        [row] = visit_log_rows(s, date(2026, 11, 1), date(2026, 11, 30))
    assert (row.visited_on, row.household, row.visitors, row.ledger_numbers) == (
        date(2026, 11, 3), "001 张三明", ("王建军",), ("2026-001",))
    assert len(row.thumbnails) == 1 and row.thumbnails[0].exists()


def test_the_list_counts_every_problem_the_visit_put_in_the_ledger(db, village):
    """One 有问题 checklist item and one typed problem make two ledger items: the list says 2."""
    f = form(village, checklist={"housing": "有问题"}, checklist_notes={"housing": "漏雨"},
             problems=[ProblemForm("漏雨", checklist_item="housing"), ProblemForm("慢性病卡未办")])
    with db.transaction() as s:
        assert len(record_visit(s, None, f, today=TODAY).ledger_item_ids) == 2
        record_visit(s, None, form(village, checklist={"housing": "有问题", "water_quality": "有问题"}), today=TODAY)
    with db.reading() as s:
        assert sorted(r.problems for r in list_visits(s).rows) == [2, 2]  # the second: not put in the ledger
