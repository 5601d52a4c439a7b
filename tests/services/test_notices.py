"""公示: frozen once posted, new versions for changes, objections with answers, due items."""

from datetime import date

import pytest
from sqlalchemy import select

from fupin_desktop.db.models import NoticeItem, NoticeVersion
from fupin_desktop.db.models.notices import FrozenNoticeError
from fupin_desktop.errors import ValidationError
from fupin_desktop.services import notices
from fupin_desktop.services.due import due_items
from fupin_desktop.services.notices import NoticeForm, NoticeItemForm, ObjectionForm
from tests.services.test_households import save

TODAY = date(2026, 12, 2)


def form(hid, **kw):
    values = dict(kind="雨露计划补助名单", title="2026年秋季雨露计划补助名单公示",
                  body="经村申请、乡审核、县复审，下列学生拟享受雨露计划助学补助，公示期内如有异议请向村委会反映。",
                  items=[NoticeItemForm(household_id=hid, amount_fen=200000, note="张伟 中职")]) | kw
    return NoticeForm(**values)


def draft(db, hid, **kw):
    with db.transaction() as s:
        return notices.save_notice(s, None, form(hid, **kw))


def post(db, nid, on=date(2026, 11, 20)):
    with db.transaction() as s:
        notices.post_notice(s, nid, on, today=TODAY)


def detail(db, nid):
    with db.reading() as s:
        return notices.get_notice(s, nid)


def test_a_draft_is_edited_in_place_and_a_posted_notice_is_frozen(db):
    hid = save(db)
    nid = draft(db, hid)
    with db.transaction() as s:
        notices.save_notice(s, nid, form(hid, title="2026年雨露计划补助名单（修改）"))
    assert [v.title for v in detail(db, nid).versions] == ["2026年雨露计划补助名单（修改）"]
    post(db, nid)
    with pytest.raises(ValidationError, match="请填写更正原因"):
        with db.transaction() as s:
            notices.save_notice(s, nid, form(hid, title="改标题"))
    with db.transaction() as s:  # the ORM itself refuses an edit in place, whatever code tries it
        v = s.scalar(select(NoticeVersion).where(NoticeVersion.notice_id == nid))
        v.title = "偷偷改了"
        with pytest.raises(FrozenNoticeError, match="不能再修改"):
            s.flush()
        s.rollback()
    with db.transaction() as s:  # nor its list
        v = s.scalar(select(NoticeVersion).where(NoticeVersion.notice_id == nid))
        s.add(NoticeItem(version_id=v.id, household_id=hid, amount_fen=1))
        with pytest.raises(FrozenNoticeError, match="名单不能再修改"):
            s.flush()
        s.rollback()
    with pytest.raises(ValidationError, match="不能改类别"):
        with db.transaction() as s:
            notices.save_notice(s, nid, form(hid, kind="贫困户退出名单", change_reason="改类别"))
    assert detail(db, nid).current.title == "2026年雨露计划补助名单（修改）"
    with db.transaction() as s:
        notices.save_notice(s, nid, form(hid, title="2026年雨露计划补助名单（更正）", change_reason="金额写错",
                                         items=[NoticeItemForm(household_id=hid, amount_fen=400000)]))
    versions = detail(db, nid).versions
    assert [(v.version, v.posted_on) for v in versions] == [(1, date(2026, 11, 20)), (2, None)]
    assert versions[0].items[0].amount_fen == 200000 and versions[1].items[0].amount_fen == 400000
    post(db, nid, date(2026, 11, 28))
    old, new = detail(db, nid).versions
    assert old.taken_down_on == date(2026, 11, 28) and old.title == "2026年雨露计划补助名单（修改）"
    assert new.change_reason == "金额写错" and new.status(TODAY) == notices.POSTED
    with pytest.raises(ValidationError, match="已张贴的公示不能删除"):
        with db.transaction() as s:
            notices.discard_draft(s, nid)


def test_an_objection_is_recorded_with_its_answer(db):
    hid = save(db)
    nid = draft(db, hid)
    with pytest.raises(ValidationError, match="尚未张贴"):
        with db.transaction() as s:
            notices.record_objection(s, nid, ObjectionForm(TODAY, "有人家里有车"), today=TODAY)
    post(db, nid)
    with db.transaction() as s:
        oid = notices.record_objection(s, nid, ObjectionForm(date(2026, 11, 22), "张伟已在外地工作，不应享受",
                                                             raised_by="村民（匿名）"), today=TODAY)
    with db.reading() as s:
        assert [i.title for i in due_items(s, TODAY) if i.kind == "公示"][-1] == "1条公示异议尚未答复"
    with pytest.raises(ValidationError, match="请填写答复内容"):
        with db.transaction() as s:
            notices.record_objection(s, nid, ObjectionForm(date(2026, 11, 22), "张伟已在外地工作，不应享受",
                                                           answered_on=date(2026, 11, 24)), objection_id=oid,
                                     today=TODAY)
    with db.transaction() as s:
        notices.record_objection(s, nid, ObjectionForm(
            date(2026, 11, 22), "张伟已在外地工作，不应享受", raised_by="村民（匿名）",
            answer="经核实张伟在荥阳市职业教育中心在读，学籍证明已存档，符合条件", answered_on=date(2026, 11, 24),
            answered_by="第一书记", outcome="维持原公示"), objection_id=oid, today=TODAY)
    (objection,) = detail(db, nid).current.objections
    assert objection.answered and objection.outcome == "维持原公示" and objection.raised_by == "村民（匿名）"
    with db.reading() as s:
        assert notices.list_notices(s, today=TODAY)[0].unanswered == 0


@pytest.mark.parametrize("change, message", [
    (dict(items=[]), "至少要列出一户"),
    (dict(kind="项目立项"), "至少要列出一个项目"),
    (dict(title=" "), "标题不能为空"),
    (dict(planned_days=0), "公示天数"),
    (dict(items=[NoticeItemForm(amount_fen=-5)]), "金额不能为负数"),
])
def test_bad_notices_are_refused(db, change, message):
    hid = save(db)
    with pytest.raises(ValidationError, match=message):
        draft(db, hid, **change)
    with db.reading() as s:
        assert notices.list_notices(s, today=TODAY) == []


def test_posting_periods_and_due_items(db):
    hid = save(db)
    nid = draft(db, hid, planned_days=7)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        post(db, nid, date(2026, 12, 5))
    post(db, nid, date(2026, 11, 20))
    with db.reading() as s:
        (row,) = notices.list_notices(s, posted_only=True, today=TODAY)
        due = [i for i in due_items(s, TODAY) if i.kind == "公示"]
    assert row.status == notices.EXPIRED and row.last_day == date(2026, 11, 26)
    assert due[0].due == date(2026, 11, 27) and due[0].overdue(TODAY)
    with db.transaction() as s:
        notices.take_down_notice(s, nid, date(2026, 11, 27), today=TODAY)
    with db.reading() as s:
        assert notices.list_notices(s, posted_only=True, today=TODAY) == []
        assert notices.household_notices(s, hid) == [("雨露计划补助名单", "2026年秋季雨露计划补助名单公示",
                                                      date(2026, 11, 20), date(2026, 11, 27))]
