"""The 走访 page and the visit form, driven like a user; the 台账 page; visits on the household view."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QTableWidgetSelectionRange

from fupin_desktop.domain import clock
from fupin_desktop.services.forms import load_household, load_visit_form
from fupin_desktop.services.ledger import LedgerQuery, list_ledger
from fupin_desktop.services.visits import VisitForm, household_visits, record_visit
from fupin_desktop.ui.household_detail import HouseholdDetailDialog
from fupin_desktop.ui.ledger_page import LedgerPage
from fupin_desktop.ui.visit_form import VisitFormDialog
from fupin_desktop.ui.visits_page import VisitsPage
from tests.services.visit_fixtures import jpeg, make_village
from tests.ui.helpers import open_page


@pytest.fixture
def village(db):
    return make_village(db)


def open_form(qtbot, ops, **kw) -> VisitFormDialog:
    with ops._db.reading() as s:
        data = load_visit_form(s, **kw)
    dialog = VisitFormDialog(ops, data)
    qtbot.addWidget(dialog)
    return dialog


def test_filling_the_visit_form_saves_the_visit_its_problem_and_photo(qtbot, ops, db, village, tmp_path):
    page = open_page(qtbot, VisitsPage, ops)
    page.new_visit()
    dialog = page.form_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.household_search, "zsm")  # pinyin initials of 张三明
    qtbot.keyClick(dialog.household_search, Qt.Key.Key_Return)  # Enter chooses the first match
    qtbot.waitUntil(lambda: dialog._household is not None)
    assert dialog.household_label.text().startswith("第001户")
    assert dialog.visitors_box.selected() == [str(village.helper)]  # the household's 帮扶责任人, ticked for us
    yesterday = clock.today() - timedelta(days=1)
    dialog.date_edit.setDate(QDate(yesterday))
    qtbot.mouseClick(dialog.all_ok_button, Qt.MouseButton.LeftButton)
    dialog.set_result("housing", "有问题")
    dialog.check_notes["housing"].setText("东屋墙体开裂")
    dialog.add_photos([jpeg(tmp_path / "house.jpg")])
    assert dialog.photo_list.count() == 1
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with db.reading() as s:
        [visit] = household_visits(s, village.poor)
        [item] = list_ledger(s, LedgerQuery())
    assert visit.visited_on == yesterday and visit.visitors == ("王建军",) and len(visit.photos) == 1
    assert visit.checklist["住房安全"] == "有问题" and visit.checklist["吃"] == "正常"
    assert item.description == "住房安全：东屋墙体开裂" and item.source == "走访发现"
    assert page.model.rowCount() == 1 and page.model.row_at(0).household_number == "001"


def test_the_form_refuses_a_missing_household_and_a_bad_photo(qtbot, ops, village, tmp_path, monkeypatch):
    dialog = open_form(qtbot, ops)
    dialog.save()
    assert "请先选择农户" in dialog.error_label.text() and dialog.result() != QDialog.DialogCode.Accepted
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic")
    dialog.add_photos([heic])
    assert dialog.photo_list.count() == 0 and "HEIC格式" in shown[0]


def test_the_due_tab_lists_the_household_and_opens_the_form_for_it(qtbot, ops, village):
    page = open_page(qtbot, VisitsPage, ops)
    due = page.due_table.model()
    assert due.rowCount() == 0  # worked out when the tab is shown
    page.tabs.setCurrentIndex(1)
    assert due.text(0, 1) == "001" and due.text(0, 5) == "王建军"
    page.due_table.setCurrentIndex(due.index(0, 0))
    page._visit_from(page.due_table)
    assert page.form_dialog._household.id == village.poor


def test_the_ledger_page_closes_an_item_only_with_evidence(qtbot, ops, db, village):
    with db.transaction() as s:
        record_visit(s, None, VisitForm(village.poor, clock.today(), "帮扶责任人入户", [village.helper],
                                        problems=[]), today=clock.today())
    from fupin_desktop.services.ledger import LedgerForm, save_ledger_item
    with db.transaction() as s:
        save_ledger_item(s, None, LedgerForm("督查巡查", "明白卡未张贴", "政策落实", household_id=village.poor,
                                             deadline=clock.today() - timedelta(days=1),
                                             received_on=clock.today() - timedelta(days=5)))
    page = open_page(qtbot, LedgerPage, ops)
    assert page.model.text(0, 4) == "明白卡未张贴"
    red = page.model.data(page.model.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert red.color().name() == "#b4232c"  # overdue: red
    page.table.selectRow(0)
    page.close_current()
    close = page.dialog
    close.verifier_edit.setText("汜水镇扶贫办 刘建华")
    close.save()
    assert "整改佐证" in close.error_label.text()
    close.evidence_edit.setPlainText("已重新张贴明白卡并拍照")
    close.save()
    with db.reading() as s:
        assert list_ledger(s, LedgerQuery())[0].status == "已销号"
    assert "已销号1项" in page.summary_label.text()


def test_presence_grid_sets_days(qtbot, ops, village):
    page = open_page(qtbot, LedgerPage, ops)
    page.month_edit.setDate(QDate(clock.today()).addMonths(-1))
    page.grid.setRangeSelected(QTableWidgetSelectionRange(0, 0, 0, 4), True)  # 李明, days 1-5
    page.set_selected("在村")
    assert page.grid.item(0, 0).text() == "在"
    assert page.grid.item(0, len(page._month.days)).text() == "5"  # 在村 days


def test_visits_show_on_the_household_detail(qtbot, ops, db, village):
    with db.transaction() as s:
        record_visit(s, None, VisitForm(village.poor, date(2026, 11, 20), "书记遍访", [village.secretary],
                                        notes="了解秋粮收成"), today=date(2026, 11, 28))
    with db.reading() as s:
        view = load_household(s, village.poor)
    dialog = HouseholdDetailDialog(view)
    qtbot.addWidget(dialog)
    assert "走访记录（1）" in [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert dialog.visits_table.text(0, 1) == "书记遍访"
    assert dialog.visits_table.text(0, 3) == "了解秋粮收成"


def test_the_rules_dialog_saves_rules_that_the_due_list_follows(qtbot, ops, db, village):
    from fupin_desktop.domain.visits import VisitRule
    from fupin_desktop.services.visits import visit_rules
    from fupin_desktop.ui.visits_page import VisitRulesDialog

    dialog = VisitRulesDialog(ops, [VisitRule("帮扶责任人每月入户2次", 2, "月", ("未脱贫",))])
    qtbot.addWidget(dialog)
    dialog.add_rule(VisitRule("一般农户每季度1次", 1, "季度", ("一般农户",), by_helper=False))
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.reading() as s:
        assert [r.name for r in visit_rules(s)] == ["帮扶责任人每月入户2次", "一般农户每季度1次"]
    page = open_page(qtbot, VisitsPage, ops)
    page.tabs.setCurrentIndex(1)
    due = page.due_table.model()
    assert {due.text(r, 1) for r in range(due.rowCount())} == {"001", "002"}


def test_a_problem_entered_on_the_ledger_page(qtbot, ops, db, village):
    from fupin_desktop.services.forms import load_ledger_dialog
    from fupin_desktop.ui.rectification_dialogs import LedgerItemDialog

    with db.reading() as s:
        data = load_ledger_dialog(s)
    dialog = LedgerItemDialog(ops, data)
    qtbot.addWidget(dialog)
    dialog.save()
    assert "问题来源" in dialog.error_label.text()  # nothing chosen yet
    dialog.source_box.setCurrentIndex(dialog.source_box.findData("第三方评估"))
    dialog.category_box.setCurrentIndex(dialog.category_box.findData("收入就业"))
    dialog.description_edit.setPlainText("农户对收入构成说不清")
    dialog.household_search.setText("001")
    dialog._search()
    assert dialog.household_box.currentData() == village.poor
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.reading() as s:
        [row] = list_ledger(s, LedgerQuery())
    assert (row.source, row.household, row.status) == ("第三方评估", "001 张三明", "未整改")


def test_the_household_picker_keeps_the_keys_shows_what_is_chosen_and_clears_its_message(qtbot, ops, village):
    """Typing goes on while the matches are dropped down; Enter chooses; the box shows the chosen
    household and nothing else; the red 请先选择农户 goes once a household is chosen."""
    dialog = open_form(qtbot, ops)
    dialog.show()
    dialog.activateWindow()  # the matches drop down only while the box has the focus, in the active window
    picker = dialog.household_search
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus)
    dialog.save()
    assert dialog.error_label.text().startswith("请先选择农户")
    qtbot.keyClicks(picker, "z")
    qtbot.waitUntil(lambda: picker.completer_.popup().isVisible())  # the matches drop down
    qtbot.keyClicks(picker.completer_.popup(), "sm")  # the keys reach the list, which hands them on
    assert picker.text() == "zsm"
    picker.search()
    assert [label for _id, label in picker.matches] == ["001 张三明（未脱贫）"]
    qtbot.keyClick(picker.completer_.popup(), Qt.Key.Key_Return)  # nothing highlighted: the first
    qtbot.waitUntil(lambda: dialog._household is not None)
    assert picker.text() == "001 张三明（未脱贫）" and picker.household_id == village.poor == dialog._household.id
    assert not dialog.error_label.isVisible()
    qtbot.keyClicks(picker, "x")  # typing again: nothing is chosen, and the form says so
    assert picker.household_id is None and dialog._household is None
    assert dialog.household_label.text() == "（尚未选择农户）"
    picker.clear()
    qtbot.keyClicks(picker, "1")  # the last digits of the number: 001
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    assert picker.household_id == village.poor
