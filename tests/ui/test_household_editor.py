"""The household editor against a real database: inline checks, saving, history, delete and undo,
the unsaved-change guard and the keyboard."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from fupin_desktop.db.models import ChangeLog
from fupin_desktop.domain import clock, idcard
from fupin_desktop.domain.rows import Changes
from fupin_desktop.services.forms import load_editor, load_household
from fupin_desktop.services.households import get_household
from fupin_desktop.ui import household_editor
from fupin_desktop.ui.household_detail import HouseholdDetailDialog
from fupin_desktop.ui.household_editor import HouseholdEditor
from fupin_desktop.ui.households_page import HouseholdsPage
from tests.ui.helpers import open_households_page

Button = QMessageBox.StandardButton


def open_editor(qtbot, ops, household_id=None) -> HouseholdEditor:
    loaded = []
    ops.query(lambda s: load_editor(s, household_id), success=loaded.append)
    editor = HouseholdEditor(ops, loaded[0])
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def choose(box, text: str) -> None:
    index = box.findText(text)
    assert index >= 0, text
    box.setCurrentIndex(index)


def select_member(editor: HouseholdEditor, name: str) -> None:
    row = next(i for i, f in enumerate(editor.member_forms()) if f.name == name)
    editor.members_table.setCurrentCell(row, 0)


def log_size(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog))


def answer(monkeypatch, button: QMessageBox.StandardButton) -> list[str]:
    """Make QMessageBox.question answer `button`; returns the questions asked."""
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return button
    monkeypatch.setattr(household_editor.QMessageBox, "question", question)
    return asked


def with_wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


@pytest.fixture(autouse=True)
def _never_block(monkeypatch):
    """A dialog left with changes must not wait for an answer when pytest-qt closes it."""
    answer(monkeypatch, Button.Discard)


@pytest.fixture
def page(qtbot, ops, households) -> HouseholdsPage:
    return open_households_page(qtbot, ops)


def select_household(page: HouseholdsPage, head: str) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).head_name == head)
    page.table.selectRow(row)


# -- inline validation ------------------------------------------------------------------------


def test_editing_a_member_with_an_invalid_id_shows_the_message_and_saves_nothing(qtbot, ops, db, households):
    hid = households.ids["001"]
    with db.reading() as s:
        before = get_household(s, hid)
    log_before = log_size(db)
    editor = open_editor(qtbot, ops, hid)
    select_member(editor, "李秀英")
    panel = editor.panel
    assert (panel.sex_view.text(), panel.age_view.text()) != ("", "")
    bad = with_wrong_check_digit(before.members[1].id_number)
    panel.edits["id_number"].setText(bad[:10])  # still typing: no complaint yet
    assert panel.errors["id_number"].isHidden()
    panel.edits["id_number"].setText(bad)  # complete: checked at once
    assert not panel.errors["id_number"].isHidden()
    assert "校验码错误" in panel.errors["id_number"].text()
    assert (panel.sex_view.text(), panel.age_view.text()) == ("", "")
    editor.save()
    assert editor.isVisible() and not editor.summary.isHidden()
    assert "校验码错误" in panel.errors["id_number"].text()
    assert "校验码错误" in editor.members_table.item(1, 0).toolTip()  # the row is marked too
    with db.reading() as s:
        assert get_household(s, hid) == before
    assert log_size(db) == log_before


def test_derived_sex_and_age_follow_the_id_number(qtbot, ops, households):
    editor = open_editor(qtbot, ops, households.ids["002"])
    number = idcard.make("410182", date(1990, 2, 3), 4, "男")
    editor.panel.edits["id_number"].setText(number)
    age = idcard.parse(number).age_on(clock.today())
    assert (editor.panel.sex_view.text(), editor.panel.birth_view.text()) == ("男", "1990-02-03")
    assert editor.panel.age_view.text() == str(age)
    assert editor.members_table.item(0, editor.members.COL_SEX).text() == "男"
    # the core's relation rule: 户主 王小红 is a woman in the register, fine; a 之女 who is a man is not
    editor.panel.boxes["relation"].setCurrentIndex(editor.panel.boxes["relation"].findText("之女"))
    assert "性别为男" in editor.panel.errors["id_number"].text()


def test_household_errors_show_next_to_their_fields_once_touched(qtbot, ops, households):
    editor = open_editor(qtbot, ops, households.ids["001"])
    assert editor.errors["main_cause"].isHidden()
    editor.main_cause_box.setCurrentIndex(0)  # 未脱贫 needs a main cause
    assert editor.errors["main_cause"].text() == "建档立卡户须填写主要致贫原因"
    editor.phone_edit.setText("123")
    assert editor.errors["phone"].isHidden()  # still typing
    editor.phone_edit.editingFinished.emit()
    assert not editor.errors["phone"].isHidden()


def test_database_rules_from_a_failed_save_are_shown_at_their_inputs(qtbot, ops, db, households):
    editor = open_editor(qtbot, ops, households.ids["002"])
    editor.number_edit.setText("001")  # taken by 张三明's household
    editor.panel.edits["id_number"].setText(households.head_id_numbers["003"])  # 赵大力's number
    editor.panel.boxes["relation"].setCurrentIndex(editor.panel.boxes["relation"].findText("户主"))
    log_before = log_size(db)
    editor.save()
    assert editor.errors["number"].text() == "户编号 001 已被本村其他户使用"
    assert "已登记在第003户（赵大力）" in editor.panel.errors["id_number"].text()
    assert log_size(db) == log_before
    editor.number_edit.setText("002")  # fixing a field clears its message
    assert editor.errors["number"].isHidden()


# -- saving -----------------------------------------------------------------------------------


def test_a_valid_edit_reaches_the_database_and_the_history(qtbot, ops, db, page, households):
    hid = households.ids["001"]
    select_household(page, "张三明")
    page.edit_button.click()
    editor = page.editor
    assert editor is not None and editor.windowTitle().startswith("编辑农户 — 第001户（张三明）")
    select_member(editor, "李秀英")
    choose(editor.panel.boxes["health"], "大病")
    editor.phone_edit.setText("13900139000")
    assert editor.is_dirty() and editor.isWindowModified()
    saved = []
    editor.household_saved.connect(saved.append)
    with qtbot.waitActive(editor):  # shortcuts work in the active window
        editor.activateWindow()
    qtbot.keyClick(editor.phone_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    assert saved == [hid] and not editor.isVisible()
    with db.reading() as s:
        view = load_household(s, hid)
    wife = next(m for m in view.detail.members if m.name == "李秀英")
    assert wife.health == "大病" and view.detail.phone == "13900139000"
    edits = [r for r in view.history if r.op == "update"]
    assert [(r.record, r.actor) for r in edits] == [("户", db.actor), ("成员 李秀英", db.actor)]
    phone = edits[0].changes[0]
    assert (phone.label, phone.old, phone.new) == ("联系电话", "13800138000", "13900139000")
    health = edits[1].changes[0]
    assert (health.label, health.old, health.new) == ("健康状况", None, "大病")
    # and the detail view shows it
    dialog = HouseholdDetailDialog(view)
    qtbot.addWidget(dialog)
    cells = [[dialog.history_table.text(r, c) for c in range(7)] for r in range(2)]
    assert cells[0][1:] == [db.actor, "成员 李秀英", "修改", "健康状况", "（空）", "大病"]
    assert cells[1][2:] == ["户", "修改", "联系电话", "13800138000", "13900139000"]
    assert dialog.tabs.tabText(1) == f"变更记录（{len(view.history)}）"


def test_new_household_through_the_editor(qtbot, page, db):
    page.new_button.click()
    editor = page.editor
    assert editor.windowTitle().startswith("新增农户") and editor.delete_button.isHidden()
    editor.number_edit.setText("004")
    choose(editor.status_box, "监测户")
    choose(editor.group_box, "二组")
    choose(editor.main_cause_box, "因病")
    editor.attributes_box.toggle(editor.attributes_box.findData("dibao"))
    editor.panel.edits["name"].setText("孙大圣")
    editor.panel.edits["id_number"].setText(idcard.make("410182", date(1979, 9, 9), 2, "男"))
    editor.members.add_member()
    assert editor.panel.edits["name"].text() == "" and editor.panel.boxes["relation"].currentIndex() == 0
    editor.panel.edits["name"].setText("孙小圣")
    editor.panel.edits["id_number"].setText(idcard.make("410182", date(2012, 5, 1), 3, "男"))
    choose(editor.panel.boxes["relation"], "之子")
    choose(editor.panel.boxes["schooling_stage"], "初中")
    editor.save_button.click()
    assert not editor.isVisible()
    assert page.model.rowCount() == 4
    row = page.model.row_at(3)
    assert (row.number, row.head_name, row.members, row.group) == ("004", "孙大圣", 2, "二组")
    with db.reading() as s:
        d = get_household(s, row.id)
    assert d.attributes == ("dibao",) and d.main_cause == "01"
    assert [(m.name, m.schooling_stage) for m in d.members] == [("孙大圣", None), ("孙小圣", "初中")]


def test_removing_a_member_tombstones_them_on_save(qtbot, ops, db, households):
    hid = households.ids["001"]
    editor = open_editor(qtbot, ops, hid)
    select_member(editor, "李秀英")
    editor.members.remove_button.click()
    assert [f.name for f in editor.member_forms()] == ["张三明"]
    assert editor.panel.edits["name"].text() == "张三明"
    editor.save()
    with db.reading() as s:
        assert [m.name for m in get_household(s, hid).members] == ["张三明"]


def test_a_household_needs_exactly_one_head(qtbot, ops, households):
    editor = open_editor(qtbot, ops, households.ids["001"])
    select_member(editor, "张三明")
    choose(editor.panel.boxes["relation"], "之父")
    assert "没有户主" in editor.members.error.text()


# -- delete and undo --------------------------------------------------------------------------


def test_delete_then_undo_from_the_list(monkeypatch, page, ops, db, households):
    asked = answer(monkeypatch, Button.Yes)
    select_household(page, "王小红")
    page.delete_button.click()
    assert asked == ["确定删除第002户（王小红）及其1名成员吗？\n删除后可以立即撤销。"]
    assert [page.model.row_at(r).number for r in range(page.model.rowCount())] == ["001", "003"]
    assert page.undo_bar.isVisibleTo(page) and page.undo_label.text() == "已删除第002户（王小红）。"
    changes = []
    ops.changed.connect(lambda c, origin: changes.append((c, origin)))
    page.undo_button.click()
    assert [page.model.row_at(r).number for r in range(page.model.rowCount())] == ["001", "002", "003"]
    assert page.undo_label.text() == "已恢复第002户（王小红）。" and not page.undo_button.isVisibleTo(page)
    assert changes == [(Changes(frozenset({"household", "member"})), page)]  # the window tells the other pages
    with db.reading() as s:
        assert not get_household(s, households.ids["002"]).deleted


def test_declining_the_confirmation_deletes_nothing(monkeypatch, page, db):
    answer(monkeypatch, Button.No)
    before = log_size(db)
    select_household(page, "王小红")
    page.delete_button.click()
    assert page.model.rowCount() == 3 and page.undo_bar.isHidden() and log_size(db) == before


def test_delete_from_the_editor_offers_the_undo_on_the_list(monkeypatch, page, households):
    answer(monkeypatch, Button.Yes)
    select_household(page, "赵大力")
    page.edit_current()
    page.editor.delete_button.click()
    assert page.model.rowCount() == 2
    assert page.undo_label.text() == "已删除第003户（赵大力）。"
    page.undo_button.click()
    assert page.model.rowCount() == 3


# -- unsaved changes ---------------------------------------------------------------------------


@pytest.mark.parametrize("button", [Button.Cancel, Button.Discard, Button.Save])
def test_closing_with_unsaved_changes_asks_first(qtbot, monkeypatch, ops, db, households, button):
    hid = households.ids["003"]
    editor = open_editor(qtbot, ops, hid)
    editor.address_edit.setText("新沟村三组12号")
    asked = answer(monkeypatch, button)
    qtbot.keyClick(editor.address_edit, Qt.Key.Key_Escape)
    assert asked == ["本户的修改还没有保存。要保存吗？"]
    assert editor.isVisible() == (button == Button.Cancel)
    with db.reading() as s:
        address = get_household(s, hid).address
    assert address == ("新沟村三组12号" if button == Button.Save else None)


def test_closing_without_changes_does_not_ask(qtbot, monkeypatch, ops, households):
    editor = open_editor(qtbot, ops, households.ids["003"])
    asked = answer(monkeypatch, Button.Cancel)
    editor.address_edit.setText("x")
    editor.address_edit.setText("")  # back to what was loaded
    editor.close()
    assert asked == [] and not editor.isVisible()


# -- keyboard ---------------------------------------------------------------------------------


def test_enter_moves_to_the_next_input(qtbot, ops, households):
    editor = open_editor(qtbot, ops, households.ids["001"])
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.number_edit.setFocus()
    for expected in (editor.status_box, editor.group_box, editor.address_edit):
        qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Return)
        assert editor.focusWidget() is expected
    assert editor.isVisible()  # Enter never saves or closes by surprise
    editor.members.add_button.click()
    assert editor.focusWidget() is editor.panel.edits["name"]  # a new member starts with the name


def test_tab_order_goes_through_the_household_then_the_members(qtbot, ops, households):
    editor = open_editor(qtbot, ops, households.ids["001"])
    chain, widget = [], editor.number_edit
    for _ in range(60):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while widget is not editor.number_edit and not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            widget = widget.nextInFocusChain()
        if widget is editor.number_edit:
            break
    position = chain.index
    assert position(editor.number_edit) < position(editor.status_box) < position(editor.note_edit)
    assert position(editor.note_edit) < position(editor.attributes_box) < position(editor.water_date.check)
    assert position(editor.water_date.edit) < position(editor.members_table) < position(editor.panel.edits["name"])
    assert position(editor.panel.edits["note"]) < position(editor.members.add_button) < position(editor.save_button)


def test_multi_choice_ticks_without_closing(qtbot, ops, households):
    editor = open_editor(qtbot, ops, households.ids["001"])
    box = editor.secondary_box
    box.toggle(box.findData("02"))
    box.toggle(box.findData("03"))
    box.toggle(box.findData("02"))
    assert box.selected() == ["03"] and box.summary() == "因学"
    assert editor.household_form().secondary_causes == ["03"]


# -- the detail view --------------------------------------------------------------------------


def test_the_detail_view_edits_and_shows_the_result(qtbot, page, households):
    page.open_household(households.ids["003"])
    dialog = page.findChild(HouseholdDetailDialog)
    assert dialog.tabs.tabText(1) == "变更记录（2）"
    dialog.edit_button.click()
    editor = page.editor
    assert editor.parent() is dialog
    editor.address_edit.setText("新沟村三组12号")
    editor.save()
    assert dialog.view.detail.address == "新沟村三组12号"
    assert dialog.tabs.tabText(1) == "变更记录（3）"
    texts = [dialog.history_table.text(0, c) for c in range(4, 7)]
    assert texts == ["住址", "（空）", "新沟村三组12号"]
    dialog.close()
