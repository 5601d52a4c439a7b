"""The due list: gaps in the register are reported; dated items sort overdue first."""

from datetime import date

from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import MemberForm
from fupin_desktop.services import due
from fupin_desktop.services.cadres import CadreForm, save_cadre
from fupin_desktop.services.due import DueItem, due_items
from tests.services.test_households import save


def titles(db, kind="档案"):
    with db.reading() as s:
        return [i.title for i in due_items(s, date(2026, 12, 2)) if kind is None or i.kind == kind]


def test_a_registered_household_without_helper_is_due_until_one_is_named(db):
    assert titles(db) == []
    save(db)  # 未脱贫, no 帮扶责任人
    assert titles(db) == ["1户建档立卡户未指定帮扶责任人"]
    with db.transaction() as s:
        save_cadre(s, None, CadreForm("王建军", "帮扶责任人", unit="荥阳市农业农村局", phone="13903710001"))
    other = [MemberForm("赵刚", idcard.make("410182", date(1960, 1, 2), 5, "男"), "户主")]
    save(db, "002", members=other, helper_name="王建军")  # a second household, this one with a helper
    assert titles(db) == ["1户建档立卡户未指定帮扶责任人"]


def test_overdue_items_come_first_then_by_date(db, monkeypatch):
    items = [DueItem("走访", "later", date(2026, 12, 20)), DueItem("档案", "undated"),
             DueItem("台账", "overdue", date(2026, 11, 1)), DueItem("计划", "soon", date(2026, 12, 3))]
    monkeypatch.setattr(due, "_SOURCES", [lambda _s, _d: items])
    assert titles(db, kind=None) == ["overdue", "soon", "later", "undated"]
