"""问题整改台账: 销号 needs evidence and a verifier; overdue items are flagged; the daily summary."""

from datetime import date

import pytest

from fupin_desktop.errors import ValidationError
from fupin_desktop.services.due import due_items
from fupin_desktop.services.ledger import (
    LedgerForm,
    LedgerQuery,
    close_ledger_item,
    daily_summary,
    get_ledger_item,
    list_ledger,
    reopen_ledger_item,
    save_ledger_item,
    start_rectification,
)
from tests.services.visit_fixtures import jpeg

TODAY = date(2026, 12, 2)


def add(db, village, **kw):
    base = dict(source="督查巡查", description="慢性病卡未办理", category="两不愁三保障", level="户级",
                received_on=date(2026, 11, 10), household_id=village.poor, responsible_id=village.helper,
                deadline=date(2026, 11, 30))
    with db.transaction() as s:
        return save_ledger_item(s, None, LedgerForm(**{**base, **kw}), today=TODAY)


def test_closing_without_evidence_or_verifier_is_refused(db, village):
    item = add(db, village)
    with pytest.raises(ValidationError) as e, db.transaction() as s:
        close_ledger_item(s, item, verifier=None, today=TODAY)
    assert {err.field for err in e.value.errors} == {"evidence", "verifier"}
    assert "销号需要整改佐证" in str(e.value)
    with pytest.raises(ValidationError, match="验收人"), db.transaction() as s:
        close_ledger_item(s, item, verifier="  ", evidence_note="已办卡", today=TODAY)
    with db.reading() as s:
        assert get_ledger_item(s, item, today=TODAY).status == "未整改"


def test_closing_with_a_photo_and_a_verifier(db, village, tmp_path):
    item = add(db, village)
    with db.transaction() as s:
        start_rectification(s, item, measure="联系乡卫生院集中办卡")
        close_ledger_item(s, item, verifier="汜水镇扶贫办 刘强", evidence_files=[jpeg(tmp_path / "card.jpg")],
                          today=TODAY)
    with db.reading() as s:
        row = get_ledger_item(s, item, today=TODAY)
    assert (row.status, row.verifier, row.closed_on, row.evidence_files) == ("已销号", "汜水镇扶贫办 刘强", TODAY, 1)
    assert row.measure == "联系乡卫生院集中办卡" and not row.overdue  # closed late is not red any more
    with pytest.raises(ValidationError, match="已销号，不能再修改"), db.transaction() as s:
        save_ledger_item(s, item, row.form(), today=TODAY)
    with db.transaction() as s:
        reopen_ledger_item(s, item)
    with db.reading() as s:
        assert get_ledger_item(s, item, today=TODAY).status == "整改中"


def test_overdue_is_strictly_after_the_deadline(db, village):
    item = add(db, village, deadline=date(2026, 12, 2))
    with db.reading() as s:
        assert not get_ledger_item(s, item, today=date(2026, 12, 2)).overdue
        assert get_ledger_item(s, item, today=date(2026, 12, 3)).overdue
        assert [r.id for r in list_ledger(s, LedgerQuery(overdue_only=True), today=date(2026, 12, 3))] == [item]
        assert list_ledger(s, LedgerQuery(overdue_only=True), today=date(2026, 12, 2)) == []


def test_overdue_items_are_due_on_the_home_page(db, village):
    add(db, village, description="饮水水质不达标", deadline=date(2026, 11, 30))
    add(db, village, description="危房改造未验收", deadline=date(2026, 12, 6))
    with db.reading() as s:
        items = [i for i in due_items(s, TODAY) if i.kind == "台账"]
    assert items[0].title.startswith("整改逾期：2026-001 饮水水质不达标") and items[0].overdue(TODAY)
    assert items[1].title == "1项整改问题7天内到期" and not items[1].overdue(TODAY)


@pytest.mark.parametrize(("changes", "field"), [
    (dict(source="听说"), "source"), (dict(description=""), "description"),
    (dict(deadline=date(2026, 11, 1)), "deadline"), (dict(received_on=date(2026, 12, 3)), "received_on"),
    (dict(household_id=None), "household_id"), (dict(level="人员", household_id=None), "household_id"),
])
def test_bad_items_are_refused(db, village, changes, field):
    with pytest.raises(ValidationError) as e:
        add(db, village, **changes)
    assert field in {err.field for err in e.value.errors}


def test_filters_and_the_daily_summary(db, village):
    a = add(db, village)
    add(db, village, source="第三方评估", description="村级道路路灯损坏", level="村级", household_id=None,
        deadline=None, category="资金项目", received_on=TODAY)
    c = add(db, village, source="自查", description="数据：家庭人口与户籍不一致", category="数据质量")
    with db.transaction() as s:
        close_ledger_item(s, c, verifier="李明", evidence_note="已按户口本更正", today=TODAY)
        start_rectification(s, a)
    with db.reading() as s:
        assert [r.description for r in list_ledger(s, LedgerQuery(open_only=True), today=TODAY)] == [
            "慢性病卡未办理", "村级道路路灯损坏"]  # overdue first, undated after
        assert len(list_ledger(s, LedgerQuery(text="张三明"), today=TODAY)) == 2
        assert len(list_ledger(s, LedgerQuery(source="第三方评估"), today=TODAY)) == 1
        summary = daily_summary(s, TODAY)
    assert (summary.total, summary.open, summary.in_progress, summary.closed, summary.overdue) == (3, 1, 1, 1, 1)
    assert (summary.new_today, summary.closed_today) == (1, 1)
    assert summary.by_source == {"自查": (1, 0), "督查巡查": (1, 1), "第三方评估": (1, 1)}
    assert "逾期1项" in summary.text()
